"""Template tags of the staff admin's own templates (templates/admin/)."""

from django import template
from django.contrib import admin
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def admin_section_crumb(opts) -> str:
    """The breadcrumb of the admin section a model's pages sit in (core/admin_site.py)."""
    link = admin.site.section_link(opts)
    if link is None:
        return ""
    return format_html('&rsaquo; <a href="{}">{}</a>', link["url"], link["name"])
