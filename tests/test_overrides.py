from __future__ import annotations

import copy
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from pipeline.errors import BalsisError, InputError
from pipeline.review.apply import PERSON_NOTE, apply_overrides
from pipeline.review.load import load_overrides, overrides_from_dict
from pipeline.review.rules import KINDS, Overrides
from pipeline.review.table import reviewed_ideas

ROOT = Path(__file__).resolve().parent.parent

# idea_id, response_id, text, theme, swot, non_answer, outlier, votes (per response)
IDEAS = [
    ("1-1", "1", "Rudzupes ceļā pēc ziemas dziļas bedres", "roads", "W", False, False, 5.0),
    ("1-2", "1", "Kultūras namam vajag jaunu skatuvi", "culture", "W", False, False, 5.0),
    ("2-1", "2", "Ietve gar Skolas ielu šaura un saplaisājusi", "roads", "W", False, False, 3.0),
    ("3-1", "3", "Bērnudārzā trūkst vietu, gaidām gandrīz gadu", "roads", "W", False, False, None),
    ("4-1", "4", "Bibliotēka sestdienās ciet", "culture", "W", False, False, 2.0),
    ("5-1", "5", "Bibliotēkā vajag vairāk jaunu grāmatu", "new-1", "W", False, False, 4.0),
    ("5-2", "5", "Lasīšanas stundas bērniem bibliotēkā", "new-1", "O", False, False, 4.0),
    ("6-1", "6", "Rotaļu laukums pie skolas ir lielisks", "families_children", "S", False,
     False, 1.0),
    ("7-1", "7", "Jaunajām ģimenēm vajag atbalstu mājokļa iegādei", "families_children", "W",
     False, False, None),
    ("8-1", "8", "nav", "", "", True, False, None),
    ("9-1", "9", "Grāmatu maiņas plaukts pie veikala", "", "O", False, True, None),
    ("10-1", "10", "Ietve gar Skolas ielu šaura", "roads", "W", False, False, 6.0),
    ("11-1", "11", "Tautas namā koncerti katru mēnesi, paldies!", "culture", "S", False, False,
     0.0),
    ("12-1", "12", "Pārdodu sausu malku, lēti", "roads", "O", False, False, 2.0),
]  # fmt: skip

THEMES = [
    # theme, name_lv, name_en, keywords, representatives, is_new
    ("roads", "Ceļi un ielas", "Roads and streets", ["ceļš", "bedre", "ietve"], ["1-1", "2-1"],
     False),
    ("culture", "Kultūra", "Culture", ["kultūras nams", "bibliotēka", "koncerts"],
     ["1-2", "11-1"], False),
    ("new-1", "bibliotēka, grāmata", "bibliotēka, grāmata", ["bibliotēka", "grāmata", "lasīt"],
     ["5-1"], True),
    ("families_children", "Ģimenes ar bērniem", "Families and children",
     ["bērnudārzs", "rotaļu laukums"], ["6-1"], False),
]  # fmt: skip


def machine_tables() -> dict[str, pd.DataFrame]:
    """The machine's four tables for 14 ideas in 12 responses and 4 themes."""
    ideas = pd.DataFrame(
        {
            "response_id": [row[1] for row in IDEAS],
            "idea_id": [row[0] for row in IDEAS],
            "text_clean": [row[2] for row in IDEAS],
            "content_lemmas": [row[2].lower().split()[:3] for row in IDEAS],
            "non_answer": [row[5] for row in IDEAS],
            "duplicate_of": pd.array(
                [("2-1" if row[0] == "10-1" else None) for row in IDEAS], dtype="string"
            ),
            "territory": [
                "Rudzupe",
                "Rudzupe",
                "Kalnāji",
                "Ezerkalne",
                "Ezerkalne",
                "Kalnāji",
                "Kalnāji",
                "Rudzupe",
                "Ezerkalne",
                "Kalnāji",
                "Rudzupe",
                "Kalnāji",
                "Ezerkalne",
                "Rudzupe",
            ],  # fmt: skip
            "group": [
                "seniors",
                "seniors",
                "jaunā ģimene",
                "jaunā ģimene",
                "jaunietis",
                "seniors",
                "seniors",
                "jaunā ģimene",
                "jaunā ģimene",
                "jaunietis",
                "seniors",
                "jaunietis",
                "seniors",
                "uzņēmējs",
            ],  # fmt: skip
            "votes": [row[7] for row in IDEAS],
        }
    )
    idea_themes = pd.DataFrame(
        {
            "idea_id": [row[0] for row in IDEAS],
            "cluster": [
                {"roads": 0, "culture": 1, "new-1": 2, "families_children": 3}.get(row[3], -1)
                for row in IDEAS
            ],  # fmt: skip
            "theme": [row[3] for row in IDEAS],
            "subtheme": [f"{row[3]}/1" if row[3] == "roads" else "" for row in IDEAS],
            "subtheme_name": ["bedre" if row[3] == "roads" else "" for row in IDEAS],
            "theme_confidence": [0.0 if not row[3] else 0.8 for row in IDEAS],
            "outlier": [row[6] for row in IDEAS],
        }
    )
    idea_swot = pd.DataFrame(
        {
            "idea_id": [row[0] for row in IDEAS],
            "swot": pd.array([row[4] for row in IDEAS], dtype="string"),
            "swot_confidence": [0.0 if not row[4] else 0.7 for row in IDEAS],
            "swot_evidence": ["trūkums: vajag" if row[4] == "W" else "" for row in IDEAS],
            "urgency": [0] * len(IDEAS),
        }
    )
    themes = pd.DataFrame(
        {
            "theme": [row[0] for row in THEMES],
            "name_lv": [row[1] for row in THEMES],
            "name_en": [row[2] for row in THEMES],
            "keywords": [row[3] for row in THEMES],
            "n_ideas": [5, 3, 2, 2],
            "n_responses": [5, 3, 1, 2],
            "votes": [16.0, 7.0, 4.0, 1.0],
            "confidence": [0.9, 0.8, 0.0, 0.6],
            "is_new": [row[5] for row in THEMES],
            "representatives": [row[4] for row in THEMES],
            "clusters": [[0], [1], [2], [3]],
        }
    )
    return {"ideas": ideas, "idea_themes": idea_themes, "idea_swot": idea_swot, "themes": themes}


@pytest.fixture
def machine() -> dict[str, pd.DataFrame]:
    return machine_tables()


@pytest.fixture
def table(machine: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return reviewed_ideas(**machine)


def review(table: pd.DataFrame, themes: pd.DataFrame, raw: dict):
    return apply_overrides(table, themes, overrides_from_dict(raw, source="labojumi.yaml"))


def counts_of(themes: pd.DataFrame) -> dict[str, tuple[int, int, float]]:
    return {
        row.theme: (row.n_ideas, row.n_responses, row.votes)
        for row in themes.itertuples(index=False)
    }


def idea(ideas: pd.DataFrame, idea_id: str) -> pd.Series:
    return ideas.set_index("idea_id").loc[idea_id]


# --- the reviewed table ----------------------------------------------------------------------


def test_reviewed_ideas_is_the_machine_view_in_idea_order(machine: dict[str, pd.DataFrame]):
    shuffled = {**machine, "idea_themes": machine["idea_themes"].iloc[::-1]}
    table = reviewed_ideas(**shuffled)
    assert table["idea_id"].tolist() == [row[0] for row in IDEAS]
    assert table["text_clean"].tolist() == [row[2] for row in IDEAS]
    assert table["theme"].tolist() == [row[3] for row in IDEAS]
    assert table["theme_name"].tolist()[:3] == ["Ceļi un ielas", "Kultūra", "Ceļi un ielas"]
    assert idea(table, "8-1")["theme_name"] == ""
    assert idea(table, "8-1")["swot"] == ""
    assert table["machine_theme"].tolist() == table["theme"].tolist()
    assert table["machine_swot"].tolist() == [row[4] for row in IDEAS]
    for flag in ("hidden", "theme_by_person", "swot_by_person"):
        assert table[flag].dtype == bool and not table[flag].any()


def test_reviewed_ideas_refuses_tables_from_different_runs(machine: dict[str, pd.DataFrame]):
    machine["idea_swot"] = machine["idea_swot"][machine["idea_swot"]["idea_id"] != "7-1"]
    with pytest.raises(BalsisError, match=r"idea SWOT table has no row for 1 idea.*7-1.*dvc repro"):
        reviewed_ideas(**machine)


def test_no_overrides_keeps_the_machine_results(table, machine):
    result = apply_overrides(table, machine["themes"], Overrides.empty())
    pd.testing.assert_frame_equal(result.ideas, table)
    assert counts_of(result.themes) == {
        "roads": (5, 5, 16.0),
        "culture": (3, 3, 7.0),
        "new-1": (2, 1, 4.0),
        "families_children": (2, 2, 1.0),
    }
    assert result.themes["renamed"].tolist() == [False] * 4
    assert result.themes["machine_name_lv"].tolist() == result.themes["name_lv"].tolist()
    assert result.themes["merged_from"].tolist() == [[], [], [], []]
    assert result.applied == [] and result.unmatched == []
    assert result.counts() == {**dict.fromkeys(KINDS, 0), "unmatched": 0}


# --- each kind -------------------------------------------------------------------------------


def test_rename_changes_the_theme_and_its_ideas(table, machine):
    result = review(
        table,
        machine["themes"],
        {"rename": {"roads": "Ceļi, ielas un ietves",
                    "culture": {"lv": "Kultūra un tautas nams", "en": "Culture"}}},
    )  # fmt: skip
    themes = result.themes.set_index("theme")
    assert themes.loc["roads", "name_lv"] == "Ceļi, ielas un ietves"
    # no English name given: the person's name is shown in English too, not the machine's
    assert themes.loc["roads", "name_en"] == "Ceļi, ielas un ietves"
    assert themes.loc["culture", "name_en"] == "Culture"
    assert themes.loc["roads", "machine_name_lv"] == "Ceļi un ielas"
    assert themes.loc["culture", "name_lv"] == "Kultūra un tautas nams"
    assert themes.loc[["roads", "culture", "new-1"], "renamed"].tolist() == [True, True, False]
    assert idea(result.ideas, "2-1")["theme_name"] == "Ceļi, ielas un ietves"
    assert idea(result.ideas, "4-1")["theme_name"] == "Kultūra un tautas nams"
    assert result.applied[0] == {
        "kind": "rename",
        "target": "roads",
        "detail": "'Ceļi un ielas' → 'Ceļi, ielas un ietves'",
    }
    assert result.counts()["rename"] == 2


def test_merge_joins_themes_and_recounts(table, machine):
    result = review(
        table, machine["themes"], {"merge": [{"themes": ["new-1", "culture"], "into": "culture"}]}
    )
    themes = result.themes.set_index("theme")
    assert "new-1" not in themes.index
    culture = themes.loc["culture"]
    assert culture["keywords"] == ["kultūras nams", "bibliotēka", "koncerts"]
    assert culture["merged_from"] == ["new-1"]
    assert culture["representatives"] == ["1-2", "11-1", "5-1"]
    assert culture["clusters"] == [1, 2]
    # 1-2, 4-1, 11-1 and both ideas of response 5, whose votes count once.
    assert counts_of(result.themes)["culture"] == (5, 4, 11.0)
    assert result.themes["theme"].tolist() == ["culture", "roads", "families_children"]
    merged = idea(result.ideas, "5-2")
    assert (merged["theme"], merged["machine_theme"]) == ("culture", "new-1")
    assert merged["theme_name"] == "Kultūra"
    assert not merged["theme_by_person"]
    assert result.applied == [
        {"kind": "merge", "target": "culture", "detail": "new-1 merged into culture (2 ideas)"}
    ]


def test_merge_adds_keywords_up_to_the_longest_list(table, machine):
    themes = machine["themes"].copy()
    themes["keywords"] = [["ceļš"], ["koncerts", "bibliotēka"], ["bibliotēka", "grāmata", "lasīt"],
                          ["bērnudārzs"]]  # fmt: skip
    result = review(table, themes, {"merge": [{"themes": ["culture", "new-1"], "into": "culture"}]})
    keywords = result.themes.set_index("theme").loc["culture", "keywords"]
    assert keywords == ["koncerts", "bibliotēka", "grāmata"]


def test_move_is_marked_as_a_person_s_choice(table, machine):
    result = review(table, machine["themes"], {"move": {"3-1": "families_children"}})
    moved = idea(result.ideas, "3-1")
    assert moved["theme"] == "families_children"
    assert moved["machine_theme"] == "roads"
    assert moved["theme_name"] == "Ģimenes ar bērniem"
    assert moved["theme_by_person"] and not moved["swot_by_person"]
    assert moved["theme_confidence"] == 1.0
    assert (moved["subtheme"], moved["subtheme_name"]) == ("", "")
    assert not idea(result.ideas, "2-1")["theme_by_person"]
    counts = counts_of(result.themes)
    assert counts["roads"] == (4, 4, 16.0)
    assert counts["families_children"] == (3, 3, 1.0)
    assert result.applied == [
        {"kind": "move", "target": "3-1", "detail": "roads → families_children"}
    ]


def test_moving_an_outlier_gives_it_a_theme(table, machine):
    result = review(table, machine["themes"], {"move": {"9-1": "culture"}})
    moved = idea(result.ideas, "9-1")
    assert (moved["theme"], moved["outlier"], moved["theme_by_person"]) == ("culture", False, True)
    assert counts_of(result.themes)["culture"] == (4, 4, 7.0)
    assert result.applied[0]["detail"] == "no theme → culture"


def test_moving_a_non_answer_makes_it_count(table, machine):
    result = review(table, machine["themes"], {"move": {"8-1": "roads"}})
    moved = idea(result.ideas, "8-1")
    assert (moved["theme"], moved["non_answer"]) == ("roads", False)
    assert counts_of(result.themes)["roads"] == (6, 6, 16.0)
    assert "non-answer" in result.applied[0]["detail"]


def test_move_to_a_merged_theme_goes_to_the_theme_that_absorbed_it(table, machine):
    result = review(
        table,
        machine["themes"],
        {"merge": [{"themes": ["culture", "new-1"], "into": "culture"}], "move": {"9-1": "new-1"}},
    )
    moved = idea(result.ideas, "9-1")
    assert (moved["theme"], moved["theme_by_person"]) == ("culture", True)
    assert result.applied[1] == {
        "kind": "move",
        "target": "9-1",
        "detail": "no theme → culture ('new-1' was merged into 'culture')",
    }
    assert result.unmatched == []


def test_swot_of_a_theme_and_of_an_idea(table, machine):
    result = review(
        table,
        machine["themes"],
        {"swot": {"themes": {"culture": "I"}, "ideas": {"11-1": "s", "1-1": "d"}}},
    )
    ideas = result.ideas.set_index("idea_id")
    assert ideas.loc[["1-2", "4-1", "11-1"], "swot"].tolist() == ["O", "O", "S"]
    assert ideas.loc[["1-2", "4-1", "11-1"], "machine_swot"].tolist() == ["W", "W", "S"]
    assert ideas.loc["1-1", "swot"] == "T"
    assert ideas.loc[["1-2", "11-1", "1-1"], "swot_by_person"].all()
    assert ideas.loc[["1-2", "11-1", "1-1"], "swot_confidence"].tolist() == [1.0, 1.0, 1.0]
    assert ideas.loc["4-1", "swot_evidence"] == f"{PERSON_NOTE} visai tēmai: Iespējas"
    assert ideas.loc["11-1", "swot_evidence"] == f"{PERSON_NOTE}: Stiprās puses"
    untouched = ideas.loc["2-1"]
    assert (untouched["swot"], untouched["swot_by_person"]) == ("W", False)
    assert untouched["swot_confidence"] == 0.7
    assert not ideas.loc["8-1", "swot_by_person"]  # a non-answer is not part of a theme
    assert result.counts() == {**dict.fromkeys(KINDS, 0), "swot_theme": 1, "swot_idea": 2,
                               "unmatched": 0}  # fmt: skip
    assert result.applied[0]["detail"] == "O (Opportunities) for its 3 ideas"
    assert result.applied[1]["detail"] == "O → S (Strengths)"


def test_hide_keeps_the_row_but_leaves_it_out_of_counts(table, machine):
    result = review(table, machine["themes"], {"hide": ["12-1", "1-2"]})
    assert len(result.ideas) == len(IDEAS)
    ideas = result.ideas.set_index("idea_id")
    assert ideas.loc[["12-1", "1-2", "1-1"], "hidden"].tolist() == [True, True, False]
    assert ideas.loc["12-1", "theme"] == "roads"
    counts = counts_of(result.themes)
    assert counts["roads"] == (4, 4, 14.0)
    # Response 1 still counts for roads through 1-1, but no longer for culture.
    assert counts["culture"] == (2, 2, 2.0)
    assert result.applied[0] == {
        "kind": "hide",
        "target": "12-1",
        "detail": "left out of counts and reports (theme roads)",
    }


# --- order, unmatched, purity ----------------------------------------------------------------


def test_corrections_apply_in_a_fixed_order(table, machine):
    raw = {
        "hide": ["2-1"],
        "swot": {"ideas": {"3-1": "V"}, "themes": {"families_children": "D"}},
        "move": {"3-1": "families_children", "5-1": "roads"},
        "rename": {"culture": "Kultūra un bibliotēkas"},
        "merge": [{"themes": ["new-1", "culture"], "into": "culture"}],
    }
    result = review(table, machine["themes"], raw)
    assert [entry["kind"] for entry in result.applied] == [
        "merge", "rename", "move", "move", "swot_theme", "swot_idea", "hide"
    ]  # fmt: skip
    ideas = result.ideas.set_index("idea_id")
    # The rename reaches the ideas the merge brought in.
    assert ideas.loc["5-2", "theme_name"] == "Kultūra un bibliotēkas"
    # The move follows the merge: 5-1 leaves the merged theme for roads.
    assert ideas.loc["5-1", ["theme", "theme_name"]].tolist() == ["roads", "Ceļi un ielas"]
    # The theme SWOT covers the idea moved in; the idea's own SWOT wins over it.
    assert ideas.loc[["6-1", "7-1", "3-1"], "swot"].tolist() == ["T", "T", "W"]
    assert ideas.loc["3-1", "swot_evidence"] == f"{PERSON_NOTE}: Vājās puses"
    assert counts_of(result.themes) == {
        "culture": (4, 4, 11.0),
        "roads": (4, 4, 17.0),
        "families_children": (3, 3, 1.0),
    }


def test_unmatched_corrections_are_reported_not_dropped(table, machine, caplog):
    raw = {
        "rename": {"new-7": "Jauna tēma"},
        "merge": [
            {"themes": ["new-5", "culture"], "into": "culture"},
            {"themes": ["roads", "safety"], "into": "safety"},
        ],
        "move": {"99-1": "roads", "4-1": "tourism"},
        "swot": {"ideas": {"99-2": "S"}, "themes": {"tourism": "O"}},
        "hide": ["1044-2"],
    }
    with caplog.at_level(logging.WARNING, logger="pipeline.review.apply"):
        result = review(table, machine["themes"], raw)
    assert result.applied == []
    assert [(e["kind"], e["target"]) for e in result.unmatched] == [
        ("merge", "new-5"),
        ("merge", "safety"),
        ("rename", "new-7"),
        ("move", "99-1"),
        ("move", "4-1"),
        ("swot_theme", "tourism"),
        ("swot_idea", "99-2"),
        ("hide", "1044-2"),
    ]
    reasons = {(e["kind"], e["target"]): e["reason"] for e in result.unmatched}
    assert "no theme 'new-5'" in reasons[("merge", "new-5")]
    assert "re-clustered" in reasons[("merge", "new-5")]
    assert "nothing was merged" in reasons[("merge", "safety")]
    assert "no idea '99-1'" in reasons[("move", "99-1")]
    assert "no theme 'tourism'" in reasons[("move", "4-1")]
    assert result.counts()["unmatched"] == 8
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 8
    assert all(message.startswith("labojumi.yaml: ") for message in warnings)
    assert "hide '1044-2' not applied" in warnings[-1]
    pd.testing.assert_frame_equal(result.ideas, table)
    machine_result = apply_overrides(table, machine["themes"], Overrides.empty())
    assert counts_of(result.themes) == counts_of(machine_result.themes)


@pytest.mark.parametrize(
    ("ideas_file", "themes_file"),
    [
        ("rezultati/ideas.csv", "rezultati/themes.csv"),  # balsis run --out rezultati
        ("data/interim/ideas.parquet", "data/processed/themes.parquet"),  # the DVC stages
    ],
)
def test_unmatched_corrections_name_the_files_the_user_has(table, machine, ideas_file, themes_file):
    raw = {"move": {"99-1": "roads", "4-1": "tourism"}, "rename": {"new-7": "Jauna tēma"}}
    result = apply_overrides(
        table,
        machine["themes"],
        overrides_from_dict(raw, source="labojumi.yaml"),
        ideas_file=ideas_file,
        themes_file=themes_file,
    )
    reasons = {(e["kind"], e["target"]): e["reason"] for e in result.unmatched}
    assert reasons[("move", "99-1")] == (
        "no idea '99-1' (its response may have been edited or removed; idea ids are in column "
        f"idea_id of {ideas_file})"
    )
    assert reasons[("move", "4-1")] == (
        f"no theme 'tourism' to move the idea to (theme keys are in column theme of {themes_file})"
    )
    assert reasons[("rename", "new-7")] == (
        "no theme 'new-7' to rename (new themes are numbered again when the ideas are "
        f"re-clustered; theme keys are in column theme of {themes_file})"
    )


def test_inputs_are_not_changed(table, machine):
    table_before = table.copy(deep=True)
    themes_before = machine["themes"].copy(deep=True)
    keyword_lists = copy.deepcopy(machine["themes"]["keywords"].tolist())
    raw = {
        "merge": [{"themes": ["new-1", "culture"], "into": "culture"}],
        "rename": {"roads": "Ceļi"},
        "move": {"3-1": "families_children"},
        "swot": {"themes": {"roads": "T"}, "ideas": {"6-1": "W"}},
        "hide": ["12-1"],
    }
    review(table, machine["themes"], raw)
    pd.testing.assert_frame_equal(table, table_before)
    pd.testing.assert_frame_equal(machine["themes"], themes_before)
    assert machine["themes"]["keywords"].tolist() == keyword_lists


def test_same_corrections_give_the_same_tables(table, machine):
    raw = {
        "merge": [{"themes": ["new-1", "culture"], "into": "culture"}],
        "move": {"9-1": "roads"},
        "swot": {"themes": {"roads": "W"}},
    }
    first = review(table, machine["themes"], raw)
    second = review(table, machine["themes"], raw)
    pd.testing.assert_frame_equal(first.ideas, second.ideas)
    pd.testing.assert_frame_equal(first.themes, second.themes)
    assert first.log() == second.log()


def test_works_on_lists_read_back_from_parquet(table, machine, tmp_path):
    path = tmp_path / "themes.parquet"
    machine["themes"].to_parquet(path, index=False)
    themes = pd.read_parquet(path)
    assert isinstance(themes["keywords"].iloc[0], np.ndarray)
    result = review(table, themes, {"merge": [{"themes": ["new-1", "culture"], "into": "culture"}]})
    culture = result.themes.set_index("theme").loc["culture"]
    assert culture["representatives"] == ["1-2", "11-1", "5-1"]
    assert culture["merged_from"] == ["new-1"]


# --- the file --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"renme": {"roads": "Ceļi"}}, ["unknown section 'renme'", "did you mean 'rename'"]),
        ([{"rename": {}}], ["expected the sections", "a list"]),
        ({"rename": {"roads": 5}}, ["rename 'roads'", "must be text", "a number (5)"]),
        ({"rename": {"roads": {"lv": "Ceļi", "de": "Straßen"}}}, ["rename 'roads'", "'de'"]),
        ({"rename": {"roads": {"en": "Roads"}}}, ["rename 'roads'", "'lv' is missing"]),
        ({"rename": {"roads": "  "}}, ["rename 'roads'", "non-empty text"]),
        ({"merge": [{"themes": ["new-2"], "into": "new-2"}]},
         ["merge entry 1", "at least two themes, found 1"]),
        ({"merge": {"themes": ["new-2", "culture"], "into": "culture"}},
         ["section 'merge' must be a list"]),
        ({"merge": [{"themes": ["new-2", "culture"], "into": "roads"}]},
         ["merge entry 1", "'into' is 'roads'", "not one of the merged themes"]),
        ({"merge": [{"themes": ["new-2", "culture"]}]}, ["merge entry 1", "'into' is missing"]),
        ({"merge": [{"themes": ["a", "b"], "into": "a"}, {"themes": ["b", "c"], "into": "c"}]},
         ["merge entry 2", "theme 'b' is already in merge entry 1"]),
        ({"merge": [{"themes": ["a", "b"], "into": "a", "name": "X"}]},
         ["merge entry 1", "unknown key 'name'"]),
        ({"merge": [{"themes": ["new-2", "culture"], "into": "culture"}],
          "rename": {"new-2": "Bibliotēkas"}}, ["rename 'new-2'", "rename 'culture' instead"]),
        ({"merge": [{"themes": ["new-2", "culture"], "into": "culture"}],
          "swot": {"themes": {"new-2": "O"}}}, ["swot themes 'new-2'", "of 'culture' instead"]),
        ({"move": ["1-1"]}, ["section 'move' must be a mapping", "a list"]),
        ({"move": {"1-1": None}}, ["move '1-1'", "None must be text"]),
        ({"move": {1001: "roads", "1001": "culture"}}, ["'1001' is listed twice"]),
        ({"move": {"1-1": "culture"}, "hide": ["1-1"]},
         ["idea '1-1' is both hidden (hide) and corrected (move)"]),
        ({"swot": {"ideas": {"1-1": "W"}}, "hide": ["1-1"]}, ["idea '1-1'", "(swot ideas)"]),
        ({"swot": {"ideas": {"1-1": "X"}}},
         ["swot ideas '1-1'", "'X' is not a SWOT quadrant", "V (vājās puses)"]),
        ({"swot": {"themes": {"roads": "Weakness"}}}, ["swot themes 'roads'", "'Weakness'"]),
        ({"swot": {"idea": {"1-1": "W"}}}, ["swot: unknown key 'idea'", "did you mean 'ideas'"]),
        ({"swot": ["1-1"]}, ["section 'swot'"]),
        ({"hide": "1-1"}, ["section 'hide' must be a list", "text '1-1'"]),
        ({"hide": [1.5]}, ["hide", "1.5 must be text", "double quotes"]),
        ({"hide": [True]}, ["hide", "True must be text"]),
    ],
)  # fmt: skip
def test_invalid_overrides_are_refused_with_a_clear_message(raw, expected):
    with pytest.raises(InputError) as error:
        overrides_from_dict(raw, source="data/review/labojumi.yaml")
    message = str(error.value)
    assert message.startswith("data/review/labojumi.yaml: ")
    for fragment in expected:
        assert fragment in message


@pytest.mark.parametrize(
    ("letter", "quadrant"),
    [("S", "S"), ("s", "S"), ("V", "W"), ("w", "W"), ("I", "O"), ("o", "O"), (" d ", "T"),
     ("T", "T")],
)  # fmt: skip
def test_svid_and_swot_letters(letter, quadrant):
    overrides = overrides_from_dict({"swot": {"ideas": {"1-1": letter}}})
    assert overrides.swot_ideas == {"1-1": quadrant}


def test_ids_that_yaml_reads_as_numbers_become_text(tmp_path):
    path = tmp_path / "overrides.yaml"
    path.write_text(
        "move:\n  1001: roads\nswot:\n  ideas: {1002: v}\n  themes: {2024: i}\n"
        "hide: [1003]\nmerge:\n  - themes: [7, 8]\n    into: 8\n",
        encoding="utf-8",
    )
    overrides = load_overrides(path)
    assert overrides.move == {"1001": "roads"}
    assert overrides.swot_ideas == {"1002": "W"}
    assert overrides.swot_themes == {"2024": "O"}
    assert overrides.hide == ("1003",)
    assert (overrides.merge[0].themes, overrides.merge[0].into) == (("7", "8"), "8")
    assert overrides.source == str(path)


def test_number_ids_match_ideas(table, machine):
    table = table.assign(idea_id=table["idea_id"].str.replace("-", "0"))  # 12-1 -> "1201"
    result = apply_overrides(table, machine["themes"], overrides_from_dict({"hide": [1201]}))
    assert idea(result.ideas, "1201")["hidden"]
    assert result.unmatched == []


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# tikai komentārs\n", "rename:\nmerge:\nmove:\nswot:\nhide:\n"]
)
def test_empty_file_means_no_corrections(tmp_path, text):
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_overrides(path).is_empty()


def test_missing_file_means_no_corrections(tmp_path):
    overrides = load_overrides(tmp_path / "nav.yaml")
    assert overrides.is_empty()
    assert overrides == Overrides.empty(str(tmp_path / "nav.yaml"))


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "overrides.yaml"
    path.write_text('move:\n  "1-1": roads\n   "2-1": culture\n', encoding="utf-8")
    with pytest.raises(
        InputError, match=r"overrides\.yaml: is not valid YAML at line 3, column 9: mapping values"
    ):
        load_overrides(path)


def test_the_project_overrides_file_is_valid_and_uses_stable_keys():
    overrides = load_overrides(ROOT / "data" / "review" / "overrides.yaml")
    assert not overrides.is_empty()
    reference = yaml.safe_load((ROOT / "data/reference/themes.yaml").read_text(encoding="utf-8"))
    taxonomy = {theme["id"] for theme in reference["themes"]}
    themes = {*overrides.rename, *overrides.move.values(), *overrides.swot_themes}
    themes |= {theme for merge in overrides.merge for theme in merge.themes}
    assert themes and themes <= taxonomy
    responses = set(pd.read_csv(ROOT / "data" / "raw" / "proposals.csv", dtype=str)["id"])
    ideas = {*overrides.move, *overrides.swot_ideas, *overrides.hide}
    assert ideas and {idea_id.rsplit("-", 1)[0] for idea_id in ideas} <= responses
