"""Numbers for people: one thousands separator in the charts and the report."""

from __future__ import annotations

from pipeline.publish.format import (
    THOUSANDS_SEPARATOR,
    count,
    decimal,
    ideas_phrase,
    int_or_dash,
    number,
    percent,
)


def test_latvian_numbers_use_a_no_break_space_and_a_decimal_comma() -> None:
    assert THOUSANDS_SEPARATOR == "\u00a0"
    assert number(12345.67, "lv", 1) == "12\u00a0345,7"
    assert count(12345.4, "lv") == "12\u00a0345"
    assert ideas_phrase(1021, "lv") == "1\u00a0021\u00a0ideja"
    assert decimal(0.456, "lv") == "0,46"
    assert percent(0.2, "lv") == "20\u00a0%"


def test_english_numbers_use_a_comma_and_a_decimal_point() -> None:
    assert number(12345.67, "en", 1) == "12,345.7"
    assert count(12345, "en") == "12,345"
    assert ideas_phrase(1, "en") == "1\u00a0idea" and ideas_phrase(1021, "en") == "1,021\u00a0ideas"
    assert decimal(0.456, "en") == "0.46"
    assert percent(0.2, "en") == "20%"


def test_latvian_ideas_agree_with_the_last_digit() -> None:
    assert [ideas_phrase(n, "lv") for n in (0, 1, 5, 11, 21)] == [
        "0\u00a0ideju",
        "1\u00a0ideja",
        "5\u00a0idejas",
        "11\u00a0idejas",
        "21\u00a0ideja",
    ]
    assert int_or_dash(None) == "–" and int_or_dash(float("nan")) == "–" and int_or_dash(2.6) == "3"
