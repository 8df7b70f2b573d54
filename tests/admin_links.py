"""Addresses of the admin that tests of several apps visit."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse


def view_on_site_url(obj, pk=None) -> str:
    """The admin's "view on site" address of a record (/admin/r/<type>/<id>/), or of another
    id of the same table."""
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk if pk is None else pk])


def assert_view_on_site_in_scope_only(client, in_scope, out_of_scope) -> None:
    """For a table with public pages: the admin's link to the public page redirects for a record
    in the user's scope, and answers 404 for one outside it and for one that does not exist."""
    if not hasattr(in_scope, "get_absolute_url"):
        return
    response = client.get(view_on_site_url(in_scope))
    assert response.status_code == 302
    assert response["Location"].endswith(in_scope.get_absolute_url())
    assert client.get(view_on_site_url(out_of_scope)).status_code == 404
    assert client.get(view_on_site_url(out_of_scope, pk=999999)).status_code == 404
