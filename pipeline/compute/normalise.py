"""The normalise step on a Dask cluster: per-idea work on the workers, the corpus on the client.

The client splits the responses into ideas (:func:`~pipeline.normalise.ideas.split_responses`)
and sends the ideas table out in partitions of ``compute.partition_size`` rows. The workers
detect each idea's language; the client fits the diacritics restorer on the Latvian ideas of
the whole corpus (as :func:`~pipeline.normalise.ideas.normalise_responses` does) and sends it
to every worker; the workers restore, fold and lemmatise; the client gathers the partitions in
order and flags non-answers and duplicates over the whole table
(:func:`~pipeline.normalise.ideas.finish_ideas`). The result equals the one-process table.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from pipeline.compute.cluster import gather_in_order, partitions, spread_size
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.normalise.ideas import (
    add_language,
    add_lemmas,
    add_normalised_text,
    finish_ideas,
    restorer_texts,
    split_responses,
)
from pipeline.params import NormaliseParams

logger = logging.getLogger(__name__)


def normalise_on_cluster(
    client: Any, responses: pd.DataFrame, params: NormaliseParams, partition_size: int
) -> pd.DataFrame:
    """The ideas table of ``responses``, the per-idea work done by the workers of ``client``."""
    ideas = split_responses(responses, params)
    size = spread_size(client, len(ideas), partition_size)
    parts = [ideas.iloc[rows].reset_index(drop=True) for rows in partitions(len(ideas), size)]
    logger.info("normalise: %d ideas in %d partitions", len(ideas), len(parts))
    detected = client.map(_languages, parts, params=params, pure=False)
    restorer: DiacriticsRestorer | None = None
    if params.restore_diacritics:
        texts = client.gather(client.map(restorer_texts, detected, pure=False))
        restorer = DiacriticsRestorer().fit([text for part in texts for text in part])
    shared = client.scatter([restorer], broadcast=True)[0] if restorer is not None else None
    done = client.map(_normalised, detected, params=params, restorer=shared, pure=False)
    gathered = gather_in_order(client, done, "normalise")
    table = pd.concat(gathered, ignore_index=True)
    return finish_ideas(table, params, len(responses))


def _languages(part: pd.DataFrame, params: NormaliseParams) -> pd.DataFrame:
    """A partition with its languages (on a worker)."""
    part = part.copy()
    add_language(part, params)
    return part


def _normalised(
    part: pd.DataFrame, params: NormaliseParams, restorer: DiacriticsRestorer | None
) -> pd.DataFrame:
    """A partition with its normalised text and lemmas (on a worker)."""
    part = part.copy()
    add_normalised_text(part, params, restorer)
    add_lemmas(part)
    return part
