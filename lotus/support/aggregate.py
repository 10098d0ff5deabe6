"""Small-number suppression for anything shown as an aggregate. Pure: no Django import.

Counts from 1 to 7 could identify a person, so they are never shown: the page says
"1 to 7" instead. Zero and counts of 8 or more are shown as they are.
"""

SUPPRESS_BELOW = 8


def suppressed(count: int, threshold: int = SUPPRESS_BELOW) -> str:
    if count < 0:
        raise ValueError("a count cannot be negative")
    if 0 < count < threshold:
        return f"1 to {threshold - 1}"
    return str(count)
