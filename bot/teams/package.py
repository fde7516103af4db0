"""`schakel teams package`: the app package to sideload in Teams (manifest with our app id, plus icons)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import click

from bot.settings import REPO_ROOT, Settings

TEAMS_DIR = REPO_ROOT / "teams"
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
FILES = ("manifest.json", "color.png", "outline.png")


def build_package(app_id: str, out: Path, source: Path = TEAMS_DIR) -> Path:
    """Write the zip Teams expects: the three files at the root, the placeholder id replaced."""
    if not GUID.match(app_id):
        raise ValueError(f"TEAMS_APP_ID moet een GUID zijn (zoals in Azure), niet {app_id!r}")
    manifest = (source / "manifest.json").read_text(encoding="utf-8").replace(PLACEHOLDER_ID, app_id)
    json.loads(manifest)  # still valid JSON after the substitution
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", manifest)
        for name in FILES[1:]:
            package.write(source / name, arcname=name)
    return out


@click.group("teams")
def teams_group() -> None:
    """Microsoft Teams: het app-pakket. De bot zelf start met `schakel serve --teams`."""


@teams_group.command("package")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("schakel-teams.zip"),
              show_default=True, help="Waar het zip-bestand komt.")
@click.pass_obj
def package_command(settings: Settings, out: Path) -> None:
    """Maak het app-pakket (manifest en iconen) om in Teams te uploaden."""
    if not settings.teams_app_id:
        raise click.ClickException("TEAMS_APP_ID ontbreekt. Zie guides/teams-setup.md.")
    try:
        path = build_package(settings.teams_app_id, out)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"App-pakket geschreven: {path}. Upload het in Teams via Apps → Apps beheren → Een app uploaden.")
