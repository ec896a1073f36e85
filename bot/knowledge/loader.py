"""Reads the knowledge folder into typed documents, collecting a `Problem` per bad file.

A bad file never stops the others: it is reported with its line and left out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import frontmatter
import yaml
from pydantic import BaseModel, ValidationError

from bot.domain import FALLBACK_LANG, LANGUAGES, Source
from bot.errors import KnowledgeError
from bot.knowledge.schema import FrontMatter
from bot.knowledge.wording import explain, yaml_hint

logger = logging.getLogger(__name__)

TOPICS_FILE = "topics.yaml"
CORE_FILE = "core.yaml"
_FRONT_MATTER = frontmatter.default_handlers.YAMLHandler()
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: 441 guides' front matter in a second, not ten


Severity = Literal["error", "warning"]
_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """Something wrong in one file, at one line."""

    path: Path
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        label = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {label}{self.message}"


@dataclass(frozen=True)
class Document:
    """A knowledge document that passed every per-file check."""

    meta: FrontMatter
    body: str
    path: Path
    rel_path: str  # POSIX path relative to the knowledge folder
    body_line: int  # 1-based line where the body starts
    key_lines: dict[str, int] = field(default_factory=dict)  # front matter key → line

    @property
    def group_id(self) -> str:
        """The English original's id: a document and its translations share it."""
        return self.meta.translation_of or self.meta.id

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(Source(title=s.title, publisher=s.publisher, url=str(s.url), date=s.date) for s in self.meta.sources)


@dataclass
class KnowledgeFolder:
    """Everything read from one knowledge folder."""

    root: Path
    topics: dict[str, str]
    core: list[str]  # ids of the guides every language must have
    documents: list[Document]
    problems: list[Problem]
    files: list[Path]  # every document file found, good or bad


def load_topics(root: Path) -> dict[str, str]:
    """Read `topics.yaml`: topic id → label."""
    path = root / TOPICS_FILE
    if not path.is_file():
        raise KnowledgeError(f"{path}: missing; it lists the topics documents may use")
    try:
        topics = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot be read: {exc}") from exc
    if not isinstance(topics, dict) or not all(isinstance(k, str) for k in topics):
        raise KnowledgeError(f"{path}: must map each topic id to a label")
    return {str(k): str(v) for k, v in topics.items()}


def load_core(root: Path) -> list[str]:
    """`core.yaml`: the ids of the guides every language must have (a list; none if the file is absent)."""
    path = root / CORE_FILE
    if not path.is_file():
        return []
    try:
        ids = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot be read: {exc}") from exc
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise KnowledgeError(f"{path}: must be a list of guide ids, one per line starting with '- '")
    return ids


def document_files(root: Path) -> list[Path]:
    """Every Markdown document under `root`, in a stable order (README files are not documents)."""
    return sorted(p for p in root.rglob("*.md") if p.name.lower() != "readme.md" and p.is_file())


def load_folder(root: Path) -> KnowledgeFolder:
    """Load every document under `root`; bad files become problems, never exceptions.

    Two files for one guide in one language are both reported and both left out, so that
    neither replaces the other: the index keeps the last good version of whichever it had. A link to a file outside
    the folder is refused: the folder is what the content team reviews.
    """
    if not root.is_dir():
        raise KnowledgeError(f"{root}: no such knowledge folder (run greenbot from the project folder, or set GREENBOT_PATHS__KNOWLEDGE_DIR)")
    topics = load_topics(root)
    problems: list[Problem] = []
    loaded: list[Document] = []
    files = document_files(root)
    inside = root.resolve()
    for path in files:
        target = path.resolve()
        if target != inside and inside not in target.parents:
            problems.append(Problem(path, 1, f"links to {target}, outside the knowledge folder: copy the file into the folder instead"))
            continue
        doc, found = load_document(path, root, topics)
        problems.extend(found)
        if doc is not None:
            loaded.append(doc)
    versions: dict[tuple[str, str], list[Document]] = {}  # (original's id, language) → files
    for doc in loaded:
        versions.setdefault((doc.group_id, doc.meta.lang), []).append(doc)
    documents = []
    for doc in loaded:
        same = versions[(doc.group_id, doc.meta.lang)]
        if len(same) == 1:
            documents.append(doc)
            continue
        others = ", ".join(other.rel_path for other in same if other is not doc)
        what = f"duplicate id {doc.meta.id!r}" if doc.meta.translation_of is None else f"a second {doc.meta.lang} translation of {doc.group_id!r}"
        problems.append(Problem(doc.path, doc.key_lines.get("id", 1), f"{what} (also {others}): keep one file; neither is used until then"))
    return KnowledgeFolder(root=root, topics=topics, core=load_core(root), documents=documents, problems=problems, files=files)


def load_document(path: Path, root: Path, topics: dict[str, str]) -> tuple[Document | None, list[Problem]]:
    """Parse and validate one file; return the document, or None with the reasons."""
    text = read_utf8(path)
    if isinstance(text, Problem):
        return None, [text]
    if not _FRONT_MATTER.detect(text):
        return None, [Problem(path, 1, "missing front matter: the file must start with a '---' line")]
    try:
        fm_text, body = _FRONT_MATTER.split(text)
    except ValueError:
        return None, [Problem(path, 1, "front matter is not closed by a '---' line")]
    body = body.removeprefix("\r").removeprefix("\n")  # the end of the closing '---' line
    body_line = text.count("\n", 0, len(text) - len(body)) + 1  # the body is what is left of the file
    closing_line = text.count("\n", 0, text.index(fm_text) + len(fm_text)) + 1  # the closing "---"
    first_line = text[: text.index(fm_text)].count("\n") + 1  # YAML line 0 is this file line
    parsed = parse_mapping(path, fm_text, first_line, what="front matter")
    if isinstance(parsed, Problem):
        return None, [parsed]

    key_lines = parsed.key_lines
    problems: list[Problem] = []
    try:
        meta = FrontMatter.model_validate(parsed.data)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(Problem(path, parsed.line_of(error["loc"]), explain(error)))
        return None, problems

    for topic in meta.topics:
        if topic not in topics:
            problems.append(Problem(path, key_lines.get("topics", 1), f"unknown topic {topic!r} (add it to {TOPICS_FILE} first)"))
    rel = path.relative_to(root)
    folder = rel.parts[0] if len(rel.parts) > 1 else None
    problems.extend(_naming_problems(path, meta, key_lines))
    if folder in LANGUAGES and folder != meta.lang:
        problems.append(Problem(path, key_lines.get("lang", 1), f"lang is {meta.lang!r} but the file is in the {folder!r} folder"))
    if meta.translation_of is not None and meta.lang == FALLBACK_LANG:
        problems.append(Problem(path, key_lines.get("translation_of", 1), "an English document cannot be a translation"))
    if not body.strip():
        problems.append(Problem(path, closing_line + 1, "empty body: the document has no text after its front matter"))
    if problems:
        return None, problems
    doc = Document(meta=meta, body=body, path=path, rel_path=rel.as_posix(), body_line=body_line, key_lines=key_lines)
    return doc, []


_FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")


def _naming_problems(path: Path, meta: FrontMatter, key_lines: dict[str, int]) -> list[Problem]:
    """The file name is lowercase words and dashes, and the id follows it (plus "-<lang>" in a translation)."""
    if not _FILE_NAME.match(path.name):
        return [Problem(path, 1, f"file name {path.name!r} must be lowercase words joined by dashes, like solar-water-heaters.md")]
    expected = path.stem if meta.translation_of is None else f"{path.stem}-{meta.lang}"
    if meta.id != expected:
        return [Problem(path, key_lines.get("id", 1), f"id is {meta.id!r} but the file name says {expected!r}: make them match")]
    return []


@dataclass(frozen=True)
class ParsedYaml:
    """A YAML mapping read from a file, with its node tree for the file line of any key or value."""

    data: dict[str, Any]
    node: yaml.MappingNode
    first_line: int  # the file line of the YAML text's first line

    @property
    def key_lines(self) -> dict[str, int]:
        """Top-level key → 1-based line in the file."""
        return {str(key.value): key.start_mark.line + self.first_line for key, _ in self.node.value}

    def line_of(self, loc: tuple[int | str, ...]) -> int:
        """The file line of a pydantic error location."""
        return line_of(self.node, loc, self.first_line)


@dataclass(frozen=True)
class YamlFile:
    """A YAML file of the knowledge folder that passed every per-file check, and where each of
    its parts was read (for the line of a later warning)."""

    path: Path
    parsed: ParsedYaml

    def line_of(self, *loc: str | int) -> int:
        return self.parsed.line_of(loc)

    def unknown_topics(self, where: tuple[str | int, ...], used: Iterable[str], known: Mapping[str, str]) -> list[Problem]:
        """A problem, on the line of `where`, for each topic of `used` that topics.yaml lacks."""
        return [Problem(self.path, self.line_of(*where), f"unknown topic {topic!r} (add it to {TOPICS_FILE} first)") for topic in used if topic not in known]


def read_utf8(path: Path) -> str | Problem:
    """The file's text without a byte-order mark, or where it stops being UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(path, line, f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}")


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of a knowledge subfolder (programmes, referrals), in name order; none when
    it is absent. `.yml` is listed too, so that the check can say to rename it."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")) if folder.is_dir() else []


def read_model(path: Path, model: type[_Model], *, what: str, fields_of: str) -> tuple[_Model, ParsedYaml] | list[Problem]:
    """One YAML file of the knowledge folder validated as `model`, with where each part was read;
    or every reason it cannot be used, each on its line (`what` names the file, `fields_of` what
    its fields belong to, in the problems)."""
    if path.suffix != ".yaml":
        return [Problem(path, 1, f"name the file {path.stem}.yaml: only .yaml files are read")]
    text = read_utf8(path)
    if isinstance(text, Problem):
        return [text]
    parsed = parse_mapping(path, text, what=what)
    if isinstance(parsed, Problem):
        return [parsed]
    try:
        return model.model_validate(parsed.data), parsed
    except ValidationError as exc:
        return [Problem(path, parsed.line_of(tuple(error["loc"])), explain(error, fields_of)) for error in exc.errors()]


def parse_mapping(path: Path, yaml_text: str, first_line: int = 1, *, what: str) -> ParsedYaml | Problem:
    """Parse YAML that must be a set of `key: value` lines (`what` names it in problems), or say
    on which file line it goes wrong and what to do about it."""
    try:
        node = yaml.compose(yaml_text, Loader=_YAML)
        data = yaml.load(yaml_text, Loader=_YAML)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        lines = yaml_text.splitlines()
        line_text = lines[line - first_line] if 0 <= line - first_line < len(lines) else ""
        return Problem(path, line, yaml_hint(reason, line_text, what))
    except ValueError:  # YAML reads 2026-02-30 as a date, and Python refuses it
        bad = _impossible_date(yaml.compose(yaml_text, Loader=_YAML))
        line, value = (bad.start_mark.line + first_line, bad.value) if bad is not None else (first_line, "a date")
        return Problem(path, line, f"{value} is not a real date: write it as YYYY-MM-DD, e.g. 2026-02-28")
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return Problem(path, 1, f"{what} must be a set of 'key: value' lines")
    return ParsedYaml({str(k): v for k, v in data.items()}, node, first_line)


def _impossible_date(node: yaml.Node | None) -> yaml.ScalarNode | None:
    """The first scalar that YAML takes for a date but that is no real day."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError:
                return node
        return None
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    return next((bad for child in children if (bad := _impossible_date(child)) is not None), None)


def line_of(node: yaml.Node | None, loc: tuple[int | str, ...], first_line: int) -> int:
    """Follow a pydantic error location through the YAML node tree to a file line."""
    line = 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line = match[0].start_mark.line + first_line
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + first_line
        else:
            break
    return line
