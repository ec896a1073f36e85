"""Problems in the words of a content team, not of a YAML parser or a validation library.

"sources.0.url: Field required" becomes "source 1 has no url"; "mapping values are not allowed
here" on a title becomes a hint to put the title in quotes.
"""

from __future__ import annotations

from pydantic_core import ErrorDetails

_FIELDS = {"review_by": "review_by", "updated": "updated", "translation_of": "translation_of"}
_DATE_ERRORS = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}


def field_name(loc: tuple[int | str, ...]) -> str:
    """`("sources", 0, "url")` → "source 1's url"; `("topics", 2)` → "topics item 3"."""
    loc = tuple(part for part in loc if part != "[key]")  # pydantic's marker for a bad mapping key
    if not loc:
        return "the front matter"
    head, *rest = loc
    if head == "sources" and rest and isinstance(rest[0], int):
        return f"source {rest[0] + 1}" + (f"'s {rest[1]}" if len(rest) > 1 else "")
    if rest and isinstance(rest[0], int):
        return f"{head} item {rest[0] + 1}" + (f" ({rest[1]})" if len(rest) > 1 else "")
    return ".".join(str(part) for part in loc)


def explain(error: ErrorDetails, what: str = "guides") -> str:
    """One plain sentence for one validation error in a file of `what` (guides, programmes)."""
    loc, kind = tuple(error["loc"]), error["type"]
    field = field_name(loc)
    if kind == "missing":
        if loc[:1] == ("sources",) and len(loc) == 3:
            return f"source {int(loc[1]) + 1} has no {loc[2]}"
        return f"{field} is missing"
    if kind in _DATE_ERRORS:
        return f"{field} must be a date like 2026-12-05"
    if kind == "url_parsing" or kind == "url_scheme":
        return f"{field} must be a web address starting with https://"
    if kind == "extra_forbidden" and loc == ("core",):
        return "core is no longer set in a guide: the core guides are listed in knowledge/core.yaml"
    if kind == "extra_forbidden":
        return f"{field} is not a field {what} may have (check the spelling)"
    if kind == "string_pattern_mismatch" and loc[-1] in ("id", "translation_of"):
        return f"{field} must be lowercase words joined by dashes, like refrigeration-savings"
    if kind == "string_pattern_mismatch" and loc[-1] == "email":
        return f"{field} must be an email address like name@example.org"
    if kind == "too_short":
        return f"{field} needs at least one entry"
    if kind == "too_long" and "max_length" in error.get("ctx", {}):
        return f"{field} has {error['ctx'].get('actual_length', 'too many')} entries: keep it to {error['ctx']['max_length']}"
    if kind in ("literal_error", "enum"):
        return f"{field} must be one of {error.get('ctx', {}).get('expected', 'the allowed values')}"
    if kind in ("string_too_short",):
        return f"{field} is empty"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{field}: {message}"


def yaml_hint(reason: str, line_text: str, what: str = "front matter") -> str:
    """A YAML parser's complaint, with what to do about the usual causes."""
    key, _, value = line_text.partition(":")
    if "mapping values are not allowed" in reason and ":" in value:
        return f'{key.strip()} contains a colon: put the whole value in double quotes, e.g. {key.strip()}: "{value.strip()}"'
    if "found character '\\t'" in reason:
        return "a tab is used for indenting: use spaces"
    return f"the {what} is not valid YAML ({reason}): check quotes, colons and indentation on this line"
