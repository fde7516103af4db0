"""App Home: publish on open, re-publish after a unit search or a hide/show toggle."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.home import ACTION_HIDE, ACTION_SHOW, ACTION_UNIT_SEARCH, publish_home


def register(app: App, deps: SlackDeps) -> None:
    def ack_home() -> None:
        """Acked by Bolt on return; the view is published in the lazy listener."""

    def ack_action(ack: Ack) -> None:
        ack()

    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            publish_home(deps, client, event["user"])

    def unit_search(body: dict[str, Any], client: WebClient) -> None:
        query = body["actions"][0].get("value") or ""
        publish_home(deps, client, body["user"]["id"], query=query)

    def toggle_hidden(body: dict[str, Any], client: WebClient) -> None:
        user_id = body["user"]["id"]
        if body["actions"][0]["action_id"] == ACTION_HIDE:
            deps.people.hide(user_id)
        else:
            deps.people.show(user_id)
        publish_home(deps, client, user_id)

    app.event("app_home_opened")(ack=ack_home, lazy=[home_opened])
    app.action(ACTION_UNIT_SEARCH)(ack=ack_action, lazy=[unit_search])
    app.action(ACTION_HIDE)(ack=ack_action, lazy=[toggle_hidden])
    app.action(ACTION_SHOW)(ack=ack_action, lazy=[toggle_hidden])
