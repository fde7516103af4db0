"""Terminal adapter: `schakel ask`, the interactive `schakel chat`, and `schakel run`."""

from __future__ import annotations

import json
import logging
import textwrap
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import click

from bot.core.models import Answer, AskerContext, Question
from bot.logging_setup import quiet_per_answer_logs
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.core.engine import AnswerEngine

logger = logging.getLogger(__name__)

WRAP = 100
PROMPT = "Vraag"
STOP_WORDS = {"", "stop", "exit", "quit", "q"}


def render_text(answer: Answer) -> str:
    """A readable answer with numbered sources, for the terminal."""
    lines = [textwrap.fill(part, WRAP) if len(part) > WRAP else part for part in answer.answer.replace("*", "").splitlines()]
    sources = answer.sources or answer.related
    if sources:
        heading = "Bronnen" if answer.sources else "Mogelijk relevant"
        if answer.language == "en":
            heading = "Sources" if answer.sources else "Possibly relevant"
        lines += ["", f"{heading}:"]
        for number, source in enumerate(sources, start=1):
            lines.append(f"  [{number}] {source.title} ({source.doc}, {source.location})")
    return "\n".join(lines)


def load_engine(settings: Settings) -> "AnswerEngine":
    """The engine with the people directory and approved corrections from the shared state database, model
    loaded."""
    from bot.core.engine import AnswerEngine
    from bot.knowledge.loader import load_knowledge
    from bot.state.corrections import CorrectionStore
    from bot.state.db import create_db_engine
    from bot.state.people import PeopleStore

    db = create_db_engine(settings)
    people = PeopleStore(db, load_knowledge(settings.knowledge_dir))
    engine = AnswerEngine.from_settings(settings, people=people, overlay=CorrectionStore(db))
    engine.warm_up()
    return engine


@click.command("ask")
@click.argument("questions", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Eén JSON-object per vraag, per regel.")
@click.pass_context
def ask_command(ctx: click.Context, questions: tuple[str, ...], as_json: bool) -> None:
    """Stel een of meer vragen. Zonder vraag: één vraag per regel van standaardinvoer."""
    settings: Settings = ctx.obj
    engine = _engine_or_exit(settings)
    lines = (readable(_argument_bytes(question)) for question in questions)
    failed = 0
    for text in _nonempty(lines if questions else stdin_questions()):
        try:
            answer = engine.answer(Question(text=text, asker=AskerContext(private=True)))
        except Exception as error:  # one question must not cost the rest of a batch
            logger.debug("answer failed", exc_info=True)
            failed += 1
            message = f"Deze vraag kon niet worden beantwoord (interne fout: {type(error).__name__})."
            click.echo(json.dumps({"question": text, "error": message}, ensure_ascii=False) if as_json
                       else f"{text}\n{message}\n")
            continue
        if as_json:
            click.echo(json.dumps(answer.contract(), ensure_ascii=False))
        else:
            click.echo(render_text(answer) + "\n")
    if failed:
        ctx.exit(1)


def readable(raw: bytes) -> str:
    """A question as text, whatever its bytes: UTF-8, else Windows-1252 (what a Windows terminal or file
    sends for "café"), else UTF-8 with the undecodable bytes replaced."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _argument_bytes(argument: str) -> bytes:
    """The bytes an argument or typed line came as (Python keeps undecodable ones as lone surrogates)."""
    try:
        return argument.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return argument.encode("utf-8", "replace")


def stdin_questions() -> Iterator[str]:
    """One question per line of standard input, read as bytes so no line's encoding stops the batch."""
    for raw in click.get_binary_stream("stdin"):
        yield readable(raw)


def _nonempty(lines: Iterable[str]) -> Iterator[str]:
    return (line.strip() for line in lines if line.strip())


@click.command("chat")
@click.pass_obj
def chat_command(settings: Settings) -> None:
    """Chat met Schakel in de terminal."""
    run_console(settings, _engine_or_exit(settings))


def run_console(settings: Settings, engine: "AnswerEngine") -> None:
    quiet_per_answer_logs()  # a log line between the prompt and the answer reads as noise in a chat
    click.echo(
        "Schakel draait in de console; Slack is niet gekoppeld.\n"
        "Koppel Slack door SLACK_BOT_TOKEN en SLACK_APP_TOKEN (of SLACK_SIGNING_SECRET) in .env te zetten;\n"
        "zie guides/slack-setup.md. Typ je vraag, of 'stop' om te stoppen.\n"
    )
    history: list[str] = []
    while True:
        try:
            text = readable(_argument_bytes(click.prompt(PROMPT, default="", show_default=False))).strip()
        except (EOFError, click.Abort):
            break
        if text.lower() in STOP_WORDS:
            break
        answer = engine.answer(Question(text=text, asker=AskerContext(private=True, thread_history=history[-3:])))
        click.echo("\n" + render_text(answer) + "\n")
        history.append(text)
    click.echo("Tot ziens.")


@click.command("run")
@click.pass_obj
def run_command(settings: Settings) -> None:
    """Indexeer wat geconfigureerd is en start de bot (met Slack-tokens) of de console."""
    from indexer.pipeline import index_paths

    report = index_paths(settings, list(settings.index_paths), progress=True)
    click.echo(
        f"Index bijgewerkt: {report.files_indexed} nieuw of gewijzigd, {report.files_skipped} ongewijzigd, "
        f"{report.files_failed} mislukt."
    )
    if settings.slack_configured:
        from bot.serve import serve

        serve(settings)
        return
    run_console(settings, _engine_or_exit(settings))


def _engine_or_exit(settings: Settings) -> "AnswerEngine":
    from bot.knowledge.loader import KnowledgeError

    try:
        return load_engine(settings)
    except KnowledgeError as error:
        raise click.ClickException(f"De kennisbank bevat een fout: {error}") from None
