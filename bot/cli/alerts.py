"""`greenbot alerts send` and `greenbot broadcast`: the programme staff's outreach, with a dry run.

Both plan first (who gets what, in which language, less what the delivery ledger holds), then
either print the counts and one sample per language, or send through the Telegram layer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.cli.app import alerts_app, app, fail, settings_of
from bot.domain import ASEAN_COUNTRIES, LANGUAGES, SECTORS, AlertKind

if TYPE_CHECKING:
    from bot.alerts import Plan
    from bot.config import Settings
    from bot.storage import AlertStore

_TODAY = typer.Option(None, "--today", formats=["%Y-%m-%d"], help="Plan as on this day (YYYY-MM-DD).", show_default="today")
_UNCONFIRMED_AFTER_MIN = 60  # a run still sending holds its claims for seconds, not an hour
_DRY_RUN = typer.Option(False, "--dry-run", help="Send nothing: print how many messages would go out, per kind and language, and one sample per language.")


@alerts_app.command("send")
def send(ctx: typer.Context, dry_run: bool = _DRY_RUN, on: dt.datetime | None = _TODAY) -> None:
    """Send each owner who opted in the alerts due today (deadlines, new guides, the monthly tip), once."""
    from bot.knowledge import load_directory
    from bot.prompts import Prompts
    from bot.tg.outbox import plan_alerts

    settings = settings_of(ctx)
    today = on.date() if on is not None else dt.date.today()

    async def planned(store: AlertStore) -> Plan:
        directory = await asyncio.to_thread(load_directory, settings.paths.knowledge_dir)
        return await plan_alerts(store, Prompts(settings.paths.prompts_dir), settings.paths.knowledge_dir, directory, settings, today)

    asyncio.run(_outreach(settings, planned, dry_run, f"alerts for {today.isoformat()}"))


@alerts_app.command("unconfirmed")
def unconfirmed(
    ctx: typer.Context,
    older_than: int = typer.Option(_UNCONFIRMED_AFTER_MIN, "--older-than", min=0, help="Count only alerts claimed at least this many minutes ago."),
    retry: bool = typer.Option(False, "--retry", help="Let the next run send them again: an owner who did get one gets it twice."),
) -> None:
    """Alerts a crash or a cut-off call left unconfirmed: they may not have arrived, and are not sent again unless you --retry."""
    from bot.storage import AlertStore, open_db

    settings = settings_of(ctx)
    before = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=older_than)

    async def run() -> int:
        db = await open_db(settings.database_path)
        try:
            store = AlertStore(db)
            return await (store.retry_unconfirmed(before) if retry else store.unconfirmed(before))
        finally:
            await db.close()

    count = asyncio.run(run())
    if retry:
        typer.echo(f"{count} unconfirmed alerts will be sent again by the next run that plans them")
    else:
        typer.echo(f"{count} alerts claimed over {older_than} minutes ago are unconfirmed" + (": `--retry` lets the next run send them again" if count else ""))


@app.command("broadcast")
def broadcast(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The announcement: YAML with an `id` and a `text` per language (see README, Alerts and broadcasts)."),
    countries: list[str] = typer.Option([], "--country", help=f"Only owners in this country ({', '.join(ASEAN_COUNTRIES)}); repeat for more."),
    sectors: list[str] = typer.Option([], "--sector", help=f"Only owners of this business ({', '.join(SECTORS)}); repeat for more."),
    langs: list[str] = typer.Option([], "--lang", help=f"Only owners reading this language ({', '.join(LANGUAGES)}); repeat for more."),
    dry_run: bool = _DRY_RUN,
) -> None:
    """Send an announcement to the owners who opted into announcements, each in their language, once."""
    from bot.alerts import load_broadcast, plan_broadcast
    from bot.prompts import Prompts

    settings = settings_of(ctx)
    for value, known, what in ((c.upper() for c in countries), ASEAN_COUNTRIES, "country"), (sectors, SECTORS, "sector"), (langs, LANGUAGES, "lang"):
        if unknown := [v for v in value if v not in known]:
            raise typer.BadParameter(f"unknown {what} {', '.join(unknown)} (expected one of {', '.join(known)})", param_hint=f"--{what}")
    loaded = load_broadcast(file, langs or LANGUAGES)
    if isinstance(loaded, list):
        fail("\n".join(str(problem) for problem in loaded))

    async def planned(store: AlertStore) -> Plan:
        owners = [owner async for owner in store.subscribers([AlertKind.NEWS])]
        held = await store.held([loaded.key])
        return plan_broadcast(loaded, owners, held, Prompts(settings.paths.prompts_dir), countries=countries, sectors=sectors, langs=langs)

    asyncio.run(_outreach(settings, planned, dry_run, f"broadcast {loaded.id}"))


async def _outreach(settings: Settings, planned: Callable[[AlertStore], Awaitable[Plan]], dry_run: bool, title: str) -> None:
    """Plan with the ledger, then print the plan or send it."""
    from bot.storage import AlertStore, open_db

    started = dt.datetime.now(dt.UTC)  # claims older than this are other runs'
    db = await open_db(settings.database_path)
    try:
        store = AlertStore(db)
        plan = await planned(store)
        typer.echo(f"{title}: {plan.owners} owners opted in, {len(plan.messages)} messages to send, {plan.held} alerts already in the ledger")
        stuck = await store.unconfirmed(started)
        if stuck:
            typer.echo(f"{stuck} alerts of earlier runs are unconfirmed (a crash or a cut-off call) and are not sent again: see `greenbot alerts unconfirmed`")
        if dry_run:
            _show(plan)
            return
        from bot.tg.outbox import deliver, sender_bot

        async with sender_bot(settings) as bot:
            report = await deliver(bot, store, plan.messages, settings.alerts.concurrency)
        typer.echo(f"sent: {report}")
    finally:
        await db.close()


def _show(plan: Plan) -> None:
    """Counts per kind and language, then one sample message per language."""
    counts = plan.counts()
    langs = [lang for lang in LANGUAGES if counts[("messages", lang)]]
    rows = ["messages", *(kind.value for kind in AlertKind)]
    typer.echo(f"{'':<10}" + "".join(f"{lang:>7}" for lang in langs) + f"{'total':>8}")
    for row in rows:
        typer.echo(f"{row:<10}" + "".join(f"{counts[(row, lang)]:>7}" for lang in langs) + f"{sum(counts[(row, lang)] for lang in langs):>8}")
    for lang, message in plan.samples().items():
        typer.echo(f"\n--- sample in {lang} (owner {message.user_id}) ---\n{message.text}")
