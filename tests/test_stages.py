from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.io.artefacts import read_json, read_parquet, write_parquet
from pipeline.stages import ingest as ingest_stage
from pipeline.stages import normalise as normalise_stage

ROOT = Path(__file__).resolve().parent.parent


def _write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_ingest_and_normalise_stages_write_their_tables(tmp_path: Path) -> None:
    source = _write_csv(
        tmp_path / "in.csv",
        [
            {"id": "a1", "text": "1) Bedres Skolas ielā 2) Vajag soliņus parkā", "votes": 4},
            {"id": "a2", "text": "nav", "votes": None},
        ],
    )
    responses = tmp_path / "interim" / "responses.parquet"
    ideas_path = tmp_path / "interim" / "ideas.parquet"
    assert ingest_stage.main(["--input", str(source), "--out", str(responses)]) == 0
    assert normalise_stage.main(["--responses", str(responses), "--out", str(ideas_path)]) == 0
    ideas = read_parquet(ideas_path)
    assert ideas["idea_id"].tolist() == ["a1-1", "a1-2", "a2-1"]
    assert ideas["non_answer"].tolist() == [False, False, True]
    assert ideas["votes"].isna().tolist() == [False, False, True]
    assert ideas["votes"].iloc[:2].tolist() == [4, 4]


def test_ingest_stage_reports_bad_input_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write_csv(tmp_path / "in.csv", [{"id": "1", "teksts": "Vajag ceļu"}])
    out = tmp_path / "responses.parquet"
    assert ingest_stage.main(["--input", str(source), "--out", str(out)]) == 2
    message = capsys.readouterr().err
    assert "in.csv" in message and "text" in message and "teksts" in message
    assert "Traceback" not in message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_balsis_run_on_other_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "atbildes.xlsx"
    pd.DataFrame(
        {
            "Nr.": ["7", "8", "9"],
            "Priekšlikums": ["Vajag apgaismojumu Ezera ielā", "celu remonts vajadzigs", "-"],
            "Pagasts": ["Rudzupe", "Rudzupe", "Kalnāji"],
        }
    ).to_excel(source, index=False)
    params = tmp_path / "params.yaml"
    params.write_text("ingest:\n  territory_column: Pagasts\n", encoding="utf-8")
    out = tmp_path / "out"
    code = cli.main(
        [
            "run",
            str(source),
            "--out",
            str(out),
            "--params",
            str(params),
            "--text-column",
            "Priekšlikums",
            "--id-column",
            "Nr.",
        ]
    )
    assert code == 0
    ideas = pd.read_csv(out / "ideas.csv", dtype=str, keep_default_na=False)
    assert ideas["response_id"].tolist() == ["7", "8", "9"]
    assert ideas["text_normalised"].tolist()[1] == "ceļu remonts vajadzīgs"
    assert ideas["territory"].tolist() == ["Rudzupe", "Rudzupe", "Kalnāji"]
    assert ideas["non_answer"].tolist() == ["False", "False", "True"]
    assert "3 responses -> 3 ideas" in capsys.readouterr().out


@pytest.mark.slow
def test_balsis_run_on_a_spreadsheet_that_is_not_the_sample(tmp_path: Path) -> None:
    sample = pd.read_csv(ROOT / "data" / "raw" / "proposals.csv", dtype=str).iloc[::4]
    source = tmp_path / "aptauja.xlsx"
    sample.rename(columns={"id": "Nr", "text": "Atbilde", "territory": "Pagasts"})[
        ["Nr", "Atbilde", "Pagasts"]
    ].to_excel(source, index=False, sheet_name="Atbildes")
    out = tmp_path / "out"
    code = cli.main(
        ["run", str(source), "--out", str(out), "--text-column", "Atbilde", "--id-column", "Nr"]
    )
    assert code == 0
    ideas = pd.read_csv(out / "ideas.csv", dtype={"response_id": str})
    assert set(ideas["response_id"]) == set(sample["id"])
    themes = pd.read_csv(out / "themes.csv")
    assert len(themes) >= 2
    assert set(ideas["theme"].dropna()) <= set(themes["theme"])


def test_balsis_run_missing_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["run", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "missing.csv" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_balsis_help_lists_run(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    assert "run" in capsys.readouterr().out


@pytest.mark.slow
def test_sample_end_to_end(tmp_path: Path) -> None:
    """The bundled sample: every response is kept, flags agree with the gold, themes come out."""
    from pipeline.params import load_params
    from pipeline.workflow import run_pipeline

    summary = run_pipeline(
        ROOT / "data" / "raw" / "proposals.csv", tmp_path, load_params(), cache_dir=tmp_path / "c"
    )
    raw = pd.read_csv(ROOT / "data" / "raw" / "proposals.csv", dtype=str)
    ideas = pd.read_csv(tmp_path / "ideas.csv", dtype={"response_id": str})
    assert summary.responses == len(raw)
    assert set(ideas["response_id"]) == set(raw["id"])
    gold = pd.read_csv(ROOT / "data" / "reference" / "proposals_gold.csv", dtype={"id": str})
    non_answer_ids = set(gold.loc[gold["n_ideas"] == 0, "id"])
    flagged = set(ideas.loc[ideas["non_answer"], "response_id"])
    assert len(flagged & non_answer_ids) >= 0.9 * len(non_answer_ids)
    assert len(flagged - non_answer_ids) <= 2
    themes = pd.read_csv(tmp_path / "themes.csv")
    assert summary.themes == len(themes) >= 10
    assert {"theme", "name_lv", "keywords", "n_ideas", "votes"} <= set(themes.columns)
    assert "roads" in set(themes["theme"])
    roads = themes.set_index("theme").loc["roads"]
    assert "ceļš" in roads["keywords"].split("; ")
    answered = ideas[~ideas["non_answer"]]
    assert answered["theme"].notna().mean() >= 0.85
    assert set(ideas.loc[ideas["non_answer"], "theme"].fillna("")) == {""}
    from pipeline.workflow import STEPS

    assert list(summary.step_seconds) == list(STEPS)  # each step timed, in order
    assert all(seconds >= 0 for seconds in summary.step_seconds.values())
    assert summary.step_seconds["embed"] > 0


def test_priority_stage_ranks_themes_and_breaks_them_down(tmp_path: Path) -> None:
    from pipeline.stages import priority as priority_stage

    reviewed = pd.DataFrame(
        {
            "idea_id": ["a-1", "b-1", "c-1", "d-1", "e-1"],
            "response_id": ["a", "b", "c", "d", "e"],
            "territory": ["Ezerkalne", "Rudzupe", "Ezerkalne", "Ezerkalne", "Kalnāji"],
            "group": ["seniors", "NVO", "NVO", "NVO", "seniors"],
            "votes": pd.array([5, 3, 1, None, 40], dtype="Int64"),
            "theme": ["roads", "roads", "culture", "", "culture"],
            "theme_confidence": [0.9, 0.8, 0.7, 0.0, 0.9],
            "swot": ["W", "W", "S", "", "S"],
            "swot_confidence": [0.9, 0.8, 0.9, None, 0.9],
            "urgency": [1, 0, 0, 0, 0],
            "text_clean": ["Bedres", "Ceļš slikts", "Koris labs", "nav", "Kultūras nams labs"],
            "duplicate_of": pd.array([None] * 5, dtype="string"),
            # a person hid e-1: its 40 votes would otherwise put culture first
            "hidden": [False, False, False, False, True],
        }
    )
    names = pd.DataFrame({"theme": ["roads", "culture"], "name_lv": ["Ceļi", "Kultūra"]})
    write_parquet(reviewed, tmp_path / "reviewed.parquet")
    write_parquet(names, tmp_path / "themes.parquet")
    out = tmp_path / "out"
    code = priority_stage.main(
        [
            "--ideas", str(tmp_path / "reviewed.parquet"),
            "--themes", str(tmp_path / "themes.parquet"),
            "--out", str(out / "p.parquet"),
            "--by-territory-out", str(out / "t.parquet"),
            "--by-group-out", str(out / "g.parquet"),
            "--svid-out", str(out / "svid.parquet"),
            "--theme-swot-out", str(out / "ts.parquet"),
            "--plots-dir", str(out / "plots"),
        ]
    )  # fmt: skip
    assert code == 0
    sizes = pd.read_csv(out / "plots" / "theme_sizes.csv")
    assert sizes.values.tolist() == [["Ceļi", 2], ["Kultūra", 1]]
    table = read_parquet(out / "p.parquet").set_index("theme")
    assert table["priority_rank"].to_dict() == {"roads": 1, "culture": 2}
    assert table.loc["roads", "votes"] == 8
    assert table.loc["culture", "n_ideas"] == 1
    by_territory = read_parquet(out / "t.parquet")
    assert set(by_territory["territory"]) == {"Ezerkalne", "Rudzupe"}
    assert set(read_parquet(out / "g.parquet")["group"]) == {"seniors", "NVO"}
    svid = read_parquet(out / "svid.parquet")
    assert svid[["quadrant", "theme_name", "n_ideas"]].values.tolist() == [["W", "Ceļi", 2]]
    assert list(svid.iloc[0]["quotes"]) == ["Bedres", "Ceļš slikts"]


@pytest.mark.slow
def test_train_swot_and_swot_stages(tmp_path: Path, e5_model_dir: Path) -> None:
    from pipeline.embed.ideas import embed_ideas, write_embeddings
    from pipeline.normalise.ideas import normalise_responses
    from pipeline.stages import swot as swot_stage
    from pipeline.stages import train_swot as train_stage

    labelled = pd.read_csv(ROOT / "data" / "reference" / "svid_labelled.csv", dtype=str)
    small = labelled.groupby("quadrant", group_keys=False).head(20)
    small.to_csv(tmp_path / "labelled.csv", index=False)
    classifier = tmp_path / "swot"
    models = str(e5_model_dir.parent)
    args = ["--labelled", str(tmp_path / "labelled.csv"), "--models-dir", models]
    metrics = tmp_path / "swot_cv.json"
    assert train_stage.main([*args, "--out", str(classifier), "--metrics-out", str(metrics)]) == 0
    assert (classifier / "cv_scores.json").exists()
    assert 0.0 <= read_json(metrics)["macro_f1"] <= 1.0

    responses = pd.DataFrame(
        {
            "response_id": ["1", "2", "3", "4"],
            "text": [
                "Ceļš uz skolu bedrēs, steidzami jāsalabo",
                "Ezeru varētu izmantot tūrismam",
                "Jaunieši aizbrauc uz ārzemēm un neatgriežas",
                "nav",
            ],
        }
    )
    ideas = normalise_responses(responses)
    embeddings, sidecar = embed_ideas(
        ideas, str(e5_model_dir), prompt_name="query", batch_size=8, max_chars=2000,
        cache_dir=None, progress=False,
    )  # fmt: skip
    write_parquet(ideas, tmp_path / "ideas.parquet")
    write_embeddings(embeddings, sidecar, tmp_path / "embeddings.npy")
    out = tmp_path / "idea_swot.parquet"
    code = swot_stage.main(
        [
            "--ideas", str(tmp_path / "ideas.parquet"),
            "--embeddings", str(tmp_path / "embeddings.npy"),
            "--classifier", str(classifier),
            "--models-dir", models,
            "--out", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    result = read_parquet(out).set_index("idea_id")
    assert result.loc["1-1", "swot"] == "W"
    assert result.loc["1-1", "urgency"] >= 1
    assert "jā" in result.loc["1-1", "swot_evidence"]
    assert result.loc["2-1", "swot"] == "O"
    assert result.loc["3-1", "swot"] == "T"
    assert result.loc["4-1", "swot"] == ""
