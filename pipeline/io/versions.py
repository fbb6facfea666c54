"""Installed versions of libraries, recorded next to fitted models and built artefacts."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata


def library_version(distribution: str) -> str | None:
    """The installed version of ``distribution``; None when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def library_versions(distributions: Iterable[str]) -> dict[str, str | None]:
    """The installed version of each distribution, in the order given (None if not installed)."""
    return {name: library_version(name) for name in distributions}
