"""Errors a user can cause and fix, as opposed to bugs."""

from __future__ import annotations

import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class BalsisError(Exception):
    """An error with a message meant for the person running Balsis (no traceback)."""


class InputError(BalsisError):
    """Input data cannot be used; the message names the file and, where known, row and column."""

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.row = row
        self.column = column
        self.hint = hint
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        message = f"{', '.join(where)}: {problem}"
        if hint:
            message += f" ({hint})"
        # One line whatever a cell, a column name or a file name holds.
        super().__init__(_CONTROL.sub(lambda m: repr(m.group())[1:-1], message))
