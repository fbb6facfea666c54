"""The UI text of the charts, report and workbook: both languages say the same things."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.publish.text import LANGUAGES, quadrant_names, ui_text

SECTIONS = ("charts", "report", "chart_captions", "excel_headers", "language_names")


def _keys(value: Any, prefix: str = "") -> set[str]:
    if not isinstance(value, dict):
        return {prefix}
    return set().union(*(_keys(item, f"{prefix}.{key}") for key, item in value.items()))


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


@pytest.mark.parametrize("section", SECTIONS)
def test_latvian_and_english_text_have_the_same_keys(section: str) -> None:
    lv, en = (ui_text(lang, section) for lang in LANGUAGES)
    assert _keys(lv) == _keys(en)
    assert all(isinstance(text, str) and text for text in _leaves(lv) + _leaves(en))


def test_text_is_read_once_and_keeps_no_break_spaces() -> None:
    assert ui_text("lv", "charts") is ui_text("lv", "charts")
    assert ui_text("lv", "charts")["swot_count"] == "{n}\u00a0no\u00a0{total}"
    assert ui_text("en", "report")["title"] == "Residents' proposals: themes, SWOT and priorities"
    with pytest.raises(KeyError):
        ui_text("de", "charts")


def test_quadrant_names_by_language() -> None:
    assert quadrant_names("lv")["S"] == "Stiprās puses"
    assert quadrant_names("en")["T"] == "Threats"
