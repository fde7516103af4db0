"""Every `schakel` subcommand, by name, and where it lives.

Commands are imported only when they run, so `schakel reflect list` does not pay for
loading the answer engine's libraries.
"""

from __future__ import annotations

import importlib

import click

COMMANDS = {
    "index": "indexer.cli:index_command",
    "ask": "bot.console:ask_command",
    "chat": "bot.console:chat_command",
    "run": "bot.console:run_command",
    "eval": "bot.evaluation:eval_command",
    "fit": "bot.fit:fit_command",
    "bench": "bot.bench:bench_command",
    "serve": "bot.slack.serve:serve_command",
    "people": "bot.slack.serve:people_group",
    "reflect": "bot.reflection.cli:reflect_group",
    "teams": "bot.teams.package:teams_group",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command
