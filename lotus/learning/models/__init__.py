"""The learning app's records (issue 12; docs/adr/0019-learning-reviews-and-actions.md).

- vocabulary: the controlled list of contributory factors (frameworks, categories,
  factors; standard ones loaded from data/factors.yaml, local ones per organisation).
- review: the lessons-learnt review of a case, its team, chronology, problems, what went
  well, the coded factors, the practitioner's perspective and its frozen versions.
- actions: improvement actions with evidence and assurance.
- sharing: the anonymised learning summary for the library.

Written only by lotus.learning.services; nothing is deleted (retired, withdrawn, kept).
"""

from lotus.learning.models.actions import Action, ActionPriority, ActionStatus, ActionStatusChange
from lotus.learning.models.review import (
    ChronologyEntry,
    CodedFactor,
    CodedKind,
    FactorScope,
    LearningSettings,
    PositiveLearning,
    PractitionerPerspective,
    Problem,
    Review,
    ReviewPrompt,
    ReviewStatus,
    ReviewTeamMember,
    ReviewVersion,
    TeamRole,
)
from lotus.learning.models.sharing import LearningSummary, SummaryStatus
from lotus.learning.models.vocabulary import Factor, FactorCategory, Framework

__all__ = [
    "Action",
    "ActionPriority",
    "ActionStatus",
    "ActionStatusChange",
    "ChronologyEntry",
    "CodedFactor",
    "CodedKind",
    "Factor",
    "FactorCategory",
    "FactorScope",
    "Framework",
    "LearningSettings",
    "LearningSummary",
    "PositiveLearning",
    "PractitionerPerspective",
    "Problem",
    "Review",
    "ReviewPrompt",
    "ReviewStatus",
    "ReviewTeamMember",
    "ReviewVersion",
    "SummaryStatus",
    "TeamRole",
]
