"""The `schakel` command line. Each subsystem adds its commands from its own module."""

from __future__ import annotations

import logging
import os
import sys

import click

from bot.commands import LazyGroup
from bot.settings import Settings

# Nothing may reach for a model hub at run time; models are packaged or local paths.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@click.group(cls=LazyGroup)
@click.option("--verbose", "-v", is_flag=True, help="Meer logregels.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Schakel: wie-is-wie, counterparts en antwoorden uit de studies."""
    settings = Settings()
    from bot.logging_setup import configure_logging

    configure_logging(settings, level=logging.DEBUG if verbose else None)
    ctx.obj = settings


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
