"""`schakel serve` (Socket Mode or HTTP) and `schakel people sync`."""

from __future__ import annotations

import logging

import click
from slack_bolt import App

from bot.knowledge.loader import load_knowledge
from bot.settings import Settings
from bot.slack.app import build_app, build_client
from bot.slack.deps import SlackDeps
from bot.slack.http import EVENTS_PATH, make_http_server
from bot.slack.people_sync import fetch_profiles
from bot.state.db import create_db_engine
from bot.state.people import PeopleStore

log = logging.getLogger(__name__)


def create_slack_app(settings: Settings) -> App:
    """Load the knowledge, the index and the model once, and wire them into the Bolt app."""
    from bot.core.engine import AnswerEngine

    db = create_db_engine(settings)
    people = PeopleStore(db, load_knowledge(settings.knowledge_dir))
    engine = AnswerEngine.from_settings(settings, people=people)
    return build_app(settings, SlackDeps.build(settings, engine, db, people=people))


@click.command("serve")
@click.option("--http", "http_mode", is_flag=True, help="HTTP-modus (events op /slack/events) in plaats van Socket Mode.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres voor HTTP-modus.")
@click.option("--port", default=3000, show_default=True, type=int, help="Poort voor HTTP-modus.")
@click.pass_obj
def serve_command(settings: Settings, http_mode: bool, host: str, port: int) -> None:
    """Start de Slack-bot (standaard Socket Mode, zonder inkomende poort)."""
    if settings.slack_bot_token is None:
        raise click.ClickException("SLACK_BOT_TOKEN ontbreekt. Zie docs/slack-setup.md.")
    if http_mode and settings.slack_signing_secret is None:
        raise click.ClickException("HTTP-modus heeft SLACK_SIGNING_SECRET nodig. Zie docs/slack-setup.md.")
    if not http_mode and settings.slack_app_token is None:
        raise click.ClickException(
            "Socket Mode heeft SLACK_APP_TOKEN (xapp-…) nodig, of start met --http. Zie docs/slack-setup.md."
        )
    app = create_slack_app(settings)
    if http_mode:
        server = make_http_server(app, host, port)
        click.echo(f"Schakel luistert op http://{host}:{server.server_port}{EVENTS_PATH}", err=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
    else:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        assert settings.slack_app_token is not None
        click.echo("Schakel is verbonden via Socket Mode.", err=True)
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()


@click.group("people")
def people_group() -> None:
    """Het personenoverzicht: people.yaml plus Slack-profielen."""


@people_group.command("sync")
@click.pass_obj
def people_sync_command(settings: Settings) -> None:
    """Lees Slack-profielen (functie en eenheid) in het personenoverzicht."""
    if settings.slack_bot_token is None:
        raise click.ClickException("SLACK_BOT_TOKEN ontbreekt. Zie docs/slack-setup.md.")
    store = PeopleStore(create_db_engine(settings), load_knowledge(settings.knowledge_dir))
    profiles = fetch_profiles(build_client(settings), settings.slack_unit_profile_field)
    with_unit = store.replace_profiles(profiles)
    click.echo(f"{len(profiles)} profielen gelezen, {with_unit} met een bekende eenheid.")
    if not settings.slack_unit_profile_field:
        click.echo("Tip: zet SLACK_UNIT_PROFILE_FIELD op het id van het profielveld met de eenheid.")
