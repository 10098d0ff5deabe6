"""The daily email to case managers about letters due or overdue."""

import datetime as dt

from django.utils import timezone

from lotus.core.jinja2 import nhs_date
from lotus.letters.models import Letter


def letter_reminders_send(*, today: dt.date | None = None) -> int:
    """Email each case manager once a day about their letters due by tomorrow or overdue.
    Returns the number of emails sent. Safe to run twice a day: a letter is reminded once."""
    from django.core.mail import send_mail

    from lotus.letters.selectors import letters_needing_reminders

    today = today or timezone.localdate()
    by_owner: dict[int, list[Letter]] = {}
    for letter in letters_needing_reminders(today):
        by_owner.setdefault(letter.case.owner_id, []).append(letter)
    sent = 0
    for letters in by_owner.values():
        owner = letters[0].case.owner
        lines = []
        for letter in letters:
            when = "overdue since" if letter.due_on < today else "due by"
            lines.append(f"- {letter.case.reference}: {letter.subject} ({when} {nhs_date(letter.due_on)})")
        overdue = sum(1 for letter in letters if letter.due_on < today)
        send_mail(
            subject=f"LOTUS: {len(letters)} letter{'s' if len(letters) != 1 else ''} to send"
            + (f", {overdue} overdue" if overdue else ""),
            message=(
                f"Hello {owner.full_name},\n\nThese letters on your cases are due or overdue:\n\n"
                + "\n".join(lines)
                + "\n\nSign in to LOTUS and open Letters to finish them.\n"
            ),
            from_email=None,
            recipient_list=[owner.email],
        )
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(reminded_on=today)
        sent += 1
    return sent
