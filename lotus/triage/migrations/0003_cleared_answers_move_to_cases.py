"""Cleared answers are kept by one mechanism for every case app (lotus.cases.ClearedAnswer).
The triage rows move there unchanged (who, when, field and text), then the triage table goes."""

from django.db import migrations


def move_to_cases(apps, schema_editor):
    Old = apps.get_model("triage", "ClearedAnswer")
    New = apps.get_model("cases", "ClearedAnswer")
    New.objects.bulk_create(
        New(case_id=old.review.case_id, object_type="triage_review", object_id=old.review_id, field=old.field,
            text=old.text, cleared_by_id=old.cleared_by_id, cleared_at=old.cleared_at)
        for old in Old.objects.select_related("review").order_by("id")
    )


def move_back(apps, schema_editor):
    Old = apps.get_model("triage", "ClearedAnswer")
    New = apps.get_model("cases", "ClearedAnswer")
    Old.objects.bulk_create(
        Old(review_id=new.object_id, field=new.field, text=new.text, cleared_by_id=new.cleared_by_id,
            cleared_at=new.cleared_at)
        for new in New.objects.filter(object_type="triage_review").order_by("id")
    )
    New.objects.filter(object_type="triage_review").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_cleared_answers_for_every_case_app"),
        ("triage", "0002_blind_codes_not_sharing_overrides_cleared_answers"),
    ]

    operations = [
        migrations.RunPython(move_to_cases, move_back),
        migrations.DeleteModel(name="ClearedAnswer"),
    ]
