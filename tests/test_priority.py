from __future__ import annotations

import pandas as pd
import pytest

from pipeline.summary.priority import priorities, priority_scores, theme_components

WEIGHTS = {"ideas": 0.3, "votes": 0.3, "breadth": 0.2, "urgency": 0.1, "weakness": 0.1}


def _ideas(rows: list[tuple[str, str, str, str, float | None, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["response_id", "theme", "territory", "group", "votes", "swot", "urgency"]
    )


@pytest.fixture
def ideas() -> pd.DataFrame:
    return _ideas(
        [
            # roads: 4 ideas from 3 responses, 3 territories, many votes, urgent needs
            ("r1", "roads", "Ezerkalne", "seniors", 10, "W", True),
            ("r2", "roads", "Rudzupe", "jaunietis", 8, "W", False),
            ("r3", "roads", "Kalnāji", "seniors", 5, "W", True),
            ("r3", "roads", "Kalnāji", "seniors", 5, "O", False),  # same response, 2nd idea
            # culture: 2 ideas, one territory, few votes
            ("r4", "culture", "Ezerkalne", "NVO", 1, "S", False),
            ("r5", "culture", "Ezerkalne", "NVO", None, "O", False),
            # no theme (non-answer / outlier): ignored
            ("r6", "", "Ezerkalne", "NVO", 3, "", False),
        ]
    )


def test_components_count_votes_once_per_response(ideas: pd.DataFrame) -> None:
    components = theme_components(ideas)
    roads = components.loc["roads"]
    assert roads["n_ideas"] == 4 and roads["n_responses"] == 3
    assert roads["votes"] == 23  # 10 + 8 + 5, r3 once
    assert roads["n_territories"] == 3 and roads["n_groups"] == 2
    assert roads["breadth"] == pytest.approx((3 / 3 + 2 / 3) / 2)
    assert roads["urgency"] == pytest.approx(0.5)
    assert roads["weakness"] == pytest.approx(0.75)
    assert components.loc["culture", "votes"] == 1
    assert "" not in components.index


def test_score_is_weighted_mean_of_scaled_components(ideas: pd.DataFrame) -> None:
    table = priority_scores(theme_components(ideas), WEIGHTS)
    assert table.index.tolist() == ["roads", "culture"]
    assert table.loc["roads", "priority_rank"] == 1
    # roads has the maximum of every component, so it scores 1.
    assert table.loc["roads", "priority_score"] == pytest.approx(1.0)
    culture = table.loc["culture"]
    expected = (
        0.3 * 2 / 4
        + 0.3 * 1 / 23
        + 0.2 * ((1 / 3 + 1 / 3) / 2) / ((1 + 2 / 3) / 2)  # 1 of 3 territories, 1 of 3 groups
        + 0.1 * 0
        + 0.1 * 0
    )
    assert culture["priority_score"] == pytest.approx(expected, rel=1e-5)
    parts = [c for c in table.columns if c.startswith("part_")]
    assert table[parts].sum(axis=1).round(6).tolist() == table["priority_score"].tolist()


def test_theme_with_no_votes_scores_zero_votes(ideas: pd.DataFrame) -> None:
    ideas.loc[ideas["theme"] == "culture", "votes"] = None
    table = priority_scores(theme_components(ideas), WEIGHTS)
    assert table.loc["culture", "part_votes"] == 0.0
    assert pd.isna(table.loc["culture", "votes"])


def test_corpus_without_votes_rescales_the_other_weights(ideas: pd.DataFrame) -> None:
    table = priority_scores(theme_components(ideas.drop(columns=["votes"])), WEIGHTS)
    assert table["part_votes"].eq(0).all()
    assert table.loc["roads", "priority_score"] == pytest.approx(1.0)  # still the maximum


def test_single_territory_makes_breadth_about_groups_only() -> None:
    ideas = _ideas(
        [
            ("r1", "roads", "Ezerkalne", "seniors", 1, "W", False),
            ("r2", "roads", "Ezerkalne", "NVO", 1, "W", False),
            ("r3", "youth", "Ezerkalne", "NVO", 1, "W", False),
        ]
    )
    components = theme_components(ideas)
    assert components.loc["roads", "breadth"] == pytest.approx((1 + 1) / 2)
    assert components.loc["youth", "breadth"] == pytest.approx((1 + 0.5) / 2)


def test_breakdown_per_territory_ranks_within_each(ideas: pd.DataFrame) -> None:
    table = priorities(ideas, WEIGHTS, by="territory")
    ezerkalne = table[table["territory"] == "Ezerkalne"].set_index("theme")
    assert set(ezerkalne.index) == {"roads", "culture"}
    assert sorted(ezerkalne["priority_rank"]) == [1, 2]
    assert set(table["territory"]) == {"Ezerkalne", "Rudzupe", "Kalnāji"}


def test_breakdown_without_the_column_is_empty(ideas: pd.DataFrame) -> None:
    assert priorities(ideas.drop(columns=["group"]), WEIGHTS, by="group").empty


def test_unknown_weight_is_an_error(ideas: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="popularity"):
        priority_scores(theme_components(ideas), {"popularity": 1.0})


def test_ideas_a_person_hid_do_not_count(ideas: pd.DataFrame) -> None:
    ideas["hidden"] = [False, True, False, False, False, False, False]  # r2's roads idea
    roads = theme_components(ideas).loc["roads"]
    assert roads["n_ideas"] == 3 and roads["n_responses"] == 2
    assert roads["votes"] == 15  # r1 and r3 only
    assert roads["n_groups"] == 1


def test_plot_tables_name_themes_and_share_quadrants(ideas: pd.DataFrame) -> None:
    from pipeline.summary.priority import plot_tables

    table = priorities(ideas, WEIGHTS)
    plots = plot_tables(ideas, table, {"roads": "Ceļi", "culture": "Kultūra"})
    assert plots["priority_scores"]["theme"].tolist() == ["Ceļi", "Kultūra"]
    assert plots["theme_sizes"].values.tolist() == [["Ceļi", 4], ["Kultūra", 2]]
    swot = dict(plots["swot_shares"].values.tolist())
    assert swot == {"S": pytest.approx(1 / 6, abs=1e-4), "W": 0.5,
                    "O": pytest.approx(2 / 6, abs=1e-4), "T": 0.0}  # fmt: skip
