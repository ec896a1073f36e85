"""Prompt templates and interface strings, loaded by name from the `prompts/` folder.

A content person changes wording there without touching code. Each `prompts/<name>.md` has
front matter (`task`, `variables`) and a Jinja2 body; `prompts/messages/<lang>.yaml` holds the
fixed strings the bot shows in each language. Loading checks both, so a misspelt variable or
a missing string fails at start-up rather than in front of a user.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import frontmatter
import jinja2
import jinja2.meta
import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from bot.domain import FALLBACK_LANG, SECTORS
from bot.errors import PromptError


class PromptMeta(BaseModel):
    """Front matter of a prompt file; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")

    task: str
    variables: list[str]


class SuggestedTopic(BaseModel):
    """A topic button of /topics and the questions it offers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=40)
    questions: list[str] = Field(min_length=3, max_length=5)


class Prompts:
    """Every template and interface string, validated once at start-up."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise PromptError(f"{folder}: no such prompts folder")
        self._env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)
        self._templates: dict[str, jinja2.Template] = {}
        self.meta: dict[str, PromptMeta] = {}
        for path in sorted(folder.glob("*.md")):
            self._load_template(path)
        self._messages = _load_messages(folder / "messages")
        self._topics = _load_topics(folder / "topics")
        self._sectors = _load_sectors(folder / "sectors")

    def _load_template(self, path: Path) -> None:
        try:
            post = frontmatter.loads(path.read_text(encoding="utf-8"))
            meta = PromptMeta.model_validate(post.metadata)
            used = jinja2.meta.find_undeclared_variables(self._env.parse(post.content))
        except (ValidationError, jinja2.TemplateSyntaxError, yaml.YAMLError) as exc:
            raise PromptError(f"{path}: {exc}") from exc
        if used != set(meta.variables):
            raise PromptError(f"{path}: declares variables {sorted(meta.variables)} but uses {sorted(used)}")
        self.meta[path.stem] = meta
        self._templates[path.stem] = self._env.from_string(post.content)

    def render(self, name: str, **variables: Any) -> str:
        """The named template filled in; every declared variable must be given."""
        if name not in self._templates:
            raise PromptError(f"no prompt named {name!r} in the prompts folder")
        missing = set(self.meta[name].variables) - set(variables)
        if missing:
            raise PromptError(f"prompt {name!r} needs {sorted(missing)}")
        return self._templates[name].render(**variables).strip()

    def message(self, lang: str, key: str, **values: Any) -> str:
        """A fixed interface string in `lang`, falling back to English."""
        strings = self._messages.get(lang) or self._messages[FALLBACK_LANG]
        text = strings.get(key) or self._messages[FALLBACK_LANG].get(key)
        if text is None:
            raise PromptError(f"no interface string {key!r}")
        return text.format(**values) if values else text

    def topics(self, lang: str) -> dict[str, SuggestedTopic]:
        """The /topics suggestions in `lang` (English where it has none), by topic id, in order."""
        return self._topics.get(lang) or self._topics[FALLBACK_LANG]

    def sector_questions(self, lang: str, sector: str | None) -> tuple[str, ...]:
        """The questions /topics offers first to an owner of `sector` (none for "other" or no sector)."""
        by_sector = self._sectors.get(lang) or self._sectors[FALLBACK_LANG]
        return tuple(by_sector.get(sector or "", ()))

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages that have an interface-strings file."""
        return tuple(self._messages)


def _read_language_files(folder: Path, defines: str) -> dict[str, Any]:
    """<lang>.yaml in `folder` → {lang: parsed YAML}; English must be there, as it `defines` the rest."""
    english = folder / f"{FALLBACK_LANG}.yaml"
    if not english.is_file():
        raise PromptError(f"{english}: missing; it defines {defines}")
    files: dict[str, Any] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            files[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise PromptError(f"{path}: cannot be read: {exc}") from exc
    return files


def _load_messages(folder: Path) -> dict[str, dict[str, str]]:
    """messages/<lang>.yaml → {lang: {key: text}}; every file must have English's keys."""
    messages: dict[str, dict[str, str]] = {}
    for lang, data in _read_language_files(folder, "every interface string").items():
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise PromptError(f"{folder / lang}.yaml: must map each key to a text")
        messages[lang] = {str(k): v for k, v in data.items()}
    keys = set(messages[FALLBACK_LANG])
    for lang, strings in messages.items():
        if set(strings) != keys:
            raise PromptError(
                f"{folder / lang}.yaml: keys differ from {FALLBACK_LANG}.yaml (missing {sorted(keys - set(strings))}, unknown {sorted(set(strings) - keys)})"
            )
    return messages


_TOPIC_FILE = TypeAdapter(dict[str, SuggestedTopic])
_SECTOR_FILE = TypeAdapter(dict[Literal[SECTORS], Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(min_length=3, max_length=4)]])  # type: ignore[valid-type]


def _load_sectors(folder: Path) -> dict[str, dict[str, list[str]]]:
    """sectors/<lang>.yaml → {lang: {sector: questions}}; every file lists English's sectors."""
    sectors: dict[str, dict[str, list[str]]] = {}
    for lang, data in _read_language_files(folder, "the questions suggested per kind of business").items():
        try:
            sectors[lang] = {str(k): v for k, v in _SECTOR_FILE.validate_python(data).items()}
        except ValidationError as exc:
            raise PromptError(f"{folder / lang}.yaml: {exc}") from exc
    for lang, by_sector in sectors.items():
        if {k: len(v) for k, v in by_sector.items()} != {k: len(v) for k, v in sectors[FALLBACK_LANG].items()}:
            raise PromptError(f"{folder / lang}.yaml: must have the sectors and question counts of {FALLBACK_LANG}.yaml")
    return sectors


def _load_topics(folder: Path) -> dict[str, dict[str, SuggestedTopic]]:
    """topics/<lang>.yaml → {lang: {topic id: SuggestedTopic}}; every file lists English's topics in its order."""
    topics: dict[str, dict[str, SuggestedTopic]] = {}
    for lang, data in _read_language_files(folder, "the /topics suggestions").items():
        try:
            topics[lang] = _TOPIC_FILE.validate_python(data)
        except ValidationError as exc:
            raise PromptError(f"{folder / lang}.yaml: {exc}") from exc
    order = list(topics[FALLBACK_LANG])
    for lang, by_id in topics.items():
        if list(by_id) != order:
            raise PromptError(f"{folder / lang}.yaml: topics must be those of {FALLBACK_LANG}.yaml, in the same order")
        for topic_id, topic in by_id.items():
            if len(topic.questions) != len(topics[FALLBACK_LANG][topic_id].questions):
                raise PromptError(f"{folder / lang}.yaml: {topic_id} must have as many questions as in {FALLBACK_LANG}.yaml")
    return topics
