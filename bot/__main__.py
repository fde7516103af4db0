"""`python -m bot` runs the `schakel` command."""

from bot.cli import main

main()
