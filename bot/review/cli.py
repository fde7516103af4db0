"""`schakel knowledge review` and `schakel knowledge export`: the reviewer's work in the terminal.

Whoever can run `schakel` on the server is an operator and may decide; the chat platforms check their
configured reviewers instead.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path

import click

from bot.core import phrases
from bot.core.citations import display_name
from bot.knowledge.loader import KnowledgeBase, KnowledgeError, load_knowledge, load_units_patch
from bot.review import service
from bot.review.export import patch_yaml, units_patch
from bot.review.notify import tell_proposer
from bot.settings import Settings
from bot.state.corrections import Correction, CorrectionStore
from bot.state.db import create_db_engine
from bot.state.questions import to_label

STATUS_LABELS = {"pending": "openstaand", "approved": "goedgekeurd", "rejected": "afgewezen"}
STALE_SHOWN = 15
PLATFORM_NAMES = {"slack": "Slack", "teams": "Teams"}


@click.group("knowledge")
def knowledge_group() -> None:
    """Het wie-is-wie bijhouden: meldingen van gebruikers beoordelen en exporteren."""


@knowledge_group.command("review")
@click.option("--approve", "approve_id", type=int, help="Keur deze melding goed.")
@click.option("--reject", "reject_id", type=int, help="Wijs deze melding af (met --reason).")
@click.option("--reason", help="Waarom je afwijst; de melder krijgt die te zien.")
@click.option("--text", "new_text", help="Keur goed met deze tekst in plaats van het voorstel.")
@click.option("--reviewer", help="Je naam in de bronregel van de melding (standaard: je gebruikersnaam).")
@click.pass_obj
def review_command(settings: Settings, approve_id: int | None, reject_id: int | None, reason: str | None,
                   new_text: str | None, reviewer: str | None) -> None:
    """Toon openstaande meldingen, of keur er een goed of af."""
    if approve_id is not None and reject_id is not None:
        raise click.UsageError("Kies --approve of --reject, niet allebei.")
    if reject_id is not None and not (reason or "").strip():
        raise click.UsageError("Geef met --reason een reden op; de melder krijgt die te zien.")
    if new_text is not None and approve_id is None:
        raise click.UsageError("--text hoort bij --approve.")
    knowledge = load_knowledge(settings.knowledge_dir)
    db = create_db_engine(settings)
    try:
        store = CorrectionStore(db)
        if approve_id is None and reject_id is None:
            _list(settings, knowledge, store)
            return
        correction_id = approve_id if approve_id is not None else reject_id
        assert correction_id is not None
        _decide(settings, knowledge, store, correction_id, approve_id is not None, reason, new_text,
                reviewer or getpass.getuser())
    finally:
        db.dispose()


@knowledge_group.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Schrijf de patch naar dit bestand (standaard: naar de terminal).")
@click.pass_obj
def export_command(settings: Settings, output: Path | None) -> None:
    """De goedgekeurde meldingen als YAML-patch op knowledge/units.yaml."""
    knowledge = load_knowledge(settings.knowledge_dir)
    db = create_db_engine(settings)
    try:
        approved = CorrectionStore(db).with_status("approved")
    finally:
        db.dispose()
    text = patch_yaml(units_patch(approved))
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    try:
        load_units_patch(output, knowledge)  # what is written must pass the same checks as when it is read
    except KnowledgeError as error:
        raise click.ClickException(f"De patch is geschreven maar klopt niet: {error}") from None
    click.echo(f"{len(approved)} goedgekeurde meldingen geschreven naar {output}.", err=True)


@click.group("feedback")
def feedback_group() -> None:
    """Wat gebruikers van de antwoorden vonden."""


@feedback_group.command("export")
@click.option("--eval", "as_eval", is_flag=True, required=True,
              help="Als vragenset (JSONL, de vorm van ../shared/eval/dev.jsonl), zonder steunpassages.")
@click.pass_obj
def feedback_export_command(settings: Settings, as_eval: bool) -> None:
    """De bewaarde vragen met "niet gevonden" of 👎, klaar om te labelen voor de evaluatie."""
    db = create_db_engine(settings)
    try:
        found = to_label(db)
    finally:
        db.dispose()
    if not settings.store_question_text and not found:
        click.echo("Er worden geen vraagteksten bewaard (STORE_QUESTION_TEXT staat uit); er is niets te exporteren.",
                   err=True)
    for question_id, text, why in found:
        click.echo(json.dumps({"id": f"gesteld-{question_id}", "question": text, "category": "", "doc": None,
                               "support": [], "expect": [], "why": why}, ensure_ascii=False))


def _list(settings: Settings, knowledge: KnowledgeBase, store: CorrectionStore) -> None:
    pending = store.with_status("pending")
    click.echo(f"Openstaande meldingen: {len(pending)}")
    for correction in pending:
        click.echo("")
        click.echo(_describe(knowledge, correction))
    if pending:
        click.echo("\nGoedkeuren: schakel knowledge review --approve ID [--text \"…\"]"
                   "\nAfwijzen:   schakel knowledge review --reject ID --reason \"…\"")
    age = settings.directory_max_age_years
    stale = service.stale_units(knowledge, store, age, dt.date.today())
    click.echo(f"\nEenheden met bronnen ouder dan {age} jaar: {len(stale)}")
    for unit, year in stale[:STALE_SHOWN]:
        click.echo(f"  {display_name(unit)}: bron uit {year}")
    if len(stale) > STALE_SHOWN:
        click.echo(f"  en nog {len(stale) - STALE_SHOWN}")


def _describe(knowledge: KnowledgeBase, correction: Correction) -> str:
    unit = knowledge.unit(correction.unit_id)
    old = (correction.old_value or "(niets)").replace("\n", "\n           ")
    return (f"Melding {correction.id} · {display_name(unit) if unit else correction.unit_id} · "
            f"{phrases.overlay_field_label(correction.field, 'nl')}\n"
            f"  voorgesteld door {correction.proposer_name or correction.proposer_id} ({correction.platform}) "
            f"op {correction.created_at.date().isoformat()}, bij antwoord {correction.answer_id}\n"
            f"  nu:      {old}\n"
            f"  voorstel: {correction.new_value}")


def _decide(settings: Settings, knowledge: KnowledgeBase, store: CorrectionStore, correction_id: int,
            approve: bool, reason: str | None, new_text: str | None, reviewer: str) -> None:
    existing = store.get(correction_id)
    if existing is None:
        raise click.ClickException(f"Melding {correction_id} bestaat niet.")
    decided = service.decide(store, correction_id, approve, f"cli:{reviewer}", reviewer, reason=reason,
                             new_value=new_text)
    if decided is None:
        raise click.ClickException(f"Melding {correction_id} is al behandeld ({STATUS_LABELS[existing.status]}).")
    if approve:
        click.echo(f"Melding {correction_id} goedgekeurd. Bron in antwoorden: {decided.overlay_fact().source_label()}.")
    else:
        click.echo(f"Melding {correction_id} afgewezen.")
    if tell_proposer(settings, knowledge, decided):
        click.echo(f"De melder is ingelicht in {PLATFORM_NAMES.get(decided.platform, decided.platform)}.")
    else:
        click.echo("De melder kon niet worden ingelicht; laat het hem of haar zelf weten.")
