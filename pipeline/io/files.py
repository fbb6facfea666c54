"""Atomic file writes with ordinary permissions (standard library only).

Data goes to a temporary file in the target directory which is then renamed over the target,
so a failed stage never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


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
