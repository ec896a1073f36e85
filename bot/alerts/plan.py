"""Who gets what: the alerts due on a day for each owner who opted in, as one message each.

Every alert has a key that names what it says (`closes:<programme>:<date>`, `rule:<guide>:<date>`,
`guide:<guide>:<updated>`, `tip:<month>`, `news:<broadcast>`): the delivery ledger holds keys per
owner, so a guide changed again, or a programme's date moved, is news again, and nothing else is.

An owner gets at most one message a run, carrying all their alerts of the day under a heading
per kind: one notification rather than several, and never two messages in a second to one chat.
Plain Python on plain data: the ledger and Telegram are the caller's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.alerts.content import Guide
from bot.config import AlertSettings
from bot.domain import AlertKind, Subscriber
from bot.knowledge import Directory, Programme, ProgrammeStatus
from bot.knowledge.schema import ENGLISH
from bot.prompts import Prompts

Section = tuple[str, str]  # a heading (may be empty) and its text
MAX_TEXT_CHARS = 3000  # of a broadcast's words as sent: with the footer, a message stays under Telegram's 4096


@dataclass(frozen=True)
class Alert:
    """One thing to tell: its ledger key, its kind, and who it concerns."""

    key: str
    kind: AlertKind


@dataclass(frozen=True)
class Outgoing:
    """One message to one owner: the alerts it carries, and its text as headed sections."""

    user_id: str
    lang: str
    alerts: tuple[Alert, ...]
    sections: tuple[Section, ...]

    @property
    def text(self) -> str:
        """The message as plain text (the dry run's sample)."""
        return "\n\n".join("\n".join(part for part in section if part) for section in self.sections)


@dataclass
class Plan:
    """A run's messages, and what the dry run reports about them."""

    messages: list[Outgoing] = field(default_factory=list)
    owners: int = 0  # opted into a kind the run sends
    held: int = 0  # alerts left out because the ledger holds them for the owner

    def add(self, message: Outgoing) -> None:
        self.messages.append(message)

    def counts(self) -> Counter[tuple[str, str]]:
        """(kind, or "messages") and language → how many."""
        counts: Counter[tuple[str, str]] = Counter()
        for message in self.messages:
            counts[("messages", message.lang)] += 1
            counts.update((alert.kind.value, message.lang) for alert in message.alerts)
        return counts

    def samples(self) -> dict[str, Outgoing]:
        """The first message in each language."""
        found: dict[str, Outgoing] = {}
        for message in self.messages:
            found.setdefault(message.lang, message)
        return found


@dataclass(frozen=True)
class _Item:
    """An alert and the owners it may go to."""

    alert: Alert
    guide: Guide | None = None
    programme: Programme | None = None
    rule_index: int = 0  # which of the guide's deadlines
    day: dt.date | None = None  # when it happens, or when the guide changed

    def concerns(self, subscriber: Subscriber) -> bool:
        country, sector = subscriber.country, subscriber.sector
        if self.programme is not None:
            return self.programme.applies_to(country) and self.programme.serves(sector)
        assert self.guide is not None
        sectors = self.guide.deadlines[self.rule_index].sectors if self.alert.kind is AlertKind.DEADLINES else ()
        return self.guide.concerns(country, sector, sectors)


class AlertPlanner:
    """The alerts due on `today` from the guides and the programmes, planned per owner."""

    def __init__(self, guides: Sequence[Guide], directory: Directory, prompts: Prompts, settings: AlertSettings, today: dt.date) -> None:
        self._prompts, self._settings, self._today = prompts, settings, today
        horizon = today + dt.timedelta(days=settings.deadline_days)
        items = [
            _Item(Alert(f"closes:{p.id}:{p.closes.isoformat()}", AlertKind.DEADLINES), programme=p, day=p.closes)
            for p in directory.programmes
            if p.status(today) is ProgrammeStatus.OPEN and p.closes is not None and p.closes <= horizon
        ]
        items += [
            _Item(Alert(f"rule:{g.id}:{d.date.isoformat()}", AlertKind.DEADLINES), guide=g, rule_index=i, day=d.date)
            for g in guides
            for i, d in enumerate(g.deadlines)
            if today <= d.date <= horizon
        ]
        since = today - dt.timedelta(days=settings.guide_days)
        items += [_Item(Alert(f"guide:{g.id}:{g.updated.isoformat()}", AlertKind.GUIDES), guide=g, day=g.updated) for g in guides if since < g.updated <= today]
        self._items = sorted(items, key=lambda item: (item.day or today, item.alert.key))
        self._tip_key = f"tip:{today:%Y-%m}"
        self._tips = [g for g in guides if ENGLISH in g.openings]  # the tip falls back to English
        self._texts: dict[tuple[object, ...], tuple[Section, ...]] = {}

    @property
    def keys(self) -> set[str]:
        """Every alert a run on this day may send: what to ask the ledger about."""
        return {item.alert.key for item in self._items} | {self._tip_key}

    def plan(self, subscribers: Iterable[Subscriber], held: set[tuple[str, str]]) -> Plan:
        """One message for each owner with something due that the ledger does not hold for them."""
        plan = Plan()
        alike: dict[tuple[object, ...], list[_Item]] = {}  # owners of one country, business and choices share what is due
        holders = {user_id for user_id, _ in held}
        for subscriber in subscribers:
            plan.owners += 1
            group = (subscriber.country, subscriber.sector, tuple(sorted(subscriber.kinds.items())))
            if group not in alike:
                alike[group] = self._due_for(subscriber)
            due = alike[group]
            fresh = [item for item in due if (subscriber.user_id, item.alert.key) not in held] if subscriber.user_id in holders else due
            plan.held += len(due) - len(fresh)
            if fresh:
                plan.add(Outgoing(subscriber.user_id, subscriber.lang, tuple(item.alert for item in fresh), self._sections(subscriber.lang, group, fresh)))
        return plan

    def _due_for(self, subscriber: Subscriber) -> list[_Item]:
        """Everything due for the owner today, the ledger aside."""
        due = [item for item in self._items if self._due(item.alert, subscriber, item.day) and item.concerns(subscriber)]
        tip = self._tip(subscriber) if AlertKind.TIP in subscriber.kinds else None
        return [*due, tip] if tip is not None else due

    def _due(self, alert: Alert, subscriber: Subscriber, day: dt.date | None) -> bool:
        """Opted into its kind; a guide only when it changed since the owner opted in."""
        since = subscriber.kinds.get(alert.kind)
        return since is not None and (alert.kind is not AlertKind.GUIDES or (day is not None and day >= since))

    def _tip(self, subscriber: Subscriber) -> _Item | None:
        """This month's tip: one guide for the owner's country and business, a different one each month."""
        fitting = [g for g in self._tips if g.concerns(subscriber.country, subscriber.sector)]
        if not fitting:
            return None
        guide = fitting[(self._today.year * 12 + self._today.month) % len(fitting)]
        return _Item(Alert(self._tip_key, AlertKind.TIP), guide=guide)

    def _sections(self, lang: str, group: tuple[object, ...], items: list[_Item]) -> tuple[Section, ...]:
        """The message's text; owners of one language and group with the same alerts share one."""
        cache_key = (lang, group, tuple(item.alert.key for item in items))
        if cache_key not in self._texts:
            self._texts[cache_key] = self._compose(lang, items)
        return self._texts[cache_key]

    def _compose(self, lang: str, items: list[_Item]) -> tuple[Section, ...]:
        say, most = self._prompts.message, self._settings.max_items
        sections: list[Section] = []
        for kind in (AlertKind.DEADLINES, AlertKind.GUIDES):
            lines = [self._line(lang, item) for item in items if item.alert.kind is kind]
            if lines:
                shown = lines[:most] + ([say(lang, "alerts_more", count=len(lines) - most)] if len(lines) > most else [])
                sections.append((say(lang, f"alerts_kind_{kind.value}"), "\n".join(shown)))
        for item in items:
            if item.alert.kind is AlertKind.TIP and item.guide is not None:
                tip = f"{_clip(item.guide.title(lang).text, 200)}\n{_clip(item.guide.opening(lang).text, 400)}"
                sections.append((say(lang, "alerts_kind_tip"), f"{tip}\n{say(lang, 'alerts_ask')}"))
        sections.append(("", say(lang, "alerts_footer")))
        return tuple(sections)

    def _line(self, lang: str, item: _Item) -> str:
        if item.programme is not None:
            assert item.programme.closes is not None
            return "• " + self._prompts.message(lang, "alerts_closes", name=item.programme.name.shown(lang).text, date=item.programme.closes.isoformat())
        assert item.guide is not None and item.day is not None
        if item.alert.kind is AlertKind.DEADLINES:
            rule = item.guide.deadlines[item.rule_index]
            return f"• {rule.date.isoformat()}: {_clip(rule.what.shown(lang).text, 300)}"
        return f"• {_clip(item.guide.title(lang).text, 200)}"


def news_sections(prompts: Prompts, lang: str, text: str) -> tuple[Section, ...]:
    """A broadcast's message: the announcement, then why the owner gets it."""
    return (("", text), ("", prompts.message(lang, "alerts_footer")))


def _clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word where there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return f"{cut}…"
