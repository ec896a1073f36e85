"""Opening the database from several processes at once, and failing to open it."""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.synchronize
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.storage import MIGRATIONS, HandledUpdates, ProfileStore, open_db


def _open_after(barrier: multiprocessing.synchronize.Barrier, path: Path) -> None:
    barrier.wait()
    asyncio.run(_open_and_close(path))


async def _open_and_close(path: Path) -> None:
    db = await open_db(path)
    await db.close()


def test_two_processes_opening_a_new_database_at_once_both_succeed(tmp_path: Path) -> None:
    """Two replicas starting together: one migrates, the other waits and finds the work done."""
    context = multiprocessing.get_context("fork")
    for trial in range(10):
        path = tmp_path / f"trial-{trial}" / "greenbot.sqlite"
        barrier = context.Barrier(2)
        workers = [context.Process(target=_open_after, args=(barrier, path)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert [w.exitcode for w in workers] == [0, 0], f"trial {trial}"
        with sqlite3.connect(path) as db:
            assert [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY name")] == [m.__name__ for m in MIGRATIONS]


def test_a_failed_open_exits_at_once_instead_of_hanging(tmp_path: Path) -> None:
    path = tmp_path / "greenbot.sqlite"
    with sqlite3.connect(path) as db:  # a table in the way of the first migration
        db.execute("CREATE TABLE turns (x)")
    script = f"import asyncio; from pathlib import Path; from bot.storage import open_db; asyncio.run(open_db(Path({str(path)!r})))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1 and "StorageError" in result.stderr and "table turns already exists" in result.stderr


async def test_forget_leaves_no_trace_of_the_text_in_the_database_files(tmp_path: Path) -> None:
    path = tmp_path / "greenbot.sqlite"
    db = await open_db(path)
    await db.execute("INSERT INTO turns (user_id, question, answer, lang, mode) VALUES ('u1', 'my secret supplier Zyxwvut', 'an answer', 'en', 'offline')")
    await db.commit()
    await ProfileStore(db).forget("u1")
    leftovers = [p.name for p in tmp_path.iterdir() if b"Zyxwvut" in p.read_bytes()]
    await db.close()
    assert leftovers == []


async def test_handled_updates_are_remembered(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "greenbot.sqlite")
    handled = HandledUpdates(db)
    assert not await handled.seen(812)
    await handled.record(812)
    await handled.record(812)
    assert await handled.seen(812) and not await handled.seen(813)
    assert await handled.purge() == 0  # recorded just now
    await db.close()
