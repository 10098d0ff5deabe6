"""The just culture check, asked before anyone recommends a formal investigation.

Pure: no Django import. The questions follow the order of the tests in NHS Improvement's
*A just culture guide* (2018): deliberate harm, health, foresight, substitution and
mitigating circumstances. The wording is ours. The purpose is to separate causes in the
system from causes in the individual before a person is put through a formal process.
"""

from collections.abc import Mapping
from dataclasses import dataclass

ANSWERS: dict[str, str] = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}


@dataclass(frozen=True)
class Question:
    key: str
    title: str
    text: str
    hint: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "deliberate_harm",
        "Deliberate harm",
        "Is there evidence that the practitioner meant to cause harm?",
        "Intending the act is not the same as intending harm. Answer yes only if harm itself was the aim.",
    ),
    Question(
        "health",
        "Health",
        "Could a physical or mental health problem, or substance use, have played a part?",
        "If so, the first response is support and occupational health advice, not discipline.",
    ),
    Question(
        "foresight",
        "Foresight",
        "Did the practitioner knowingly depart from a clear, workable way of working that colleagues routinely follow?",
        "Consider whether the expected practice was known, available, and realistic in the setting.",
    ),
    Question(
        "substitution",
        "Substitution",
        "Could another practitioner with similar training and experience, in the same situation, have done the same?",
        "If yes, the cause is more likely to lie in the system than in the person.",
    ),
    Question(
        "mitigating",
        "Mitigating circumstances",
        "Were there circumstances, such as workload, staffing, supervision or gaps in training, that made this more likely?",
        "Think about what the organisation could have done differently, as well as the individual.",
    ),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)


def missing_answers(answers: Mapping[str, str]) -> list[Question]:
    return [q for q in QUESTIONS if answers.get(q.key) not in ANSWERS]


def points_to_system(answers: Mapping[str, str]) -> bool:
    """Whether the answers point towards causes in the system rather than the individual."""
    return (
        answers.get("deliberate_harm") != "yes"
        and (
            answers.get("substitution") == "yes"
            or answers.get("mitigating") == "yes"
            or answers.get("health") == "yes"
            or answers.get("foresight") == "no"
        )
    )


def summary(answers: Mapping[str, str]) -> str:
    """One plain sentence for the panel about what the answers suggest."""
    if missing_answers(answers):
        return "The just culture check is not complete."
    if answers.get("deliberate_harm") == "yes":
        return "The answers suggest harm may have been intended: a formal process may be justified."
    if points_to_system(answers):
        return (
            "The answers suggest causes in the system played a part: look at support, "
            "learning and changes to the way of working before a formal process."
        )
    return "The answers do not point to causes in the system: a formal process may be justified."
