"""`greenbot feedback export`: users' ratings as JSONL, the input of `greenbot eval from-feedback`."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

import typer

from bot.cli.app import feedback_app, settings_of
from bot.storage import FeedbackStore, Rating, open_db


@feedback_app.command("export")
def export(
    ctx: typer.Context,
    since: dt.datetime | None = typer.Option(None, "--since", help="Only feedback from this date or time on (UTC), e.g. 2026-11-01."),
    rating: Rating | None = typer.Option(None, "--rating", help="Only 'up' or only 'down'."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output."),
) -> None:
    """Write one JSON object per rating: question, answer, language, mode, source ids, rating, reason."""
    settings = settings_of(ctx)

    async def write(stream: TextIO) -> int:
        db = await open_db(settings.database_path)
        count = 0
        try:
            async for item in FeedbackStore(db).export(since=since.strftime("%Y-%m-%dT%H:%M:%S") if since else None, rating=rating):
                stream.write(json.dumps(item, ensure_ascii=False) + "\n")
                count += 1
        finally:
            await db.close()
        return count

    if out is None:
        count = asyncio.run(write(sys.stdout))
    else:
        with out.open("w", encoding="utf-8") as stream:
            count = asyncio.run(write(stream))
    typer.echo(f"{count} feedback rows exported", err=True)
