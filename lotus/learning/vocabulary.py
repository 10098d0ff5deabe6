"""The standard list of contributory factors, read from data/factors.yaml. Pure: no
Django import, so the list can be read and tested on its own.

Michael West's factors are not copied into the YAML: their codes are listed there, and
their titles come from lotus.improvement (passed in as `improvement_titles`), so a
performance plan and a review name them the same way.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "factors.yaml"


class VocabularyError(ValueError):
    """The YAML file breaks a rule the code relies on (a repeated or missing code)."""


@dataclass(frozen=True)
class StandardFactor:
    code: str
    title: str
    description: str
    position: int
    retired: bool


@dataclass(frozen=True)
class StandardCategory:
    code: str
    framework: str
    title: str
    description: str
    position: int
    factors: tuple[StandardFactor, ...]


@dataclass(frozen=True)
class Vocabulary:
    frameworks: dict[str, str]
    categories: tuple[StandardCategory, ...]

    def factor_codes(self) -> list[str]:
        return [factor.code for category in self.categories for factor in category.factors]


def parse(data: dict, *, improvement_titles: dict[str, str]) -> Vocabulary:
    """The vocabulary from the parsed YAML, checked: every code present and used once."""
    frameworks: dict[str, str] = {}
    categories: list[StandardCategory] = []
    seen_factors: set[str] = set()
    seen_categories: set[str] = set()
    position = 0
    for framework in data.get("frameworks") or ():
        framework_code = framework.get("code")
        if not framework_code or not framework.get("title"):
            raise VocabularyError("Each framework needs a code and a title")
        frameworks[framework_code] = framework["title"]
        for category in framework.get("categories") or ():
            code = category.get("code")
            if not code or not category.get("title"):
                raise VocabularyError(f"A category of {framework_code} needs a code and a title")
            if code in seen_categories:
                raise VocabularyError(f"The category code {code} is used twice")
            seen_categories.add(code)
            position += 1
            entries = list(category.get("factors") or ())
            for value in category.get("from_improvement") or ():
                if value not in improvement_titles:
                    raise VocabularyError(f"{value} is not one of the performance plan's factors")
                entries.append({"code": f"west.{value}", "title": improvement_titles[value]})
            factors = []
            for index, entry in enumerate(entries, start=1):
                factor_code = entry.get("code")
                if not factor_code or not entry.get("title"):
                    raise VocabularyError(f"A factor in {code} needs a code and a title")
                if factor_code in seen_factors:
                    raise VocabularyError(f"The factor code {factor_code} is used twice")
                seen_factors.add(factor_code)
                factors.append(
                    StandardFactor(
                        code=factor_code,
                        title=entry["title"].strip(),
                        description=(entry.get("description") or "").strip(),
                        position=index,
                        retired=bool(entry.get("retired", False)),
                    )
                )
            if not factors:
                raise VocabularyError(f"The category {code} has no factors")
            categories.append(
                StandardCategory(
                    code=code,
                    framework=framework_code,
                    title=category["title"].strip(),
                    description=(category.get("description") or "").strip(),
                    position=position,
                    factors=tuple(factors),
                )
            )
    return Vocabulary(frameworks=frameworks, categories=tuple(categories))


@lru_cache(maxsize=4)
def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load(*, improvement_titles: dict[str, str], path: Path = DATA) -> Vocabulary:
    return parse(_read(path), improvement_titles=improvement_titles)
