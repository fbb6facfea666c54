"""The UI text of the published charts, report and workbook, in Latvian and English.

The text is data: ``text/lv.yaml`` and ``text/en.yaml`` next to this module, each with the
sections ``charts``, ``report``, ``chart_captions``, ``excel_headers`` and ``language_names``.
Both files are read once; the mappings returned are shared, so callers must not change them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

from pipeline.swot.quadrants import QUADRANT_NAMES_EN, QUADRANT_NAMES_LV

LANGUAGES = ("lv", "en")


@functools.cache
def _all_text() -> dict[str, dict[str, Any]]:
    folder = resources.files("pipeline.publish").joinpath("text")
    return {
        lang: yaml.safe_load(folder.joinpath(f"{lang}.yaml").read_text(encoding="utf-8"))
        for lang in LANGUAGES
    }


def ui_text(lang: str, section: str) -> dict[str, Any]:
    """One section of one language's text, e.g. ``ui_text("lv", "report")["title"]``.

    Raises:
        KeyError: ``lang`` is not "lv" or "en", or there is no such section.
    """
    return _all_text()[lang][section]


def quadrant_names(lang: str) -> Mapping[str, str]:
    """The SVID quadrant names (S, W, O, T) in Latvian, or in English for any other ``lang``."""
    return QUADRANT_NAMES_LV if lang == "lv" else QUADRANT_NAMES_EN
