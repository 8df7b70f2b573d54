"""The queries the grant pages need, each returning everything its template uses."""
