import datetime as dt

from django.db import models

from lotus.audit.chain import ChainFields


class AppendOnlyError(RuntimeError):
    """Audit events are never changed or removed."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted")


class AuditEvent(models.Model):
    """One line of the append-only, HMAC-chained audit trail.

    Append-only twice over: these model and query-set methods refuse changes, and
    database triggers (migration 0005, lotus/audit/triggers.py) refuse UPDATE and DELETE
    on the table for any SQL client.

    Foreign keys are deliberately plain integers and strings: the trail must outlive
    and not depend on the rows it describes.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)
    #: Which key signed the event (lotus.audit.chain.key_id), so a verifier holding
    #: another key reports "wrong key" rather than "tampered".
    key_id = models.CharField(max_length=16)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor_id"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed")
        # Always an INSERT: an instance given an existing pk must fail, never overwrite.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted")

    def chain_fields(self) -> ChainFields:
        return ChainFields(
            sequence=self.sequence,
            occurred_at=format_timestamp(self.occurred_at),
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            organisation_id=self.organisation_id,
            ip_address=self.ip_address,
            details=self.details,
            previous_hash=self.previous_hash,
        )


class AuditChainHead(models.Model):
    """A single row that appenders lock, so concurrent appends queue and never fork.

    Unlike audit events this row is updated on every append; the database triggers
    that refuse UPDATE and DELETE cover the audit_auditevent table only."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"


def format_timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
