"""Background tasks run by `lotus worker`."""

import logging

from django_tasks import task

logger = logging.getLogger("lotus.ops.tasks")


@task()
def verify_audit_chain() -> dict:
    """Nightly: walk the whole audit chain and log the outcome and the head hash."""
    from lotus.audit.models import AuditChainHead
    from lotus.audit.services import audit_verify

    result = audit_verify()
    head = AuditChainHead.objects.filter(pk=1).first()
    head_sequence = head.sequence if head else 0
    head_hash = head.hash if head else ""
    ok = result.ok and result.verified == head_sequence and (head is None or result.last_hash == head_hash)
    outcome = {"ok": ok, "verified": result.verified, "head_sequence": head_sequence, "head_hash": head_hash}
    if ok:
        logger.info("Audit chain verified: %s events, head %s", result.verified, head_hash)
    else:
        logger.error(
            "Audit chain verification FAILED at event %s: %s (head records %s events)",
            result.first_bad_sequence, result.reason, head_sequence,
        )
    return outcome
