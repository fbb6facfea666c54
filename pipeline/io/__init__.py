"""Files in and out: artefacts, users' input tables, fitted models.

Modules: :mod:`~pipeline.io.files` (atomic writes), :mod:`~pipeline.io.artefacts` (tables, arrays,
JSON), :mod:`~pipeline.io.tables` (``read_table`` of a user's file, built on
:mod:`~pipeline.io.sniff` and :mod:`~pipeline.io.readers`), :mod:`~pipeline.io.models` (fitted
models) and :mod:`~pipeline.io.versions` (library versions).
"""
