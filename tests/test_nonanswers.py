"""Non-answers found by pattern, measured on forms written apart from the patterns.

``tests/data/nonanswer_forms.csv`` was written by hand first, thinking of how residents fill in a
form (typos, no diacritics, capitals, repeated letters, fillers), and committed before the
patterns in ``pipeline/normalise/data/non_answer_patterns.txt`` existed; the patterns were written
from the phrases listed in the README and were never edited to fit a form of the list.
"""

from __future__ import annotations

import pytest

from benchmarks.nonanswers import load_forms, measure, render
from pipeline.lang.lv.alphabet import fold
from pipeline.normalise.nonanswers import is_non_answer, non_answer_key

FORMS = load_forms()
NON_ANSWERS = [row["form"] for row in FORMS if row["label"] == "non-answer"]
WORDED_NON_ANSWERS = [form for form in NON_ANSWERS if any(ch.isalpha() for ch in form)]


def test_the_list_is_large_and_covers_three_languages() -> None:
    languages = {row["language"] for row in FORMS}
    assert len(FORMS) >= 120
    assert {"lv", "ru", "en"} <= languages
    assert sum(row["label"] == "proposal" for row in FORMS) >= 40


def test_precision_and_recall_on_the_hand_written_forms() -> None:
    figures = measure()
    overall = figures["overall"]
    assert overall["precision"] >= 0.95, overall["false_positives"]
    assert overall["recall"] >= 0.95, overall["missed"]
    for lang in ("lv", "ru", "en"):
        assert figures["by_language"][lang]["recall"] >= 0.9, lang
    assert f"| all | {overall['n']} | {overall['n_non_answers']} |" in render(figures)


@pytest.mark.parametrize("form", WORDED_NON_ANSWERS)
def test_spelling_variants_of_a_non_answer_are_non_answers(form: str) -> None:
    assert is_non_answer(fold(form))  # no diacritics, lower case
    assert is_non_answer(form.upper() + "!!")
    assert is_non_answer(form + form[-1] * 2 if form[-1].isalpha() else form)


@pytest.mark.parametrize("form", WORDED_NON_ANSWERS)
def test_a_non_answer_with_a_need_added_is_an_answer(form: str) -> None:
    assert not is_non_answer(f"{form} ceļu remonts Skolas ielā")


@pytest.mark.parametrize(
    "text",
    [
        "Nav ceļu",
        "Nav ārsta",
        "Nav apgaismojuma",
        "Nezinu, kur pieteikties pulciņiem",
        "Нет врача",
        "No idea where to report potholes",
        "Pagaidām nav veloceliņa",
        "Nav ideju, kā pavadīt vakarus",
    ],  # fmt: skip
)
def test_needs_phrased_like_non_answers_stay_answers(text: str) -> None:
    assert not is_non_answer(text)


def test_key_folds_and_cuts_repeated_letters() -> None:
    assert non_answer_key("NEZZINUUU!!! :)") == "nezinu"
    assert non_answer_key("Šobrīd nav idejas...") == "sobrid nav idejas"
