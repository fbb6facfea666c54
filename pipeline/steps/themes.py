"""Step ``themes``: clusters -> named themes with keywords and representative ideas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pipeline.params import ThemesParams
from pipeline.topics.taxonomy import Theme
from pipeline.topics.themes import name_themes


def themes(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    clusters: pd.DataFrame,
    taxonomy: Sequence[Theme],
    model: Any,
    params: ThemesParams,
    prompt_name: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(themes, idea_themes)``: one row per theme, the theme of every idea.

    ``model`` made ``embeddings`` with the prompt ``prompt_name`` (``embed.prompt_name``).
    """
    return name_themes(
        ideas, embeddings, clusters, taxonomy, model, params, prompt_name=prompt_name
    )
