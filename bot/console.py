"""Terminal adapter: `schakel ask`, the interactive `schakel chat`, and `schakel run`."""

from __future__ import annotations

import json
import sys
import textwrap

from typing import TYPE_CHECKING

import click

from bot.core.models import Answer, AskerContext, Question
from bot.logging_setup import quiet_per_answer_logs
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.core.engine import AnswerEngine

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
    """The engine with the people directory from the shared state database, model loaded."""
    from bot.core.engine import AnswerEngine
    from bot.knowledge.loader import load_knowledge
    from bot.state.db import create_db_engine
    from bot.state.people import PeopleStore

    people = PeopleStore(create_db_engine(settings), load_knowledge(settings.knowledge_dir))
    engine = AnswerEngine.from_settings(settings, people=people)
    engine.warm_up()
    return engine


@click.command("ask")
@click.argument("questions", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Eén JSON-object per vraag, per regel.")
@click.pass_obj
def ask_command(settings: Settings, questions: tuple[str, ...], as_json: bool) -> None:
    """Stel een of meer vragen. Zonder vraag: één vraag per regel van standaardinvoer."""
    engine = _engine_or_exit(settings)
    stream = questions or (line.strip() for line in sys.stdin)
    for text in stream:
        if not text:
            continue
        answer = engine.answer(Question(text=text, asker=AskerContext(private=True)))
        if as_json:
            click.echo(json.dumps(answer.contract(), ensure_ascii=False))
        else:
            click.echo(render_text(answer) + "\n")


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
            text = click.prompt(PROMPT, default="", show_default=False).strip()
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
