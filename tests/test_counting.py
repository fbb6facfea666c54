from __future__ import annotations

import pandas as pd

from pipeline.summary.counting import (
    counted_ideas,
    has_theme,
    is_counted,
    placed_ideas,
    unhidden_ideas,
    votes_per_response,
)


def _ideas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "idea_id": ["1-1", "1-2", "2-1", "3-1", "4-1"],
            "response_id": ["1", "1", "2", "3", "4"],
            "theme": ["roads", "roads", None, "culture", "roads"],
            "swot": ["W", "", "O", "S", "W"],
            "votes": pd.array([5, 5, None, 2, 7], dtype="Int64"),
            "hidden": [False, False, None, False, True],
            "non_answer": [False, False, True, False, False],
        }
    )


def test_an_idea_counts_unless_hidden_or_a_non_answer() -> None:
    assert is_counted(_ideas()).tolist() == [True, True, False, True, False]
    assert counted_ideas(_ideas())["idea_id"].tolist() == ["1-1", "1-2", "3-1"]


def test_tables_without_the_flags_count_every_idea() -> None:
    ideas = _ideas().drop(columns=["hidden", "non_answer"])
    assert is_counted(ideas).all()
    assert len(unhidden_ideas(ideas)) == len(ideas)


def test_unhidden_ideas_keep_non_answers() -> None:
    assert unhidden_ideas(_ideas())["idea_id"].tolist() == ["1-1", "1-2", "2-1", "3-1"]


def test_placed_ideas_count_and_have_a_theme_and_a_quadrant() -> None:
    assert has_theme(_ideas()).tolist() == [True, True, False, True, True]
    assert placed_ideas(_ideas())["idea_id"].tolist() == ["1-1", "3-1"]


def test_votes_count_once_per_response() -> None:
    per_response = votes_per_response(_ideas())
    assert per_response.to_dict() == {"1": 5, "2": 0, "3": 2, "4": 7}
    assert float(per_response.sum()) == 14.0


def test_no_votes_column_means_no_votes() -> None:
    per_response = votes_per_response(_ideas().drop(columns=["votes"]))
    assert len(per_response) == 4 and float(per_response.sum()) == 0.0
