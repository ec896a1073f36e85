"""The alerts owners opted into, and the ledger of what was delivered to whom.

The ledger is what makes sending safe to repeat: an alert is claimed for an owner (a row in
state SENDING, committed) before it is sent, and a run skips every alert the ledger already
holds for that owner, except those Telegram refused. A crash therefore never causes a second
copy; at worst the alerts being sent at that moment stay SENDING and are not tried again, unless
the programme staff choose to (`greenbot alerts unconfirmed --retry`), accepting that an owner
may then get one twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Collection, Sequence

import aiosqlite

from bot.domain import AlertKind, Delivery, Subscriber

_BATCH = 5000  # rows a trip to the database thread: 100,000 owners are read in seconds, not minutes
_HELD = tuple(outcome.value for outcome in Delivery if outcome is not Delivery.REFUSED)  # never sent again
_UNCONFIRMED = (Delivery.SENDING.value, Delivery.UNKNOWN.value)  # may or may not have arrived


class AlertStore:
    """Opt-ins per owner and kind, and the delivery ledger."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def kinds(self, user_id: str) -> set[AlertKind]:
        """The kinds of alert the owner opted into."""
        async with self._db.execute("SELECT kind FROM alert_subscriptions WHERE user_id = ?", (user_id,)) as cursor:
            return {AlertKind(row[0]) async for row in cursor}

    async def subscribe(self, user_id: str, kind: AlertKind, lang: str, today: dt.date) -> None:
        """Opt in to `kind`; `lang` is used when the owner never chose a language in their profile."""
        await self._db.execute(
            "INSERT INTO alert_subscriptions (user_id, kind, lang, since) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, kind) DO UPDATE SET lang = excluded.lang",
            (user_id, kind.value, lang, today.isoformat()),
        )
        await self._db.commit()

    async def unsubscribe(self, user_id: str, kinds: Collection[AlertKind] = tuple(AlertKind)) -> None:
        """Opt out of `kinds` (all of them by default: a blocked bot)."""
        await self._db.execute(f"DELETE FROM alert_subscriptions WHERE user_id = ? AND kind IN ({_marks(kinds)})", (user_id, *(kind.value for kind in kinds)))
        await self._db.commit()

    async def subscribers(self, kinds: Collection[AlertKind]) -> AsyncIterator[Subscriber]:
        """Every owner who opted into one of `kinds`, with their profile's language (else the one
        they used when opting in), country and sector."""
        query = f"""
            SELECT s.user_id, COALESCE(p.lang, s.lang), p.country, p.sector, s.kind, s.since
            FROM alert_subscriptions s LEFT JOIN profiles p ON p.user_id = s.user_id
            WHERE s.kind IN ({_marks(kinds)}) ORDER BY s.user_id
        """
        current: Subscriber | None = None
        async with self._db.execute(query, tuple(kind.value for kind in kinds)) as cursor:
            while rows := await cursor.fetchmany(_BATCH):
                for user_id, lang, country, sector, kind, since in rows:
                    if current is None or current.user_id != user_id:
                        if current is not None:
                            yield current
                        current = Subscriber(user_id, lang, country, sector, {})
                    current.kinds[AlertKind(kind)] = dt.date.fromisoformat(since)
        if current is not None:
            yield current

    async def held(self, alerts: Collection[str]) -> set[tuple[str, str]]:
        """(owner, alert) pairs among `alerts` that the ledger holds and that must not be sent again."""
        if not alerts:
            return set()
        query = f"SELECT user_id, alert FROM alert_deliveries WHERE alert IN ({_marks(alerts)}) AND outcome IN ({_marks(_HELD)})"
        async with self._db.execute(query, (*alerts, *_HELD)) as cursor:
            return {(user_id, alert) async for user_id, alert in cursor}

    async def claim(self, user_id: str, alerts: Sequence[tuple[str, AlertKind]]) -> bool:
        """Record `alerts` (key, kind) as being sent to the owner, committed, before they are sent.

        False when another run holds one of them already: then nothing stays claimed by this call.
        One statement, so that no other writer on this connection can split it."""
        rows = [value for key, kind in alerts for value in (user_id, key, kind.value, Delivery.SENDING.value)]
        returned = await self._db.execute_fetchall(  # stepped to the end at once: a commit meanwhile would find it in progress
            f"""
            INSERT INTO alert_deliveries (user_id, alert, kind, outcome) VALUES {", ".join(["(?, ?, ?, ?)"] * len(alerts))}
            ON CONFLICT (user_id, alert) DO UPDATE SET outcome = excluded.outcome, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                WHERE outcome = '{Delivery.REFUSED.value}'
            RETURNING alert
            """,
            rows,
        )
        claimed = [row[0] for row in returned]
        await self._db.commit()
        if len(claimed) < len(alerts):
            await self.record(user_id, claimed, Delivery.REFUSED)  # let go of ours: a later run plans it again
            return False
        return True

    async def record(self, user_id: str, alerts: Collection[str], outcome: Delivery) -> None:
        """What became of alerts this run claimed for the owner."""
        if not alerts:
            return
        await self._db.execute(
            f"UPDATE alert_deliveries SET outcome = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE user_id = ? AND alert IN ({_marks(alerts)})",
            (outcome.value, user_id, *alerts),
        )
        await self._db.commit()

    async def unconfirmed(self, before: dt.datetime) -> int:
        """Alerts claimed before `before` (UTC) that no run confirmed: a crash or a call cut off
        mid-send left them, and they may or may not have arrived."""
        query = f"SELECT COUNT(*) FROM alert_deliveries WHERE outcome IN ({_marks(_UNCONFIRMED)}) AND updated_at < ?"
        async with self._db.execute(query, (*_UNCONFIRMED, _stamp(before))) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def retry_unconfirmed(self, before: dt.datetime) -> int:
        """Let the next run that plans them send those alerts again (an owner may get one twice)."""
        cursor = await self._db.execute(
            f"UPDATE alert_deliveries SET outcome = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            f"WHERE outcome IN ({_marks(_UNCONFIRMED)}) AND updated_at < ?",
            (Delivery.REFUSED.value, *_UNCONFIRMED, _stamp(before)),
        )
        await self._db.commit()
        return cursor.rowcount


def _stamp(moment: dt.datetime) -> str:
    """`moment` as the ledger writes its times (SQLite's strftime('%Y-%m-%dT%H:%M:%fZ')), to compare as text."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _marks(values: Collection[object]) -> str:
    """SQL placeholders for `values`."""
    return ", ".join("?" * len(values))
