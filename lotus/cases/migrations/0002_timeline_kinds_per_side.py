"""Timeline entries get a kind per side of the case (triage, panel, letter, support,
performance plan, the practitioner's voice), so that each reader sees only the entries
the policy lets them see (lotus.accounts.rules.TIMELINE_VISIBILITY, docs/adr/0016).

Entries written before this migration by the case apps all had the kind "note". They
are given their side's kind from the words each app put at the start of its titles
(below, a copy frozen at this migration). An entry that matches none stays a "note",
which only those who may see the evidence read.
"""

from django.db import migrations, models

#: (kind, how the title starts). The first that matches wins.
TITLE_STARTS = [
    ("triage", "Triage "),
    ("triage", "Second review scores saved"),
    ("triage", "Independent second review"),
    ("triage", "Conflict of interest declared for the "),
    ("support", "Support plan"),
    ("support", "Pastoral contact assigned"),
    ("support", "Heightened support"),
    ("improvement", "Performance plan"),
    ("letter", "Outcome letter drafted"),
    ("letter", "Letter drafted: "),
    ("letter", "Letter approved: "),
    ("letter", "Letter sent: "),
    ("voice", "The practitioner added their reflections"),
    ("voice", "Consent asked for an occupational health report"),
    ("voice", "The practitioner "),
    ("panel", "Added to the "),
]
#: Panel entries whose titles start with a name: matched by what they contain.
TITLE_CONTAINS = [
    ("panel", " declared a conflict and did not take part"),
    ("panel", " decision: "),
]


def kind_for(title: str) -> str:
    for kind, start in TITLE_STARTS:
        if title.startswith(start):
            return kind
    for kind, part in TITLE_CONTAINS:
        if part in title:
            return kind
    return "note"


def classify_notes(apps, schema_editor):
    event_model = apps.get_model("cases", "TimelineEvent")
    changes: dict[str, list[int]] = {}
    for pk, title in event_model.objects.filter(kind="note").values_list("pk", "title").iterator():
        kind = kind_for(title)
        if kind != "note":
            changes.setdefault(kind, []).append(pk)
    for kind, ids in changes.items():
        for start in range(0, len(ids), 500):
            event_model.objects.filter(pk__in=ids[start : start + 500]).update(kind=kind)


def back_to_notes(apps, schema_editor):
    sides = {kind for kind, _ in TITLE_STARTS + TITLE_CONTAINS}
    apps.get_model("cases", "TimelineEvent").objects.filter(kind__in=sides).update(kind="note")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="timelineevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("opened", "Case opened"),
                    ("status", "Status changed"),
                    ("summary", "Summary changed"),
                    ("document", "Document"),
                    ("task", "Task"),
                    ("team", "Case team"),
                    ("note", "Note"),
                    ("triage", "Triage"),
                    ("panel", "Panel"),
                    ("letter", "Letter"),
                    ("support", "Support"),
                    ("improvement", "Performance plan"),
                    ("voice", "The practitioner's voice"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(classify_notes, back_to_notes, elidable=False),
    ]
