"""Finding the files of an ingest run: regular files inside the given folders, nothing else.

A folder may hold things no one meant to publish: a symbolic link to /etc/passwd, a `.git`
folder, a fifo (opening one blocks forever). Only regular files are read; everything else is
reported as skipped with a Danish reason, so the report shows what was left out and why.

Symbolic links are skipped unless `follow_symlinks` is set, and even then a link is followed
only to a target inside the folder given (checked on the resolved path), and every folder is
read once at most, so a link back up the tree cannot loop. A path given directly (an argument)
that is itself a symbolic link is followed only with `follow_symlinks` too; it has no enclosing
folder, so it may point anywhere, and links inside it are held to its resolved target.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.report import FileResult

LINK_SKIPPED = "Symbolsk link springes over (brug --follow-symlinks)"
LINK_OUTSIDE = "Symbolsk link peger uden for den angivne mappe og følges ikke"
LINK_BROKEN = "Symbolsk link peger ikke på noget, der findes (eller går i ring)"
LINK_HIDDEN = "Symbolsk link peger på en skjult fil eller mappe og følges ikke"
LINK_LOOP = "Symbolsk link til en mappe, der allerede læses (en løkke eller en anden vej dertil)"
HIDDEN_FILE = "Skjult fil springes over"
HIDDEN_DIR = "Skjult mappe springes over (med alt indhold)"
NOT_REGULAR = "Ikke en almindelig fil (fx en fifo eller en enhed) og springes over"
UNREADABLE_DIR = "Mappen kunne ikke læses"


@dataclass(frozen=True)
class Found:
    """A regular file to read: `path` is what is opened (a followed link's resolved target),
    `source` the name it is stored under (relative to `root`, the folder given)."""

    path: Path
    root: Path
    source: str


@dataclass
class Discovery:
    files: list[Found] = field(default_factory=list)
    skipped: list[FileResult] = field(default_factory=list)
    roots: set[Path] = field(default_factory=set)  # resolved folders that were walked


def skipped(source: str, reason: str) -> FileResult:
    return FileResult(source, "skipped", reason=reason)


def discover_files(paths: Iterable[str | Path], follow_symlinks: bool = False) -> Discovery:
    """The regular files under `paths` (folders walked, files taken as they are), and what
    was skipped; a path that does not exist stops the run (the caller typed it wrong)."""
    out = Discovery()
    for raw in paths:
        given = Path(raw).expanduser()
        path = given
        if given.is_symlink():
            if not follow_symlinks:
                out.skipped.append(skipped(str(given), LINK_SKIPPED))
                continue
            try:
                path = given.resolve(strict=True)
            except (OSError, RuntimeError):
                out.skipped.append(skipped(str(given), LINK_BROKEN))
                continue
        try:
            mode = path.stat().st_mode
        except OSError:
            raise IngestError(
                f"The path does not exist: {given}", user_message=f"Stien findes ikke: {given}"
            ) from None
        if stat.S_ISDIR(mode):
            root = path.resolve()
            out.roots.add(root)
            _walk(root, root, "", follow_symlinks, {root}, out)
        elif stat.S_ISREG(mode):
            out.files.append(Found(path, path.resolve().parent, given.name))
        else:
            out.skipped.append(skipped(str(given), NOT_REGULAR))
    return out


def _walk(
    root: Path, folder: Path, prefix: str, follow: bool, visited: set[Path], out: Discovery
) -> None:
    """Walk `folder` (a real directory inside `root`), whose files are stored as
    `prefix` + name. `visited` holds every real directory read, so none is read twice."""
    try:
        with os.scandir(folder) as entries:
            names = sorted((entry.name, entry) for entry in entries)
    except OSError as exc:
        out.skipped.append(skipped(prefix or ".", f"{UNREADABLE_DIR}: {exc.strerror}"))
        return
    for name, entry in names:
        source = prefix + name
        if name.startswith("."):
            hidden_dir = entry.is_dir(follow_symlinks=False)
            out.skipped.append(skipped(source + "/" if hidden_dir else source,
                                       HIDDEN_DIR if hidden_dir else HIDDEN_FILE))  # fmt: skip
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            if not follow:
                out.skipped.append(skipped(source, LINK_SKIPPED))
                continue
            _follow(root, path, source, follow, visited, out)
        elif entry.is_dir(follow_symlinks=False):
            visited.add(path)
            _walk(root, path, source + "/", follow, visited, out)
        elif entry.is_file(follow_symlinks=False):
            out.files.append(Found(path, root, source))
        else:
            out.skipped.append(skipped(source, NOT_REGULAR))


def _follow(
    root: Path, link: Path, source: str, follow: bool, visited: set[Path], out: Discovery
) -> None:
    """A symbolic link inside `root`: read its target only when it resolves inside `root`."""
    try:
        target = link.resolve(strict=True)
        mode = target.stat().st_mode
    except (OSError, RuntimeError):
        out.skipped.append(skipped(source, LINK_BROKEN))
        return
    if not target.is_relative_to(root):
        out.skipped.append(skipped(source, LINK_OUTSIDE))
        return
    if any(part.startswith(".") for part in target.relative_to(root).parts):
        out.skipped.append(skipped(source, LINK_HIDDEN))
        return
    if stat.S_ISDIR(mode):
        if target in visited:
            out.skipped.append(skipped(source + "/", LINK_LOOP))
            return
        visited.add(target)
        _walk(root, target, source + "/", follow, visited, out)
    elif stat.S_ISREG(mode):
        out.files.append(Found(target, root, source))
    else:
        out.skipped.append(skipped(source, NOT_REGULAR))
