"""Queue today's reminder e-mail (subsidies/reminders.py); run daily by cron or a systemd timer:

    manage.py send_reminders

Safe to run again: a reminder already sent to a person is never queued twice. The worker
(`manage.py db_worker`) sends what this queues.
"""

from django.core.management.base import BaseCommand

from subsidies.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders due today: applications closing, reports due, corrections and "
        "reviews waiting past their due date. Each is sent once; running it again is safe."
    )

    def handle(self, *args, **options):
        queued = send_reminders()
        if options["verbosity"] > 0:
            self.stdout.write(f"Queued {queued} reminder(s).")
