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
    "knowledge": "bot.review.cli:knowledge_group",
    "feedback": "bot.review.cli:feedback_group",
}


# ctx.meta key: the words after `schakel` ("reflect", "run-due", "--now", …), for the start checks.
COMMAND_LINE = "schakel.command_line"


class LazyGroup(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)
        rest = super().parse_args(ctx, args)
        # What follows the group's own options: the subcommand's name, then `rest`.
        ctx.meta[COMMAND_LINE] = given[len(given) - len(rest) - 1:] if given else []
        return rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command
