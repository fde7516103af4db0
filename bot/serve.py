"""Run the Slack bot: Socket Mode (default, no inbound port) or HTTP mode on /slack/events."""

from __future__ import annotations

import logging

import click
from slack_bolt import App

from bot.knowledge.loader import load_knowledge
from bot.settings import Settings

log = logging.getLogger(__name__)


def create_slack_app(settings: Settings) -> App:
    """Load the knowledge, the index and the model once, and wire them into the Bolt app."""
    from bot.core.engine import AnswerEngine
    from bot.slack.app import build_app
    from bot.slack.deps import SlackDeps
    from bot.state.db import create_db_engine
    from bot.state.people import PeopleStore

    db = create_db_engine(settings)
    people = PeopleStore(db, load_knowledge(settings.knowledge_dir))
    engine = AnswerEngine.from_settings(settings, people=people)
    engine.warm_up()
    return build_app(settings, SlackDeps.build(settings, engine, db, people=people))


def serve_slack(settings: Settings, http_mode: bool | None = None, host: str = "127.0.0.1", port: int = 3000) -> None:
    """Serve until interrupted. `http_mode=None`: Socket Mode when SLACK_APP_TOKEN is set, else HTTP."""
    if http_mode is None:
        http_mode = settings.slack_app_token is None
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
        from bot.slack.http import EVENTS_PATH, make_http_server

        server = make_http_server(app, host, port)
        click.echo(f"Schakel luistert op http://{host}:{server.server_port}{EVENTS_PATH}", err=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert settings.slack_app_token is not None
    click.echo("Schakel maakt verbinding via Socket Mode.", err=True)
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
