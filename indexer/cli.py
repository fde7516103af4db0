"""`schakel index [PATH ...] [--json]`."""

from __future__ import annotations

from pathlib import Path

import click

from bot.settings import Settings
from indexer.models import IndexReport


@click.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print het verslag als één JSON-object.")
@click.pass_obj
def index_command(settings: Settings, paths: tuple[Path, ...], as_json: bool) -> None:
    """Indexeer de kennisbank, ./docs en opgegeven bestanden of mappen (txt, md, pdf, docx, html)."""
    from indexer.pipeline import index_paths

    report = index_paths(settings, paths, progress=not as_json)
    click.echo(report.model_dump_json() if as_json else summary(report))
    if report.files_failed and not report.files_indexed and not report.files_skipped:
        raise click.exceptions.Exit(1)


def summary(report: IndexReport) -> str:
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    lines = [
        f"Geïndexeerd: {report.files_indexed} bestand(en), {report.chunks} tekstdelen "
        f"({report.embeddings_computed} embeddings berekend) in {seconds} s.",
        f"Ongewijzigd: {report.files_skipped}, verwijderd: {report.files_removed}, mislukt: {report.files_failed}.",
    ]
    if report.files_repaired:
        lines.append(f"Hersteld na een onderbroken run: {report.files_repaired} bestand(en) "
                     "(dubbele of half geschreven versies opgeruimd).")
    lines.extend(f"  mislukt: {failure.path}: {failure.reason}" for failure in report.failures)
    return "\n".join(lines)
