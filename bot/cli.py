"""The `schakel` command line. Each subsystem adds its commands from its own module."""

from __future__ import annotations

import logging
import os
import sys

import click

from bot.commands import COMMAND_LINE, LazyGroup
from bot.startup import StartupError, check_services, load_settings
from bot.threads import limit_model_threads

# Commands that embed in bulk use every core; the rest answer questions, one model thread per worker.
BULK_COMMANDS = frozenset({"index", "bench"})

# Nothing may reach for a model hub at run time; models are packaged or local paths.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@click.group(cls=LazyGroup)
@click.option("--verbose", "-v", is_flag=True, help="Meer logregels.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Schakel: wie-is-wie, counterparts en antwoorden uit de studies."""
    try:
        settings = load_settings()
        check_services(settings, ctx.meta.get(COMMAND_LINE, []))
    except StartupError as error:
        click.echo(str(error), err=True)
        ctx.exit(2)
    bulk = ctx.invoked_subcommand in BULK_COMMANDS
    limit_model_threads(settings.resolved_index_threads if bulk else settings.resolved_model_threads)
    from bot.logging_setup import configure_logging

    configure_logging(settings, level=logging.DEBUG if verbose else None)
    ctx.obj = settings


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
