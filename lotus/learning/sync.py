"""Bring the standard categories and factors in the database into line with
data/factors.yaml. Run by the migrations (with their historical models) and by
`manage.py learning_vocabulary`; safe to run again and again.

A standard factor that has left the file, or is marked retired in it, is retired, never
deleted: reviews coded with it keep pointing at it.
"""

from django.utils import timezone

from lotus.improvement.models import Factor as PerformanceFactor
from lotus.learning.vocabulary import load


def improvement_titles() -> dict[str, str]:
    return {value: str(label) for value, label in PerformanceFactor.choices}


def vocabulary_sync(*, category_model, factor_model) -> dict[str, int]:
    """Upsert the file's categories and factors; returns counts of what changed."""
    vocabulary = load(improvement_titles=improvement_titles())
    now = timezone.now()
    counts = {"categories": 0, "factors": 0, "retired": 0}
    wanted: set[str] = set()
    for category in vocabulary.categories:
        row, created = category_model.objects.update_or_create(
            code=category.code,
            defaults={
                "framework": category.framework,
                "title": category.title,
                "description": category.description,
                "position": category.position,
            },
        )
        counts["categories"] += int(created)
        for factor in category.factors:
            wanted.add(factor.code)
            existing = factor_model.objects.filter(organisation__isnull=True, code=factor.code).first()
            values = {
                "category": row,
                "title": factor.title,
                "description": factor.description,
                "position": factor.position,
            }
            if existing is None:
                existing = factor_model.objects.create(organisation=None, code=factor.code, **values)
                counts["factors"] += 1
            else:
                for name, value in values.items():
                    setattr(existing, name, value)
            if factor.retired and existing.retired_at is None:
                existing.retired_at, existing.retired_reason = now, "Retired from the standard list"
                counts["retired"] += 1
            elif not factor.retired and existing.retired_at is not None and existing.retired_by_id is None:
                existing.retired_at, existing.retired_reason = None, ""
            existing.save()
    gone = factor_model.objects.filter(organisation__isnull=True, retired_at__isnull=True).exclude(code__in=wanted)
    counts["retired"] += gone.update(retired_at=now, retired_reason="No longer in the standard list")
    return counts


def vocabulary_ensure() -> None:
    """Load the standard list if the database has none: after a flush (a test run, the
    demo being rebuilt) the migrations do not run again, so the first reader loads it,
    as the organisation settings are made on first use."""
    from lotus.learning.models import Factor, FactorCategory

    if not FactorCategory.objects.exists():
        vocabulary_sync(category_model=FactorCategory, factor_model=Factor)
