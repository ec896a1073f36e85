"""The glossary's schema follows the languages the bot serves."""

from __future__ import annotations

from bot.domain import LANGUAGES
from bot.knowledge.glossary import Term


def test_a_term_has_forms_for_every_served_language() -> None:
    assert set(Term.model_fields) - {"check"} == set(LANGUAGES)
