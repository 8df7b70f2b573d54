"""Give uploads stored before names came from the content the extension of their type.

Nothing serves a stored name and every view reads the type from the content, so the old names
are harmless; renaming them keeps the stored names truthful (the meeting page's type label reads
the extension). A file whose content is no accepted type is listed for staff to look at, and left
as it is.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from core.uploads import EXTENSIONS, UploadField, sniff


def upload_fields():
    """Every (model, field) that stores uploads."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, UploadField):
                yield model, field


class Command(BaseCommand):
    help = "Rename stored uploads whose extension is not the one of the type their content shows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would change; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        renamed = 0
        for model, field in upload_fields():
            records = model._default_manager.exclude(**{field.name: ""}).only("pk", field.name)
            for record in records.iterator():
                if self.rename(record, field, dry_run=dry_run):
                    renamed += 1
        verb = "Would rename" if dry_run else "Renamed"
        self.stdout.write(self.style.SUCCESS(f"{verb} {renamed} files."))

    def rename(self, record, field, *, dry_run: bool) -> bool:
        stored = getattr(record, field.name)
        label = f"{record._meta.label} {record.pk} {field.name}: {stored.name}"
        storage = stored.storage
        try:
            handle = storage.open(stored.name, "rb")
        except FileNotFoundError:
            self.stdout.write(f"{label}: the file is missing.")
            return False
        with handle:
            kind = sniff(handle)
            if kind not in field.accepted_kinds:
                self.stdout.write(f"{label}: not an accepted type; left as it is.")
                return False
            if stored.name.lower().endswith(EXTENSIONS[kind]):
                return False
            if dry_run:
                self.stdout.write(f"{label}: would be renamed to {EXTENSIONS[kind]}.")
                return True
            handle.seek(0)
            new_name = storage.save(
                field.generate_filename(record, f"upload{EXTENSIONS[kind]}"), handle
            )
        type(record)._default_manager.filter(pk=record.pk).update(**{field.name: new_name})
        # Only once the record names the new file: a failure before leaves the old one in use.
        storage.delete(stored.name)
        self.stdout.write(f"{label}: renamed to {new_name}.")
        return True
