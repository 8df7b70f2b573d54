"""Business actions on districts' records, shared by the views and the admin."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction

from .models import Council

PROFILE_FIELDS = ("introduction", "contact_name", "contact_phone", "contact_email")


@transaction.atomic
def update_council_profile(*, council: Council, by, data: dict) -> list[str]:
    """Save the public profile fields a coordinator keeps; returns the names that changed."""
    locked = Council.objects.select_for_update().get(pk=council.pk)
    changed = [name for name in PROFILE_FIELDS if getattr(locked, name) != data[name]]
    for name in changed:
        setattr(locked, name, data[name])
    if changed:
        # Only the profile is validated: the rest of the record is not the coordinator's.
        locked.full_clean(
            exclude=[f.name for f in Council._meta.fields if f.name not in PROFILE_FIELDS],
            validate_constraints=False,
        )
        locked.save(update_fields=[*changed, "updated_at"])
        # The admin's history of the council shows coordinators' edits too.
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[locked],
            action_flag=CHANGE,
            single_object=True,
            change_message=[
                {
                    "changed": {
                        "fields": [
                            str(Council._meta.get_field(name).verbose_name) for name in changed
                        ]
                    }
                }
            ],
        )
    return changed
