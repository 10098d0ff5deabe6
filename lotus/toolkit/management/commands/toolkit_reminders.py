from django.core.management.base import BaseCommand
from django.utils import timezone

from lotus.toolkit.reminders import send_reminders


class Command(BaseCommand):
    help = "Email the day's gentle toolkit reminders to leaders who asked for them. Run once a day."

    def handle(self, *args, **options):
        sent = send_reminders(timezone.localdate())
        self.stdout.write(f"Reminders sent: {sent.actions} about actions, {sent.routines} about routines.")
