"""Which files an index run covers, and which it must report instead of indexing.

Reported, never skipped in silence: a symbolic link that points nowhere or at itself, and a file whose
name is not valid UTF-8 (the store keeps names as UTF-8; one such name used to stop the whole run).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import Settings
from indexer.loaders import SUPPORTED_SUFFIXES
from indexer.models import FileFailure


@dataclass(frozen=True)
class Scope:
    roots: list[Path]
    files: list[Path]
    missing: list[Path]
    failures: list[FileFailure] = field(default_factory=list)  # found, but not indexable by their name or link

    def contains(self, source_path: str) -> bool:
        path = Path(source_path)
        return any(path == root or ((root.is_dir() or not root.exists()) and path.is_relative_to(root))
                   for root in self.roots)


def shown_path(path: Path | str) -> str:
    """A path as text that can always be printed and stored: undecodable name bytes as \\xNN."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(settings: Settings, paths: Sequence[Path] = ()) -> Scope:
    """The files to index: `settings.index_paths` (knowledge/ and ./docs by default; absent ones are
    fine) plus the given files and folders (absent ones are reported)."""
    roots: list[Path] = []
    missing: list[Path] = []
    failures: list[FileFailure] = []
    files: dict[Path, None] = {}
    candidates = [(Path(configured), False) for configured in settings.index_paths] + [(Path(p), True) for p in paths]
    for given, explicit in candidates:
        root = given.expanduser().absolute()
        if root.is_symlink() and not root.exists():
            failures.append(FileFailure(path=shown_path(root), reason=broken_link(root)))
            continue
        root = root.resolve()
        if root in roots:
            continue
        if not root.exists():
            if explicit:
                missing.append(root)
            else:
                roots.append(root)  # a configured folder that was removed: what it held is pruned
            continue
        roots.append(root)
        found = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in found:
            if path != root and _hidden(path.relative_to(root).parts):
                continue
            if path.is_symlink() and not path.exists():
                failures.append(FileFailure(path=shown_path(path), reason=broken_link(path)))
            elif path.is_file() and (path == root or path.suffix.lower() in SUPPORTED_SUFFIXES):
                if _utf8(path):
                    files[path] = None
                else:
                    failures.append(FileFailure(path=shown_path(path), reason=(
                        "de bestandsnaam is geen geldige UTF-8 (bijvoorbeeld een Windows-1252-naam); "
                        "hernoem het bestand")))
    return Scope(roots=roots, files=list(files), missing=missing, failures=failures)


def broken_link(path: Path) -> str:
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolische koppeling die naar zichzelf verwijst (een lus); niet geïndexeerd"
    return f"symbolische koppeling naar {shown_path(os.readlink(path))}, dat niet bestaat; niet geïndexeerd"


def _utf8(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _hidden(parts: Sequence[str]) -> bool:
    return any(part.startswith((".", "~$")) for part in parts)
