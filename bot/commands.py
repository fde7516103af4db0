"""Where every `schakel` subcommand is attached to the command group."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    from indexer.cli import index_command
    from bot.console import ask_command, chat_command, run_command
    from bot.evaluation import eval_command
    from bot.slack.serve import people_group, serve_command
    from bot.reflection.cli import reflect_group

    cli.add_command(index_command)
    cli.add_command(ask_command)
    cli.add_command(chat_command)
    cli.add_command(run_command)
    cli.add_command(eval_command)
    cli.add_command(serve_command)
    cli.add_command(people_group)
    cli.add_command(reflect_group)
