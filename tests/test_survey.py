"""The bundled survey sample, its build script and its evaluation (pipeline.evaluate_survey)."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.errors import BalsisError
from pipeline.evaluate_survey import (
    align_survey_gold,
    load_survey_gold,
    quadrant_metrics,
    survey_metrics,
    theme_matches,
)
from pipeline.ingest.responses import ingest_file
from pipeline.steps.choices import choices
from pipeline.steps.survey import layered_params
from pipeline.topics.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "data" / "raw" / "survey.xlsx"
SOURCE = ROOT / "data" / "raw" / "survey_source"
GOLD = ROOT / "data" / "reference" / "survey_gold.csv"
LACK = "Kas jūsu pagastā visvairāk pietrūkst?"
WISH = "Jūsu ieteikumi un idejas: ko pagastā vajadzētu izveidot vai uzlabot?"
PRIDE = "Ar ko jūs lepojaties savā pagastā? Kas šeit darbojas labi?"
AREAS = "Kuras jomas būtu jāuzlabo pirmām kārtām? (atzīmējiet līdz trim)"
ACTIVITIES = "Kurās aktivitātēs jūs labprāt piedalītos?"


def _builder():
    spec = importlib.util.spec_from_file_location("survey_build", SOURCE / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _answers() -> list[dict[str, str]]:
    with (SOURCE / "answers.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


# -- the sample ------------------------------------------------------------------------------


def test_the_build_script_reproduces_the_committed_files_byte_for_byte() -> None:
    build = _builder()
    rows, gold = build.build_rows()
    assert build.xlsx_bytes(rows) == SURVEY.read_bytes()
    assert build.csv_text(rows) == (SOURCE / "survey.csv").read_text(encoding="utf-8")
    assert build.gold_text(gold) == GOLD.read_text(encoding="utf-8")


def test_the_workbook_is_a_form_export_of_at_least_150_respondents() -> None:
    sheet = openpyxl.load_workbook(SURVEY, read_only=True).active
    header, *rows = list(sheet.values)
    assert header[:4] == ("Laikspiedols", "Anketas Nr.", "Vecuma grupa", "Dzīvesvieta")
    assert header[4:7] == (LACK, WISH, PRIDE)
    assert len(rows) == 170
    areas = [r[7] for r in rows if r[7]]
    activities = [r[8] for r in rows if r[8]]
    assert sum(", " in a for a in areas) > 100 and not any(";" in a for a in areas)
    assert sum(";" in a for a in activities) > 50 and not any(", " in a for a in activities)
    times = [r[0] for r in rows]
    assert times == sorted(times) and all(t.hour >= 7 for t in times)


def test_the_survey_params_load_the_sample_one_response_per_answer() -> None:
    params = layered_params(ROOT / "params.yaml", ROOT / "params_survey.yaml")
    responses = ingest_file(SURVEY, params.ingest)
    written = pd.DataFrame(_answers())
    assert len(responses) == len(written) == 418
    per_question = responses["question"].value_counts().to_dict()
    assert per_question == {LACK: 169, WISH: 148, PRIDE: 101}
    assert responses["respondent"].nunique() == 170
    assert responses.loc[responses["response_id"] == "1-q1", "text"].item() == "Satiksme ar pilsētu"
    assert set(responses["group"]) == {"līdz 18", "18–25", "26–40", "41–62", "63 un vairāk"}
    assert "Silciems" in set(responses["territory"])
    # the rest of params.yaml is kept: only what the survey file sets differs
    assert params.themes == layered_params(ROOT / "params.yaml", ROOT / "params.yaml").themes


def test_the_tick_box_counts_of_the_sample_are_exact() -> None:
    params = layered_params(ROOT / "params.yaml", ROOT / "params_survey.yaml")
    taxonomy = load_taxonomy(ROOT / "data" / "reference" / "themes.yaml")
    table = choices(SURVEY, params.ingest, taxonomy)
    with (SOURCE / "survey.csv").open(encoding="utf-8", newline="") as handle:
        twin = list(csv.DictReader(handle))
    for column, separator in ((AREAS, ", "), (ACTIVITIES, ";")):
        cells = [row[column] for row in twin if row[column]]
        expected = Counter(option for cell in cells for option in cell.split(separator))
        rows = table[table["column"] == column]
        assert dict(zip(rows["option"], rows["n_ticked"], strict=True)) == expected
        assert set(rows["n_answered"]) == {len(cells)}
        assert set(rows["n_respondents"]) == {170}
    themes = dict(zip(table["option"], table["theme"], strict=True))
    assert themes["Ceļi un ielas"] == "roads"
    assert themes["Sabiedriskais transports"] == "public_transport"


def test_the_gold_labels_every_written_answer_once_by_the_frame_rules() -> None:
    gold = load_survey_gold(str(GOLD))
    assert len(gold) == 418
    assert not gold.duplicated(["respondent", "question"]).any()
    labelled = gold[gold["quadrant"] != ""]
    assert set(labelled["quadrant"]) <= {"S", "W", "O", "T"}
    assert set(gold.loc[gold["frame"] == "wish", "quadrant"]) <= {"W", "O", ""}
    lack = labelled[labelled["frame"] == "lack"]
    assert (lack["quadrant"] == "W").mean() > 0.95
    pride = labelled[labelled["frame"] == "pride"]
    assert (pride["quadrant"] == "S").mean() > 0.95
    themes = {t for value in labelled["theme"] for t in value.split(";")}
    assert {"roads", "healthcare", "youth", "recreation_sport"} <= themes
    assert any(t.startswith("new:") for t in themes)
    assert (gold.loc[gold["quadrant"] == "", "theme"] == "").all()


def test_layered_params_reject_an_unknown_key(tmp_path: Path) -> None:
    overlay = tmp_path / "survey.yaml"
    overlay.write_text("ingest:\n  questionz: [a]\n", encoding="utf-8")
    with pytest.raises(BalsisError, match="questionz"):
        layered_params(ROOT / "params.yaml", overlay)


# -- the evaluation on a hand-made case ------------------------------------------------------


def _gold() -> pd.DataFrame:
    rows = [
        ("1", "Q-lack", "lack", "W", "roads", "Ceļi"),
        ("2", "Q-lack", "lack", "W", "healthcare", "Ārsts"),
        ("3", "Q-lack", "lack", "", "", "nezinu"),
        ("1", "Q-wish", "wish", "O", "tourism;culture", "Tūrisms un svētki"),
        ("2", "Q-wish", "wish", "W", "new:veikals", "Veikals"),
        ("1", "Q-pride", "pride", "S", "environment", "Daba"),
    ]
    columns = ["respondent", "question", "frame", "quadrant", "theme", "answer"]
    return pd.DataFrame(rows, columns=columns)


def _ideas() -> pd.DataFrame:
    rows = [  # respondent, question, idea_id, non_answer, swot, theme
        ("1", "Q-lack", "1-q1-1", False, "W", "roads"),
        ("2", "Q-lack", "2-q1-1", False, "S", "healthcare"),
        ("3", "Q-lack", "3-q1-1", True, None, None),
        ("1", "Q-wish", "1-q2-1", False, "O", "tourism"),  # split in two: both themes right
        ("1", "Q-wish", "1-q2-2", False, "S", "culture"),
        ("2", "Q-wish", "2-q2-1", False, "W", "new-1"),
        ("1", "Q-pride", "1-q3-1", False, "S", "roads"),
    ]
    columns = ["respondent", "question", "idea_id", "non_answer", "swot", "theme"]
    return pd.DataFrame(rows, columns=columns)


def test_alignment_gives_each_idea_the_gold_of_its_answer() -> None:
    aligned = align_survey_gold(_ideas(), _gold()).set_index("idea_id")
    assert aligned.loc["1-q2-1", "gold_theme"] == "tourism"
    assert aligned.loc["1-q2-2", "gold_theme"] == "culture"
    assert aligned.loc["1-q3-1", "gold_theme"] == "environment"
    assert aligned.loc["3-q1-1", "gold_non_answer"]
    assert aligned.loc["2-q1-1", "frame"] == "lack"


def test_quadrant_metrics_by_hand() -> None:
    metrics = quadrant_metrics(align_survey_gold(_ideas(), _gold()))
    # scored: 1-q1 W/W, 2-q1 S/W, 1-q2-1 O/O, 1-q2-2 S/O, 2-q2 W/W, 1-q3 S/S
    assert metrics["n"] == 6
    assert metrics["lack_in_W"] == pytest.approx(1 / 2)
    assert metrics["wish_in_S"] == pytest.approx(1 / 3)
    assert metrics["pride_in_S"] == 1.0
    assert metrics["n_non_praise"] == 5
    assert metrics["non_praise_in_S"] == pytest.approx(2 / 5)
    # S: P 1/3 R 1 -> F1 1/2; W: P 1 R 2/3 -> 4/5; O: P 1 R 1/2 -> 2/3; T: 0
    assert metrics["f1_S"] == pytest.approx(0.5)
    assert metrics["f1_W"] == pytest.approx(0.8)
    assert metrics["f1_O"] == pytest.approx(2 / 3)
    # the gold has no T: the mean is over S, W and O; over all four as well
    assert metrics["macro_f1"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    assert metrics["macro_f1_4"] == pytest.approx((0.5 + 0.8 + 2 / 3 + 0) / 4)
    assert metrics["accuracy_lack"] == pytest.approx(1 / 2)
    assert metrics["accuracy_wish"] == pytest.approx(2 / 3)
    assert metrics["share_wish_S"] == pytest.approx(1 / 3)


def test_theme_and_non_answer_metrics_by_hand() -> None:
    metrics = survey_metrics(_ideas(), _gold())
    themes = metrics["themes"]
    assert themes["n"] == 6  # the non-answer is left out
    # right: roads, healthcare, tourism, culture, new-1 for new:veikals; wrong: roads (environment)
    assert themes["theme_name_accuracy"] == pytest.approx(5 / 6)
    assert themes["theme_name_accuracy_taxonomy"] == pytest.approx(4 / 5)
    assert metrics["non_answers"] == {"precision": 1.0, "recall": 1.0, "n": 1}
    assert metrics["n_answers"] == 6
    assert theme_matches("new-3", "new:x") and not theme_matches("roads", "new:x")
    assert not theme_matches("new-3", "roads")


def test_a_perfect_run_scores_one() -> None:
    gold = _gold()
    ideas = gold.assign(
        idea_id=gold["respondent"] + "-" + gold["question"],
        non_answer=gold["quadrant"] == "",
        swot=gold["quadrant"],
        theme=[t.split(";")[0].replace("new:veikals", "new-1") for t in gold["theme"]],
    )
    metrics = survey_metrics(ideas, gold)
    assert metrics["themes"]["ari"] == pytest.approx(1.0)
    assert metrics["themes"]["theme_name_accuracy"] == 1.0
    assert metrics["swot"]["accuracy"] == 1.0
    assert metrics["swot"]["macro_f1"] == 1.0  # S, W and O; the gold has no T
    assert metrics["swot"]["lack_in_W"] == 1.0 and metrics["swot"]["wish_in_S"] == 0.0
