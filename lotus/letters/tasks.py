"""Daily reminders about outcome letters that are due or overdue, run by `lotus worker`."""

import logging

from django_tasks import task

logger = logging.getLogger("lotus.letters.tasks")


@task()
def send_letter_reminders() -> dict:
    from lotus.letters.services import letter_reminders_send

    sent = letter_reminders_send()
    logger.info("Letter reminders: %s emails", sent)
    return {"emails": sent}
