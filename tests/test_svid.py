from __future__ import annotations

import pandas as pd
import pytest

from pipeline.summary.svid import svid_table, theme_swot


@pytest.fixture
def ideas() -> pd.DataFrame:
    rows = [
        # idea_id, theme, swot, confidence, text, duplicate_of
        ("1", "roads", "W", 0.9, "Bedres Skolas ielā", None),
        ("2", "roads", "W", 0.8, "Ceļš uz Rudzupi briesmīgs", None),
        ("3", "roads", "W", 0.7, "Bedres Skolas ielā", "1"),
        ("4", "roads", "O", 0.6, "Varētu izbūvēt veloceliņu gar ceļu", None),
        ("5", "roads", "O", 0.95, "Grants ceļiem varētu likt virsmas apstrādi", None),
        ("6", "roads", "S", 0.9, "Paldies par jauno asfaltu", None),
        ("7", "tourism", "O", 0.9, "Ezeru izmantot tūrismam", None),
        ("8", "tourism", "O", 0.5, "Laivu noma pie ezera", None),
        ("9", "", "W", 0.9, "nav", None),
    ]
    return pd.DataFrame(
        rows,
        columns=["idea_id", "theme", "swot", "swot_confidence", "text_clean", "duplicate_of"],
    )


def test_theme_swot_shows_the_split_with_duplicates_counted(ideas: pd.DataFrame) -> None:
    split = theme_swot(ideas)
    roads = split.loc["roads"]
    assert roads["swot_n"] == 6
    assert roads["swot_share_W"] == pytest.approx(0.5)
    assert roads["swot_share_O"] == pytest.approx(2 / 6, abs=1e-4)
    assert roads["swot_dominant"] == "W"
    assert split.loc["tourism", "swot_dominant"] == "O"
    assert "" not in split.index


def test_svid_table_lists_a_theme_in_every_quadrant_it_really_sits_in(
    ideas: pd.DataFrame,
) -> None:
    table = svid_table(ideas, {"roads": "Ceļi un ielas", "tourism": "Tūrisms"})
    entries = list(zip(table["quadrant"], table["theme"], strict=True))
    # roads is both a weakness and an opportunity; one praise note (1 idea) is too little for S
    assert entries == [("W", "roads"), ("O", "roads"), ("O", "tourism")]
    weakness = table.iloc[0]
    assert weakness["quadrant_name"] == "Vājās puses"
    assert weakness["theme_name"] == "Ceļi un ielas"
    assert weakness["n_ideas"] == 3
    # quotes: most confident first, duplicates never quoted twice
    assert weakness["quotes"] == ["Bedres Skolas ielā", "Ceļš uz Rudzupi briesmīgs"]
    opportunity = table[(table["quadrant"] == "O") & (table["theme"] == "roads")].iloc[0]
    assert opportunity["quote_idea_ids"] == ["5", "4"]


def test_svid_quotes_are_shortened_at_a_word(ideas: pd.DataFrame) -> None:
    ideas.loc[0, "text_clean"] = "Bedres " * 60
    table = svid_table(ideas, {}, quote_chars=30)
    quote = table.iloc[0]["quotes"][0]
    assert len(quote) <= 31 and quote.endswith("…") and not quote.endswith(" …")


def test_hidden_ideas_are_neither_counted_nor_quoted(ideas: pd.DataFrame) -> None:
    ideas["hidden"] = ideas["idea_id"].isin(["1", "3"])  # both "Bedres Skolas ielā"
    split = theme_swot(ideas)
    assert split.loc["roads", "swot_n"] == 4
    table = svid_table(ideas, {"roads": "Ceļi un ielas"})
    quotes = [q for row in table["quotes"] for q in row]
    assert "Bedres Skolas ielā" not in quotes
    assert ("W", "roads") not in set(zip(table["quadrant"], table["theme"], strict=True))
