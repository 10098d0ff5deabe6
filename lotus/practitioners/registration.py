"""Registration numbers by regulator. Pure: no Django import.

Each regulator issues numbers in its own shape; a number in the wrong shape is refused
with the expected shape named, so the person typing knows how to put it right.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RegistrationFormat:
    regulator: str
    label: str
    pattern: re.Pattern[str]  # ASCII digits only: other scripts' digits are refused
    described: str
    example: str


FORMATS = {
    "GMC": RegistrationFormat(
        "GMC", "General Medical Council (GMC)", re.compile(r"[0-9]{7}"), "7 digits", "1234567"
    ),
    "GDC": RegistrationFormat(
        "GDC", "General Dental Council (GDC)", re.compile(r"[0-9]{1,6}"), "up to 6 digits", "123456"
    ),
    "GOC": RegistrationFormat(
        "GOC",
        "General Optical Council (GOC)",
        re.compile(r"[0-9]{2}-[0-9]{5}"),
        "2 digits, a hyphen, then 5 digits",
        "01-12345",
    ),
    "NMC": RegistrationFormat(
        "NMC",
        "Nursing and Midwifery Council (NMC)",
        re.compile(r"[0-9]{2}[A-Z][0-9]{4}[A-Z]"),
        "2 digits, a letter, 4 digits, then a letter",
        "12A3456E",
    ),
    "OTHER": RegistrationFormat(
        "OTHER",
        "Another regulator",
        re.compile(r"[A-Z0-9][A-Z0-9\-/]{1,19}"),
        "2 to 20 letters, digits, hyphens or slashes",
        "PA12345",
    ),
}


def normalise_registration_number(value: str) -> str:
    """Strip spaces and make letters capitals, as people type numbers in many ways."""
    return re.sub(r"\s+", "", value or "").upper()


def registration_error(regulator: str, number: str) -> str | None:
    """None if `number` fits the regulator's format, else a message naming the format."""
    fmt = FORMATS.get(regulator)
    if fmt is None:
        return "Select the practitioner's regulator"
    if not number:
        return "Enter the registration number"
    if not fmt.pattern.fullmatch(number):
        short = fmt.regulator if fmt.regulator != "OTHER" else "The"
        return (
            f"{short} registration number must be {fmt.described}, for example {fmt.example}"
        )
    return None
