"""The App Home: what Schakel is, a reviewer's corrections, a unit search, reflection subscriptions and the
user's own profile."""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.models import UnitRef
from bot.review.service import stale_units
from bot.slack.blocks import Block, context, section
from bot.slack.corrections import is_reviewer, review_blocks
from bot.slack.deps import SlackDeps
from bot.slack.formatting import safe_mrkdwn
from bot.slack.texts import EXAMPLE_QUESTIONS

log = logging.getLogger(__name__)

ACTION_UNIT_SEARCH = "home_unit_search"
ACTION_HIDE = "home_hide"
ACTION_SHOW = "home_show"
SEARCH_RESULTS = 8
REFLECTION_HOME = "bot.reflection.home"  # provides subscription_blocks(settings, channel_ids) -> list[dict]


def publish_home(deps: SlackDeps, client: WebClient, user_id: str, query: str | None = None) -> None:
    results = deps.engine.find_units(query, limit=SEARCH_RESULTS) if query and query.strip() else None
    blocks = [
        *_intro(),
        _last_confirmed(deps),
        {"type": "divider"},
        *_review(deps, client, user_id),
        *_unit_search(query, results),
        {"type": "divider"},
        *_reflection(deps, client, user_id),
        *_profile(deps, user_id),
    ]
    client.views_publish(user_id=user_id, view={"type": "home", "blocks": blocks[:100]})


def _intro() -> list[Block]:
    examples = "\n".join(f"• _{question}_" for question in EXAMPLE_QUESTIONS)
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "Schakel"}},
        section(
            "Schakel vertelt wie wie is bij Defensie en partners, stelt counterparts voor (met wie werk je samen, "
            "en waarom) en beantwoordt vragen over vijf studies, met genummerde bronnen. Tag `@Schakel` in een "
            "kanaal, stuur een privébericht of gebruik `/wieiswie`."
        ),
        section(f"*Probeer bijvoorbeeld*\n{examples}"),
    ]


def _last_confirmed(deps: SlackDeps) -> Block:
    """When the directory was last confirmed: the newest approved correction, or the studies' own years."""
    last = deps.corrections.last_approved()
    if last is not None:
        return context(f"Het wie-is-wie is voor het laatst bevestigd op {last.overlay_fact().approved_on.isoformat()} "
                       f"(melding {last.id}). Klopt er iets niet? Gebruik _Klopt niet / Aanvullen_ onder een antwoord.")
    return context("Het wie-is-wie komt uit de studies en is nog niet door gebruikers bevestigd. Klopt er iets niet? "
                   "Gebruik _Klopt niet / Aanvullen_ onder een antwoord.")


def _review(deps: SlackDeps, client: WebClient, user_id: str) -> list[Block]:
    """For a reviewer: the pending corrections and the units whose sources are old."""
    if not is_reviewer(deps.settings, client, user_id):
        return []
    knowledge, age = deps.engine.knowledge, deps.settings.directory_max_age_years
    stale = stale_units(knowledge, deps.corrections, age, dt.date.today())
    return [*review_blocks(knowledge, deps.corrections.with_status("pending"), stale, age), {"type": "divider"}]


def _unit_search(query: str | None, results: list[UnitRef] | None) -> list[Block]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ACTION_UNIT_SEARCH,
        "placeholder": {"type": "plain_text", "text": "bijv. vastgoed, DMO, cyber"},
        "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
    }
    if query:
        element["initial_value"] = query[:150]
    blocks: list[Block] = [
        {"type": "input", "block_id": "unit_search", "dispatch_action": True, "element": element,
         "label": {"type": "plain_text", "text": "Zoek een eenheid"}},
    ]
    if results is None:
        return blocks
    if not results:
        blocks.append(context(f"Geen eenheid gevonden voor _{safe_mrkdwn(query or '')}_. Probeer een ander woord."))
    for unit in results:
        name = safe_mrkdwn(unit.name + (f" ({unit.abbreviation})" if unit.abbreviation else ""))
        reason = f"\n{safe_mrkdwn(unit.reason)}" if unit.reason else ""
        blocks.append(section(f"*{name}*{reason}"))
    return blocks


def _reflection(deps: SlackDeps, client: WebClient, user_id: str) -> list[Block]:
    """The reflection module's blocks for the user's channels, when that module is installed."""
    if importlib.util.find_spec(REFLECTION_HOME) is None:
        return []
    from bot.reflection.home import subscription_blocks

    try:
        channels = _user_channels(client, user_id)
        blocks = subscription_blocks(deps.settings, channels)
    except Exception:
        log.exception("reflection subscriptions unavailable for the App Home")
        return []
    return [*blocks, {"type": "divider"}] if blocks else []


def _user_channels(client: WebClient, user_id: str) -> list[str]:
    channels: list[str] = []
    try:
        for page in client.users_conversations(user=user_id, types="public_channel", exclude_archived=True, limit=200):
            channels.extend(channel["id"] for channel in page.get("channels", []))
    except SlackApiError as error:
        log.warning("could not list the user's channels: %s", error.response.get("error"))
    return channels


def _profile(deps: SlackDeps, user_id: str) -> list[Block]:
    profile = deps.people.profile(user_id)
    unit = deps.engine.knowledge.unit(profile.unit_id) if profile.unit_id else None
    if unit:
        label = unit.name + (f" ({unit.abbreviation})" if unit.abbreviation else "")
        text = f"*Jouw profiel*\nSchakel kent je als iemand van *{safe_mrkdwn(label)}*"
        text += f", {safe_mrkdwn(profile.title)}." if profile.title else "."
    else:
        text = ("*Jouw profiel*\nJe profiel is nog niet aan een eenheid gekoppeld. Vul je eenheid in je "
                "Slack-profiel in; Schakel leest die bij de volgende synchronisatie.")
    if profile.hidden:
        text += "\nJe bent *verborgen*: Schakel noemt je niet in antwoorden."
        button = {"type": "button", "action_id": ACTION_SHOW, "value": "show",
                  "text": {"type": "plain_text", "text": "Toon mij weer in antwoorden"}}
    else:
        text += "\nCollega's kunnen je via Schakel vinden bij vragen over jouw eenheid."
        button = {"type": "button", "action_id": ACTION_HIDE, "value": "hide", "style": "danger",
                  "text": {"type": "plain_text", "text": "Verberg mij in antwoorden"}}
    return [section(text), {"type": "actions", "elements": [button]}]
