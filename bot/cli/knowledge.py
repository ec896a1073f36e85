"""`greenbot index`, `greenbot search` and `greenbot knowledge check`: the content team's tools."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import typer

from bot.cli.app import app, knowledge_app, settings_of
from bot.domain import LANGUAGES, Filters, ScoredChunk


@knowledge_app.command("check")
def check(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(None, help="Files or folders to check.", show_default="the whole knowledge folder"),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings (a passed review_by or closes, a stale translation or last_verified) as errors."),
    on: dt.datetime | None = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], help="Check as on this day (YYYY-MM-DD): what will be due or closed by then.", show_default="today"
    ),
) -> None:
    """Report every problem in the guides, the programmes and the referral places as file:line: message; exit 1 if there is any error."""
    from bot.knowledge import check_folder, check_paths, check_programmes, check_referrals, load_directory, load_folder, load_referrals
    from bot.knowledge.check import documents_under, files_under
    from bot.language import other_language, unquotable_lines

    settings = settings_of(ctx)
    today = on.date() if on is not None else dt.date.today()
    root = _knowledge_root(paths[0]) if paths else settings.paths.knowledge_dir
    folder = load_folder(root)
    directory = load_directory(root)
    referrals = load_referrals(root)
    every = settings.programmes.verify_every_days
    report = check_folder(folder, today=today, strict=strict, wrong_language=other_language, too_long=unquotable_lines).including(
        check_programmes(directory, today=today, verify_every_days=every, strict=strict)
        + check_referrals(referrals, today=today, verify_every_days=every, strict=strict)
    )
    if paths:
        report = check_paths(report, paths, root)
    for problem in report.problems:
        typer.echo(f"{_shown(problem.path)}:{problem.line}: {'warning: ' if problem.severity == 'warning' else ''}{problem.message}")
    for doc_id, langs in report.missing_translations.items():
        typer.echo(f"translations missing for core guide {doc_id}: {', '.join(langs)}")
    guides = len(documents_under(folder.documents, paths)) if paths else len(folder.documents)
    programmes = len(files_under(directory.paths, paths)) if paths else len(directory.paths)
    places = len(files_under(referrals.paths, paths)) if paths else len(referrals.paths)
    typer.echo(
        f"{guides} guides, {programmes} programmes and {places} referral files checked: {len(report.errors)} errors, {len(report.warnings)} warnings", err=True
    )
    if report.errors:
        raise typer.Exit(1)


@knowledge_app.command("stamp")
def stamp_command(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Translations (files or folders) that now match their English original."),
) -> None:
    """Record that these translations match their English original as it is now.

    Run it after updating a translation; `knowledge check` and `knowledge status` then report the
    translation as stale as soon as the English changes again, naming the changed sections."""
    from bot.knowledge import load_folder
    from bot.knowledge.check import documents_under
    from bot.knowledge.translations import fingerprint, stamp

    folder = load_folder(_knowledge_root(paths[0]))
    by_id = {doc.meta.id: doc for doc in folder.documents}
    chosen = documents_under(folder.documents, paths)
    stamped = 0
    for doc in chosen:
        original = by_id.get(doc.meta.translation_of or "")
        if original is None:
            continue
        stamp(doc.path, fingerprint(original))
        stamped += 1
    typer.echo(f"stamped {stamped} translation{'s' * (stamped != 1)} with their original's current version")


@knowledge_app.command("status")
def status_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the same data as one JSON object."),
    html: Path | None = typer.Option(None, "--html", help="Also write the table as a web page to this file."),
) -> None:
    """Every guide in every language: ✓, unreviewed (machine-made), stale (the English changed) or missing."""
    from bot.knowledge import load_folder
    from bot.knowledge.status import Cell, translation_status, write_html

    folder = load_folder(settings_of(ctx).paths.knowledge_dir)
    status = translation_status(folder.documents)
    if html is not None:
        write_html(status, html)
    if as_json:
        typer.echo(json.dumps(status.as_dict(), ensure_ascii=False, indent=2))
        return
    width = max(len(row.id) for row in status.rows)
    typer.echo(f"{'guide':{width}}  " + "  ".join(f"{lang:>10}" for lang in LANGUAGES))
    for row in status.rows:
        typer.echo(f"{row.id:{width}}  " + "  ".join(f"{row.cells[lang].value:>10}" for lang in LANGUAGES))
    for kind in Cell:
        typer.echo(f"{kind.value:>{width}}  " + "  ".join(f"{status.totals[lang].get(kind.value, 0):>10}" for lang in LANGUAGES))
    stale = [f"  {row.path} → {lang}: {note}" for row in status.rows for lang, note in row.notes.items()]
    if stale:
        typer.echo("stale translations:\n" + "\n".join(stale))
    if html is not None:
        typer.echo(f"wrote {html}", err=True)


@app.command("index")
def index_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object with the counts."),
) -> None:
    """Bring the search index up to date with the knowledge folder (only changes are embedded)."""
    from bot.retrieval import Closable, build_embeddings, build_index

    settings = settings_of(ctx)
    embeddings, model_name = build_embeddings(settings.retrieval, settings.llm)
    try:
        report = build_index(settings, embeddings, model_name, progress=not as_json and sys.stderr.isatty())
    finally:
        if isinstance(embeddings, Closable):
            embeddings.close()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        raise typer.Exit(1 if report.errors else 0)
    for error in report.errors:
        typer.echo(f"skipped: {error}", err=True)
    typer.echo(f"{report.documents} documents, {report.passages} passages, {report.records} sentences and titles in {report.collection}")
    if report.embedded == 0 and report.removed == 0:
        typer.echo(f"Nothing to embed: all {report.skipped} sentences and titles are unchanged.")
    else:
        typer.echo(f"embedded {report.embedded}, removed {report.removed}, unchanged {report.skipped}")
    typer.echo(f"took {report.seconds:.1f} s")
    if report.errors:
        typer.echo(
            f"{len(report.errors)} file problem{'s' * (len(report.errors) > 1)}: those files were skipped (their last good version stays); fix them and index again"
        )
        raise typer.Exit(1)


@app.command("search")
def search_command(
    ctx: typer.Context,
    question: str = typer.Argument(..., help="What a user might ask."),
    lang: str | None = typer.Option(None, "--lang", help=f"Preferred language: {', '.join(LANGUAGES)}."),
    country: str | None = typer.Option(None, "--country", help="ISO code, e.g. VN: its documents plus ASEAN-wide ones."),
    topic: str | None = typer.Option(None, "--topic", help="A topic id from knowledge/topics.yaml."),
    k: int = typer.Option(5, "-k", min=1, help="How many chunks to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the ranked chunks as JSON."),
) -> None:
    """Show the chunks retrieval ranks for a question, with scores and sources."""
    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter(f"unknown language {lang!r}", param_hint="--lang")
    from bot.retrieval import open_retriever

    with open_retriever(settings_of(ctx)) as retriever:
        hits = retriever.search(question, lang=lang, filters=Filters(country=country, topic=topic), k=k)
    if as_json:
        typer.echo(json.dumps([_hit_json(rank, hit) for rank, hit in enumerate(hits, 1)], ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("No matching chunks.")
    for rank, hit in enumerate(hits, 1):
        chunk = hit.chunk
        typer.echo(f"{rank}. [{hit.score:.4f}] {chunk.doc_id} ({chunk.lang}) — {chunk.title} › {chunk.section or '(intro)'}")
        typer.echo(f"   dense #{hit.dense_rank or '-'} {_fmt(hit.dense_score)}   bm25 #{hit.lexical_rank or '-'}   countries: {', '.join(chunk.countries)}")
        typer.echo(f"   {_snippet(chunk.text)}")
        for source in chunk.sources[:3]:
            typer.echo(f"   source: {source.publisher}, {source.title} ({source.date}) {source.url}")


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when it is inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _knowledge_root(path: Path) -> Path:
    """The folder holding topics.yaml at or above `path`."""
    start = path.resolve() if path.is_dir() else path.resolve().parent
    for folder in (start, *start.parents):
        if (folder / "topics.yaml").is_file():
            return folder
    return start


def _hit_json(rank: int, hit: ScoredChunk) -> dict[str, object]:
    chunk = hit.chunk
    return {
        "rank": rank,
        "score": round(hit.score, 6),
        "dense_rank": hit.dense_rank,
        "dense_score": hit.dense_score,
        "lexical_rank": hit.lexical_rank,
        "lexical_score": hit.lexical_score,
        "id": chunk.doc_id,
        "group": chunk.group_id,
        "lang": chunk.lang,
        "title": chunk.title,
        "section": chunk.section,
        "countries": list(chunk.countries),
        "text": chunk.text,
        "sources": [source.__dict__ for source in chunk.sources],
    }


def _fmt(score: float | None) -> str:
    return "" if score is None else f"{score:.3f}"


def _snippet(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
