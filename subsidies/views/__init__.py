"""The grant pages: residents, coordinators, grant staff and the printed documents."""
