"""Sentence embeddings."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def load_sentence_model(
    name_or_path: str | Path, device: str = "cpu", *, allow_network: bool = False
) -> SentenceTransformer:
    """Load a sentence-transformers model from a local directory or a Hugging Face id.

    Unless `allow_network` is true, the Hugging Face hub is switched off for the whole process
    (`HF_HUB_OFFLINE=1`), so an id loads only from the local cache and nothing is downloaded.

    Args:
        name_or_path: Model directory, or a hub id such as "intfloat/multilingual-e5-small".
        device: Torch device to run on.
        allow_network: Let sentence-transformers download a model it does not have locally.

    Returns:
        The loaded model.

    Raises:
        FileNotFoundError: `name_or_path` is a `Path`, or a string starting with ".", "/" or "~",
            and does not exist.
    """
    if not allow_network:
        os.environ["HF_HUB_OFFLINE"] = "1"
        # huggingface_hub reads the variable once, when it is first imported
        constants = sys.modules.get("huggingface_hub.constants")
        if constants is not None:
            constants.HF_HUB_OFFLINE = True

    path = Path(name_or_path).expanduser()
    is_path = isinstance(name_or_path, Path) or str(name_or_path).startswith((".", "/", "~"))
    if is_path and not path.exists():
        raise FileNotFoundError(f"{path}: no such sentence-transformers model directory")

    from sentence_transformers import SentenceTransformer

    model_id = str(path) if path.exists() else str(name_or_path)
    return SentenceTransformer(model_id, device=device, local_files_only=not allow_network)
