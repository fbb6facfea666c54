"""One short module per DVC stage: parse paths, load params, read, call the library, write."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from pipeline.errors import BalsisError


def stage_main(
    name: str,
    configure: Callable[[argparse.ArgumentParser], None],
    run: Callable[[argparse.Namespace], None],
    argv: Sequence[str] | None = None,
) -> int:
    """Parse a stage's arguments, run it, and turn user errors into one clear line.

    Returns:
        The process exit code: 0 on success, 2 for a user error (bad input or params).
    """
    parser = argparse.ArgumentParser(prog=f"python -m pipeline.stages.{name}")
    parser.add_argument("--params", default="params.yaml", help="parameter file (params.yaml)")
    configure(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=f"[{name}] %(message)s")
    try:
        run(args)
    except BalsisError as exc:
        print(f"balsis {name}: error: {exc}", file=sys.stderr)
        return 2
    return 0
