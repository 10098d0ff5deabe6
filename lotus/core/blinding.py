"""Blind first scoring helpers. Pure: no Django import.

Until the reviewer has saved the risk scores, the review pages, the case list, the case
page and its timeline show the review's blind code (`TriageReview.blind_code`, random and
stored per review, so it reveals neither the case's id nor its reference) in place of the
practitioner's identity, and any mention of the practitioner's name in text shown
to the reviewer is masked.
"""

import re

TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame"})
MASK = "[the practitioner]"


def name_parts(full_name: str) -> list[str]:
    """The parts of a name worth looking for: not titles, initials or very short words."""
    words = re.findall(r"[^\W\d_][\w'’-]*", full_name or "")
    return [w for w in words if w.lower().rstrip(".") not in TITLES and len(w) >= 3]


def _pattern(full_name: str) -> re.Pattern | None:
    parts = sorted(set(name_parts(full_name)), key=len, reverse=True)
    if not parts:
        return None
    alternatives = "|".join(re.escape(part) for part in parts)
    return re.compile(rf"(?<!\w)(?:(?:dr|mr|mrs|ms|miss|mx|prof)\.?\s+)?(?:{alternatives})(?!\w)", re.IGNORECASE)


def mentions_name(text: str, full_name: str) -> bool:
    pattern = _pattern(full_name)
    return bool(pattern and pattern.search(text or ""))


def mask_name(text: str, full_name: str) -> str:
    pattern = _pattern(full_name)
    if pattern is None:
        return text or ""
    masked = pattern.sub(MASK, text or "")
    # "[the practitioner] [the practitioner]" for a first name and surname becomes one mask.
    return re.sub(rf"(?:{re.escape(MASK)}\s+)+{re.escape(MASK)}", MASK, masked)



def mask_identity(text: str, full_name: str, registration_number: str = "") -> str:
    """`text` with the practitioner's name and registration number masked."""
    masked = mask_name(text, full_name)
    if registration_number and registration_number.strip():
        masked = masked.replace(registration_number.strip(), MASK)
    return masked
