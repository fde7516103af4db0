"""`schakel serve` (Slack Socket Mode or HTTP, Teams, or Slack HTTP and Teams at once) and `schakel people sync`."""

from __future__ import annotations

import click

from bot.knowledge.loader import load_knowledge
from bot.serve import serve
from bot.settings import Settings
from bot.slack.client import build_client
from bot.slack.people_sync import fetch_profiles
from bot.state.db import create_db_engine
from bot.state.people import PeopleStore


@click.command("serve")
@click.option("--http", "http_mode", is_flag=True, help="Slack HTTP-modus (events op /slack/events) in plaats van Socket Mode.")
@click.option("--teams", "teams_mode", is_flag=True, help="Microsoft Teams: activities op /api/messages (samen met --http op één poort).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres voor HTTP-modus en Teams.")
@click.option("--port", type=int, help="Poort voor HTTP-modus (standaard 3000) of alleen Teams (standaard 3978).")
@click.pass_obj
def serve_command(settings: Settings, http_mode: bool, teams_mode: bool, host: str, port: int | None) -> None:
    """Start de bot: Slack (standaard Socket Mode, zonder inkomende poort), Teams (--teams), of beide (--http --teams)."""
    serve(settings, http=http_mode, teams=teams_mode, host=host, port=port)


@click.group("people")
def people_group() -> None:
    """Het personenoverzicht: people.yaml plus Slack-profielen."""


@people_group.command("sync")
@click.pass_obj
def people_sync_command(settings: Settings) -> None:
    """Lees Slack-profielen (functie en eenheid) in het personenoverzicht."""
    if settings.slack_bot_token is None:
        raise click.ClickException("SLACK_BOT_TOKEN ontbreekt. Zie guides/slack-setup.md.")
    store = PeopleStore(create_db_engine(settings), load_knowledge(settings.knowledge_dir))
    profiles = fetch_profiles(build_client(settings), settings.slack_unit_profile_field)
    with_unit = store.replace_profiles(profiles)
    click.echo(f"{len(profiles)} profielen gelezen, {with_unit} met een bekende eenheid.")
    if not settings.slack_unit_profile_field:
        click.echo("Tip: zet SLACK_UNIT_PROFILE_FIELD op het id van het profielveld met de eenheid.")
