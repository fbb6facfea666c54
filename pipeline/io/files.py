"""Atomic writes (standard library only): one file, or a stage's outputs together.

One file (:func:`atomic_path`): the data goes to a temporary file in the target's directory,
which is then renamed over the target (a rename within one file system is atomic), so a failed
write never leaves a half-written file.

Several outputs, files or directories (:func:`atomic_outputs`): each is written to a temporary
name beside it, ``.STEM.balsis-tmp-PID.SUFFIX`` (the suffix is kept: writers pick a format by
it, and ``embeddings.npy`` finds its ``.json`` sidecar). Only when every one is complete is a
journal written, ``.FIRST.balsis-commit`` beside the first output, listing the renames; then the
renames are done and the journal is deleted. A directory cannot be renamed over a non-empty
one, so an old directory is first renamed aside (``.NAME.balsis-old-PID``) and deleted after.
After a kill at any moment:

- no journal yet: every output is still the previous one; the temporaries are stale and the
  next start (:func:`recover_outputs`, called by :func:`atomic_outputs`) deletes them;
- a journal: every new output is complete, and the next start finishes the renames it lists
  (a temporary still there is put in place, one already gone was placed), so the outputs are
  all the new ones. Only the renames themselves, microseconds, can show a mix, and the journal
  repairs it at the next start of the same writer. An error or Ctrl-C during the renames keeps
  the journal and the temporaries for the same repair.

So no ``.tmp`` file and no temporary survives a successful run. (``dvc repro`` itself deletes a
stage's outputs before running it; a stage run by hand keeps its previous outputs.) Two writers
of the same outputs at the same time are not guarded against here (DVC runs one stage at a
time; ``balsis run`` locks its folder, see :mod:`pipeline.io.outdir`). A power cut is another
matter: nothing here calls ``fsync``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

TEMP_MARK = ".balsis-tmp-"
ASIDE_MARK = ".balsis-old-"
JOURNAL_SUFFIX = ".balsis-commit"


def current_umask() -> int:
    """The process umask (reading it means setting it, so it is set back at once)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


# Read once at import: the permissions every artefact is given.
UMASK = current_umask()


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp creates the file readable by its owner only; give it the usual permissions.
        os.chmod(tmp, 0o666 & ~UMASK)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextlib.contextmanager
def atomic_outputs(*targets: str | Path) -> Iterator[list[Path]]:
    """Yield a temporary path per output; put them all in place together if the block succeeds.

    The block writes each output (a file, or a directory it creates) to its temporary path. An
    interrupted commit of an earlier run is finished first and stale temporaries are removed.

    Raises:
        FileNotFoundError: The block succeeded without writing one of the outputs.
    """
    paths = [Path(t) for t in targets]
    if len(set(paths)) != len(paths):
        raise ValueError(f"an output is named twice: {[str(p) for p in paths]}")
    recover_outputs(paths)
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    temps = [temp_path(p) for p in paths]
    try:
        yield temps
        missing = [str(t) for t, tmp in zip(paths, temps, strict=True) if not _exists(tmp)]
        if missing:
            raise FileNotFoundError(f"not written, so nothing was replaced: {', '.join(missing)}")
        commit_outputs(list(zip(temps, paths, strict=True)))
    finally:
        if not journal_path(paths).exists():  # a commit cut short is finished at the next start
            for tmp in temps:
                remove_path(tmp)


def temp_path(target: str | Path) -> Path:
    """The temporary name this process writes ``target`` under (beside it, suffix kept)."""
    target = Path(target)
    return target.with_name(f".{target.stem}{TEMP_MARK}{os.getpid()}{target.suffix}")


def journal_path(targets: Sequence[str | Path]) -> Path:
    """Where the commit of ``targets`` is journalled: beside the first one."""
    first = Path(targets[0])
    return first.with_name(f".{first.name}{JOURNAL_SUFFIX}")


def stale_paths(target: str | Path) -> list[Path]:
    """Temporaries of ``target`` that writers left behind: ours, set-asides and ``.tmp`` files."""
    target = Path(target)
    if not target.parent.is_dir():
        return []
    stem, suffix, name = map(re.escape, (target.stem, target.suffix, target.name))
    temp = rf"\.{stem}{re.escape(TEMP_MARK)}\d+{suffix}"  # temp_path
    pattern = re.compile(
        rf"{temp}|\.{temp}\.\w+\.tmp"  # ... and atomic_path's file while writing it
        rf"|\.{name}{re.escape(ASIDE_MARK)}\d+"  # an old directory set aside by _place
        rf"|\.{name}\.\w+\.tmp"  # atomic_path (mkstemp adds 8 letters, digits or _)
    )
    return sorted(p for p in target.parent.iterdir() if pattern.fullmatch(p.name))


def recover_outputs(targets: Sequence[str | Path]) -> None:
    """Finish a commit of ``targets`` a kill interrupted, then delete their stale temporaries."""
    paths = [Path(t) for t in targets]
    journal = journal_path(paths)
    if journal.exists():
        base = journal.parent
        for tmp, target in json.loads(journal.read_text(encoding="utf-8")):
            if _exists(base / tmp):
                _place(base / tmp, base / target)
            elif not _exists(base / target):  # the new one is lost: bring the old one back
                _restore_aside(base / target)
        journal.unlink(missing_ok=True)
    for path in (*paths, journal):
        for stale in stale_paths(path):
            remove_path(stale)


def commit_outputs(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Rename each complete ``(temporary, target)`` into place, journalled (see the module)."""
    journal = journal_path([target for _, target in pairs])
    base = journal.parent
    renames = [[os.path.relpath(tmp, base), os.path.relpath(target, base)] for tmp, target in pairs]
    with atomic_path(journal) as tmp:
        tmp.write_text(json.dumps(renames, ensure_ascii=False) + "\n", encoding="utf-8")
    for tmp, target in pairs:
        _place(tmp, target)
    journal.unlink(missing_ok=True)


def remove_path(path: Path) -> None:
    """Delete a file, a symlink or a directory tree; nothing if it is not there."""
    if path.is_dir() and not path.is_symlink():
        # Quietly first: another process (a run recovering this folder) may be deleting it too.
        shutil.rmtree(path, ignore_errors=True)
        if _exists(path):
            shutil.rmtree(path)  # what is left could not be deleted: say why
    else:
        path.unlink(missing_ok=True)


def _place(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` onto ``target``; an old directory goes aside first, and is then deleted."""
    if not (tmp.is_dir() or (target.is_dir() and not target.is_symlink())):
        os.replace(tmp, target)  # file over file: atomic
        return
    aside = target.with_name(f".{target.name}{ASIDE_MARK}{os.getpid()}")
    if _exists(target):
        remove_path(aside)
        os.replace(target, aside)
    os.replace(tmp, target)
    remove_path(aside)


def _restore_aside(target: Path) -> None:
    asides = [p for p in stale_paths(target) if ASIDE_MARK in p.name and p.is_dir()]
    if asides:
        os.replace(asides[-1], target)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()
