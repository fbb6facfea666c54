"""Files in and out: artefacts, users' input tables, fitted models.

Modules: :mod:`~pipeline.io.files` (atomic writes), :mod:`~pipeline.io.artefacts` (tables, arrays,
JSON), :mod:`~pipeline.io.tables` (``read_table`` of a user's file, built on
:mod:`~pipeline.io.sniff` and :mod:`~pipeline.io.readers`), :mod:`~pipeline.io.models` (fitted
models) and :mod:`~pipeline.io.versions` (library versions).
"""

# TEMPORARY re-exports for modules outside pipeline/io that still use `from pipeline import io`
# (io.NAME) or `from pipeline.io import NAME`; remove once they import the submodules directly.
from pipeline.io.artefacts import read_json, read_parquet, write_json, write_npy, write_parquet
from pipeline.io.files import atomic_path
from pipeline.io.models import load_model, save_model

__all__ = [
    "atomic_path",
    "load_model",
    "read_json",
    "read_parquet",
    "save_model",
    "write_json",
    "write_npy",
    "write_parquet",
]
