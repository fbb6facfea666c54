"""The ``--out`` folder of ``balsis run``: one run's complete outputs, never a mix of two.

A run writes into a folder beside DIR, ``.DIR.balsis-tmp-PID`` (the same file system, so a
rename is atomic), and swaps it in only at the end
(:func:`pipeline.io.files.commit_outputs`):

1. a journal ``.DIR.balsis-commit`` is written atomically: "rename the temporary to DIR";
2. DIR, if there is one, is renamed aside to ``.DIR.balsis-old-PID``;
3. the temporary is renamed to DIR;
4. the old folder and the journal are deleted.

POSIX cannot rename a folder over a non-empty one, hence step 2, and steps 2 and 3 are two
renames, so for an instant there is no DIR. Why a kill at any moment is still safe:

- before 1: DIR is untouched, the complete previous outputs; the temporary is stale and is
  deleted at the next start;
- from 1 to 3: the journal says the temporary is complete; the next start renames it to DIR
  (whether or not DIR was set aside yet), so DIR holds the complete new outputs;
- after 3: DIR holds the complete new outputs; the next start deletes what is left.

"The next start" is the first thing :func:`output_folder` does, before any other check or work.
The other way, DIR as a symlink to versioned folders, was not taken: a folder people open, zip
and e-mail should be a plain folder.

DIR is replaced as a whole, so anything else in it would be lost. A run therefore refuses to
start when DIR holds a file Balsis did not write, and names it; it neither deletes it silently
nor copies it along (``--out ~/Documents`` would copy or lose a home folder, and the input
file itself may be in DIR). What a run wrote is listed in ``DIR/.balsis-outputs.json``; a folder
written before that list existed is recognised by the names a run writes (``previous``). Files
an operating system drops into folders (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``) and the
``.tmp`` files of killed runs are not kept.

A run holds a lock (``flock``) on its temporary folder, so a second run into the same DIR stops
with an error instead of deleting the first one's work as stale. Windows has no ``flock``: there
two runs into one folder at once are not detected.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.errors import BalsisError, InputError
from pipeline.io.files import (
    atomic_path,
    commit_outputs,
    journal_path,
    recover_outputs,
    remove_path,
    stale_paths,
    temp_path,
)

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

MANIFEST = ".balsis-outputs.json"
SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_TMP_FILE = re.compile(r"\..+\.\w+\.tmp")  # left by pipeline.io.files.atomic_path when killed


def check_output_folder(path: str | Path) -> Path:
    """``path`` resolved (through symlinks), after checking that it is or can become a folder.

    Raises:
        InputError: ``path``, or a folder above it, is a file.
    """
    given = Path(path)
    if given.exists() and not given.is_dir():
        raise InputError(
            given, "--out is a file, not a folder", hint="name a folder for the outputs"
        )
    for above in given.absolute().parents:
        if above.exists() and not above.is_dir():
            raise InputError(above, "is a file, so --out cannot be a folder inside it")
    target = given.resolve()
    if target.parent == target:
        raise InputError(given, "--out cannot be the root of a file system")
    return target


@contextlib.contextmanager
def output_folder(path: str | Path, previous: Sequence[str] = ()) -> Iterator[Path]:
    """Yield an empty folder to write a run into; it becomes ``path`` if the block succeeds.

    Args:
        path: The ``--out`` folder (created if missing).
        previous: Patterns (``fnmatch``, relative, ``/``-separated) of what a run writes, to
            recognise a folder written before ``.balsis-outputs.json`` existed.

    Raises:
        InputError: ``path`` is a file, or holds files Balsis did not write.
        BalsisError: Another run is writing ``path``.
    """
    target = check_output_folder(path)
    _refuse_if_busy(Path(path), target)
    recover_outputs([target])
    foreign = foreign_files(target, previous)
    if foreign:
        more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
        raise InputError(
            Path(path) / foreign[0],
            f"not written by balsis{more}",
            hint="a run replaces its --out folder as a whole; move it away or choose another --out",
        )
    staging = temp_path(target)
    staging.mkdir(parents=True)
    lock = _lock(staging)
    try:
        yield staging
        _write_manifest(staging)
        commit_outputs([(staging, target)])
    finally:
        if lock is not None:
            os.close(lock)
        if not journal_path([target]).exists():  # a swap cut short is finished at the next start
            remove_path(staging)


def foreign_files(folder: Path, previous: Sequence[str] = ()) -> list[str]:
    """What in ``folder`` Balsis did not write: paths relative to it, a folder ending in ``/``."""
    if not folder.is_dir():
        return []
    listed = set(_read_manifest(folder))
    known_dirs = {p.as_posix() for entry in (*listed, *previous) for p in Path(entry).parents}
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root).relative_to(folder)
        for name in sorted(dirs):
            rel = (here / name).as_posix()
            if (Path(root) / name).is_symlink():
                files.append(name)  # a link is an entry of its own; never followed
            elif rel not in known_dirs:
                found.append(f"{rel}/")
            else:
                continue
            dirs.remove(name)
        for name in files:
            rel = (here / name).as_posix()
            if not (
                rel == MANIFEST
                or rel in listed
                or name in SYSTEM_FILES
                or _TMP_FILE.fullmatch(name)
                or any(_matches(rel, pattern) for pattern in previous)
            ):
                found.append(rel)
    return sorted(found)


def _matches(rel: str, pattern: str) -> bool:
    # fnmatch's * also matches "/": compare the depth as well
    return rel.count("/") == pattern.count("/") and fnmatch.fnmatchcase(rel, pattern)


def _read_manifest(folder: Path) -> list[str]:
    try:
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # none, or damaged: the names of a run's outputs decide
    return [f for f in files if isinstance(f, str)]


def _write_manifest(folder: Path) -> None:
    files = sorted(
        (Path(root).relative_to(folder) / name).as_posix()
        for root, _, names in os.walk(folder)
        for name in names
    )
    with atomic_path(folder / MANIFEST) as tmp:
        tmp.write_text(json.dumps({"files": files}, indent=1) + "\n", encoding="utf-8")


def _refuse_if_busy(given: Path, target: Path) -> None:
    """Stop if a live run holds the lock on ``target`` or on one of its temporaries."""
    for candidate in (target, *stale_paths(target)):
        if candidate.is_dir() and not candidate.is_symlink():
            try:
                lock = _lock(candidate)
            except BlockingIOError:
                raise BalsisError(
                    f"{given}: another balsis run is writing this folder; wait for it to end "
                    "or choose another --out"
                ) from None
            if lock is not None:
                os.close(lock)


def _lock(folder: Path) -> int | None:
    """An exclusive lock on ``folder``: the open descriptor that holds it (None: no ``flock``).

    Raises:
        BlockingIOError: Another process holds it.
    """
    if fcntl is None:
        return None
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(fd)
        raise
    return fd
