"""Take off case teams the people who may no longer be on them (docs/adr/0016).

Only administrators, case managers and professional advisors may be on a case team; never
anyone who holds the pastoral contact role, the case's named pastoral contact, or the
practitioner the case is about. Before ADR 0016 pastoral contacts and panel members could
be added (the demo data did so), and being on a team let them open the case.

Each membership taken away is recorded, never lost silently: a "team" entry on the case
timeline and an event on the audit trail naming the person, the roles they held and why.
A membership has no end date to set, so the row itself goes; the audit event is the record.

The rule is copied here as it stood at this migration (`refusal` below), and the audit
event is appended with the historical models and the chain's own functions
(lotus.audit.chain), exactly as lotus.audit.services.audit_append would, so
`lotus audit verify` still passes afterwards.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

TEAM_ROLES = {"administrator", "case_manager", "professional_advisor"}
NEVER_ON_A_TEAM = {"pastoral_contact"}
ACTOR_LABEL = "LOTUS update (cases 0003: who may be on a case team)"
GENESIS_HASH = "0" * 64

REASONS = {
    "pastoral_contact": (
        "Pastoral contacts support the practitioner and take no part in any investigation, "
        "so they are no longer on case teams."
    ),
    "named_pastoral_contact": "The pastoral contact for this case cannot be on its team.",
    "panel_member": (
        "Panel members see a case when it is on the agenda of a meeting they sit on, "
        "so they are no longer on case teams."
    ),
    "practitioner": "The practitioner this case is about cannot be on its team.",
    "other": "Only administrators, case managers and professional advisors can be on a case team.",
}


def refusal(roles: set[str], *, named_contact: bool, is_subject: bool, same_organisation: bool) -> str | None:
    """The reason (a key of REASONS) a member may not stay on the team, or None."""
    if roles & NEVER_ON_A_TEAM:
        return "pastoral_contact"
    if named_contact:
        return "named_pastoral_contact"
    if not roles & TEAM_ROLES:
        return "panel_member" if "panel_member" in roles else "other"
    if is_subject:
        return "practitioner"
    if not same_organisation:
        return "other"
    return None


def _append_audit(apps, *, case, details: dict) -> None:
    from lotus.audit.chain import ChainFields, event_hash, json_safe
    from lotus.audit.keys import audit_key

    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    key = audit_key()
    head = head_model.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = head_model.objects.create(pk=1, sequence=0, hash=GENESIS_HASH)
    occurred = timezone.now().astimezone(dt.UTC)
    fields = ChainFields(
        sequence=head.sequence + 1,
        occurred_at=occurred.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor_id=None,
        actor_label=ACTOR_LABEL,
        action="change",
        object_type="case",
        object_id=str(case.pk),
        organisation_id=case.organisation_id,
        ip_address="",
        details=json_safe(details),
        previous_hash=head.hash,
    )
    digest = event_hash(fields, key.secret)
    event_model.objects.create(
        sequence=fields.sequence,
        occurred_at=occurred,
        actor_id=None,
        actor_label=fields.actor_label,
        action=fields.action,
        object_type=fields.object_type,
        object_id=fields.object_id,
        organisation_id=fields.organisation_id,
        ip_address="",
        details=fields.details,
        previous_hash=fields.previous_hash,
        hash=digest,
        key_id=key.id,
    )
    head_model.objects.filter(pk=1).update(sequence=fields.sequence, hash=digest)


def take_ineligible_members_off_teams(apps, schema_editor=None) -> dict[str, int]:
    """Remove every membership the rule refuses; return how many, by reason."""
    member_model = apps.get_model("cases", "CaseTeamMember")
    timeline_model = apps.get_model("cases", "TimelineEvent")
    grant_model = apps.get_model("accounts", "RoleGrant")
    plan_model = apps.get_model("support", "SupportPlan")
    removed: dict[str, int] = {}
    memberships = list(
        member_model.objects.select_related("case", "case__practitioner", "user").order_by("case_id", "user_id")
    )
    if not memberships:
        return removed
    roles: dict[int, set[str]] = {}
    for user_id, role in grant_model.objects.values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    named = set(plan_model.objects.exclude(pastoral_contact_id=None).values_list("case_id", "pastoral_contact_id"))
    for membership in memberships:
        case, user = membership.case, membership.user
        reason = refusal(
            roles.get(user.pk, set()),
            named_contact=(case.pk, user.pk) in named,
            is_subject=case.practitioner.user_id == user.pk,
            same_organisation=user.organisation_id == case.organisation_id,
        )
        if reason is None:
            continue
        held = sorted(roles.get(user.pk, set()))
        timeline_model.objects.create(
            case=case,
            occurred_at=timezone.now(),
            actor=None,
            kind="team",
            title=f"{user.full_name} taken off the case team"[:200],
            detail=REASONS[reason],
        )
        _append_audit(
            apps,
            case=case,
            details={"team_removed": user.pk, "roles": held, "reason": reason, "member_since": membership.added_at.isoformat()},
        )
        membership.delete()
        removed[reason] = removed.get(reason, 0) + 1
    return removed


def forwards(apps, schema_editor):
    take_ineligible_members_off_teams(apps, schema_editor)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("cases", "0002_timeline_kinds_per_side"),
        ("accounts", "0002_sessions_and_demo_mfa"),
        ("support", "0002_occupationalhealthreferral_consent_request"),
        ("audit", "0005_append_only_triggers"),
    ]

    # Going back puts nobody back: the removals are on the timeline and the audit trail.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
