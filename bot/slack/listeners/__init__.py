"""Every Slack listener, registered in one place (the layout of Slack's bolt-python samples)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.listeners import actions, commands, corrections, events, home, reflection, shortcuts


def register(app: App, deps: SlackDeps) -> None:
    events.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    shortcuts.register(app, deps)
    home.register(app, deps)
    corrections.register(app, deps)
    reflection.register(app)  # the anonymous-reply button and modal under reflection prompts
