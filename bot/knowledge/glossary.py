"""knowledge/glossary.yaml: the domain terms in all nine languages.

The translators' term base (the first form in each language is the one to use) and the offline
bridge between languages: a question in Thai that says "ค่าไฟ" is also searched for "electricity
bill". `greenbot knowledge check` validates the file like any guide, with its lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from bot.domain import LANGUAGES
from bot.knowledge.loader import Problem, line_of
from bot.knowledge.schema import Review
from bot.knowledge.wording import explain

GLOSSARY_FILE = "glossary.yaml"

Form = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Forms = Annotated[list[Form], Field(min_length=1, max_length=8)]


class Term(BaseModel):
    """One concept in every language; each list starts with the translators' term."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: Forms
    vi: Forms
    th: Forms
    id: Forms
    ms: Forms
    tl: Forms
    km: Forms
    lo: Forms
    my: Forms
    check: bool = True  # false for everyday words ("energy", "owner") that translate differently by context

    @field_validator(*LANGUAGES)
    @classmethod
    def _no_repeats(cls, forms: list[str]) -> list[str]:
        repeated = sorted({f for f in forms if forms.count(f) > 1})
        if repeated:
            raise ValueError(f"repeated form {', '.join(map(repr, repeated))}")
        return forms

    def forms(self, lang: str) -> list[str]:
        return list(getattr(self, lang))


class GlossaryFile(BaseModel):
    """The whole file: review status per language, and the terms by slug."""

    model_config = ConfigDict(extra="forbid")

    review: dict[Literal[LANGUAGES], Review] = Field(default_factory=dict)  # type: ignore[valid-type]
    terms: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")], Term] = Field(min_length=1)


@dataclass(frozen=True)
class Glossary:
    """The terms, and the line each starts on (for reports)."""

    terms: dict[str, Term]
    lines: dict[str, int]

    @classmethod
    def empty(cls) -> Glossary:
        return cls({}, {})


def load_glossary(root: Path) -> tuple[Glossary, list[Problem]]:
    """The glossary of the knowledge folder `root`; an unreadable file gives problems, not an exception."""
    path = root / GLOSSARY_FILE
    if not path.is_file():
        return Glossary.empty(), []
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Glossary.empty(), [Problem(path, mark.line + 1 if mark else 1, f"malformed glossary: {getattr(exc, 'problem', None) or exc}")]
    try:
        parsed = GlossaryFile.model_validate(data)
    except ValidationError as exc:
        return Glossary.empty(), [Problem(path, line_of(node, error["loc"], 1), explain(error)) for error in exc.errors()]
    terms_node = next((v for k, v in node.value if k.value == "terms"), None) if isinstance(node, yaml.MappingNode) else None
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in terms_node.value} if isinstance(terms_node, yaml.MappingNode) else {}
    return Glossary(dict(parsed.terms), lines), []
