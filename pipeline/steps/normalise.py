"""Step ``normalise``: responses -> one row per idea, cleaned, flagged, restored, lemmatised."""

from __future__ import annotations

import pandas as pd

from pipeline.normalise.ideas import normalise_responses
from pipeline.params import NormaliseParams


def normalise(responses: pd.DataFrame, params: NormaliseParams) -> pd.DataFrame:
    """Split responses into ideas; flag non-answers and duplicates; language, lemmas."""
    return normalise_responses(responses, params)
