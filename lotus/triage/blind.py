"""Blind first scoring helpers for triage. The pure name masking lives in
lotus.core.blinding, so the case pages (lotus.cases) can blind too without importing triage."""

from lotus.core.blinding import MASK, TITLES, mask_name, mentions_name, name_parts

__all__ = ["MASK", "TITLES", "mask_name", "mentions_name", "name_parts"]
