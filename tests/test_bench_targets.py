"""The targets table of ``make bench`` (benchmarks/targets.py) says which targets are met."""

from __future__ import annotations

from benchmarks.targets import render


def _figures(**survey: float) -> dict[str, object]:
    swot = {
        "n": 300,
        "n_lack": 120,
        "n_wish": 100,
        "n_pride": 80,
        "lack_in_W": 0.95,
        "wish_in_S": 0.01,
        "pride_in_S": 0.9,
        "non_praise_in_S": 0.02,
        "share_wish_W": 0.6,
        "share_wish_O": 0.4,
        "accuracy_wish": 0.7,
        "f1_S": 0.9,
        "f1_W": 0.85,
        "f1_O": 0.7,
        "macro_f1": 0.82,
    }
    swot.update(survey)
    scores = {
        "n": 40,
        "n_non_answers": 20,
        "precision": 1.0,
        "recall": 0.97,
        "false_positives": [],
        "missed": ["nav ne mazākās nojausmas"],
    }
    return {
        "survey": swot,
        "proposals": {"macro_f1": 0.86, "no_praise_in_S": 0.007, "no_praise": 300},
        "non_answers": {"overall": scores, "by_language": {"lv": scores}},
    }


def _met(markdown: str) -> dict[str, str]:
    rows = [line.split(" | ") for line in markdown.splitlines() if line.startswith("| ")]
    return {
        cells[0].lstrip("| "): cells[-1].rstrip(" |")
        for cells in rows
        if len(cells) == 4 and cells[-1].rstrip(" |") in ("yes", "NO")
    }


def test_every_target_is_in_the_table_and_met() -> None:
    met = _met(render(_figures()))
    assert len(met) == 6
    assert set(met.values()) == {"yes"}
    text = render(_figures())
    assert "| survey: answers to the lack question in W | 95.0% | >= 90% | yes |" in text
    assert '"nav ne mazākās nojausmas"' in text  # the non-answer section comes along


def test_a_missed_target_says_no() -> None:
    met = _met(render(_figures(macro_f1=0.53, wish_in_S=0.06)))
    assert met["survey: SWOT macro-F1 (quadrants the gold has: S, W, O)"] == "NO"
    assert met["survey: answers to the wish question in S"] == "NO"
    assert met["survey: answers to the lack question in W"] == "yes"
