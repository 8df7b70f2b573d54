"""Write the site search index again from the records (after a restore, or to check it)."""

from django.core.management.base import BaseCommand

from core import search


class Command(BaseCommand):
    help = "Write every entry of the site search index again from the published records."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        search.install_database_objects(database)
        counts = search.rebuild(database, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} entries written."))
