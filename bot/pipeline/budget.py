"""Token budgets: the prompt (system, history, sources, question) never exceeds the budget.

Counting uses OpenAI's cl100k encoding (language/encoding.py); for other models it is an
estimate, which is what a budget needs. Lower-ranked sources are dropped first, then the
oldest history; a single source that is still too long is cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import Turn
from bot.language import cl100k, count_cl100k

_HISTORY_SHARE = 0.25  # history may use at most this share of the budget


@dataclass(frozen=True)
class Fitted:
    """What fits: the sources kept (in rank order), the history kept, and the total tokens."""

    source_texts: list[str]
    history: tuple[Turn, ...]
    prompt_tokens: int
    dropped_sources: int


class TokenBudget:
    """Counts and trims in cl100k tokens."""

    @staticmethod
    def load() -> None:
        """Build the encoding now, not at the first prompt: its tables take 0.2 s of Python,
        holding the GIL, and a burst of first questions (200 updates waiting when the bot
        restarts) would queue on it and stall the event loop."""
        cl100k()

    def count(self, text: str) -> int:
        return count_cl100k(text)

    def fit(self, budget: int, fixed: list[str], history: tuple[Turn, ...], sources: list[str]) -> Fitted:
        """Keep what fits in `budget` tokens; `fixed` (system prompt, question, template) always stays."""
        used = sum(self.count(t) for t in fixed)
        kept_history = list(history)
        while kept_history and self._turns_tokens(kept_history) > budget * _HISTORY_SHARE:
            kept_history.pop(0)
        used += self._turns_tokens(kept_history)
        kept: list[str] = []
        for text in sources:
            cost = self.count(text) + 8  # the "[n] title" line around each source
            if used + cost <= budget:
                kept.append(text)
                used += cost
            elif not kept and budget - used > 64:  # even the best source is too long: cut it
                encoding = cl100k()
                cut = encoding.decode(encoding.encode(text, disallowed_special=())[: budget - used - 8])
                kept.append(cut)
                used = budget
        return Fitted(source_texts=kept, history=tuple(kept_history), prompt_tokens=used, dropped_sources=len(sources) - len(kept))

    def _turns_tokens(self, turns: list[Turn]) -> int:
        return sum(self.count(t.question) + self.count(t.answer) + 8 for t in turns)
