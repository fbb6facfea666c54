"""The ``balsis`` command: its help, the mistakes a user can make, and a whole run."""

from __future__ import annotations

import contextlib
import csv
import html
import io as stdio
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
import yaml

from pipeline import cli, workflow
from pipeline.publish.redact import leaked_identifiers

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "raw" / "proposals.csv"

RUN_OPTIONS = (
    "--out",
    "--params",
    "--text-column",
    "--id-column",
    "--question-column",
    "--no-id",
    "--lang",
    "--overrides",
    "--cache-dir",
    "--no-cache",
    "--scheduler",
    "--quiet",
)

GOOD_CSV = (
    "id,text,territory\n"
    "1,Vajag apgaismot gājēju celiņu līdz stacijai,Ezerkalne\n"
    "2,Bērnu laukumā salūzušas šūpoles,Dzērvju pagasts\n"
)


def _run_main(argv: list[str]) -> int:
    """``cli.main(argv)``'s exit code, whether it returns or argparse exits."""
    try:
        return cli.main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


# ---------------------------------------------------------------------------------------------
# Help


def test_help_names_the_run_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: balsis" in out
    assert "run" in out


def test_run_help_documents_every_option_and_the_outputs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run_main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    missing = [option for option in RUN_OPTIONS if option not in out]
    assert missing == []
    for output in ("report.html", "balsis.xlsx", "figures/"):
        assert output in out


# ---------------------------------------------------------------------------------------------
# A user's mistakes: exit code 2, one error line, no traceback, no report


Mistake = Callable[[Path], tuple[list[str], str]]
"""Writes a user's faulty input into a directory; returns the arguments and the error's text."""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _missing_input(tmp: Path) -> tuple[list[str], str]:
    return [str(tmp / "nav-tada-faila.csv")], "nav-tada-faila.csv: file not found"


def _no_text_column(tmp: Path) -> tuple[list[str], str]:
    table = _write(tmp / "atbildes.csv", "id,atbilde\n1,Vajag vairāk soliņu parkā\n")
    return [str(table)], "column 'text': text column not found; the columns are 'id', 'atbilde'"


def _no_text_column_hint(tmp: Path) -> tuple[list[str], str]:
    args, _ = _no_text_column(tmp)
    return args, "balsis run --text-column NAME"


def _no_question_column(tmp: Path) -> tuple[list[str], str]:
    table = _write(tmp / "atbildes.csv", "Nr,Jautājums,text\n1,Kas trūkst?,Soliņi\n")
    return [str(table), "--no-id", "--question-column", "Jautajums"], (
        "column 'Jautajums': question column not found; the columns are 'Nr', 'Jautājums', "
        "'text' (did you mean 'Jautājums'?"
    )


def _missing_overrides(tmp: Path) -> tuple[list[str], str]:
    table = _write(tmp / "atbildes.csv", GOOD_CSV)
    return [str(table), "--overrides", str(tmp / "labojmi.yaml")], (
        "labojmi.yaml: no such overrides file"
    )


def _broken_overrides(tmp: Path) -> tuple[list[str], str]:
    table = _write(tmp / "atbildes.csv", GOOD_CSV)
    overrides = _write(tmp / "labojumi.yaml", 'rename:\n  roads: "Ceļi un ielas\nhide: [\n')
    return [str(table), "--overrides", str(overrides)], "labojumi.yaml: is not valid YAML"


@pytest.mark.parametrize(
    "mistake",
    [
        _missing_input,
        _no_text_column,
        _no_text_column_hint,
        _no_question_column,
        _broken_overrides,
        _missing_overrides,
    ],  # fmt: skip
    ids=[
        "missing-input",
        "no-text-column",
        "no-text-column-hint",
        "no-question-column",
        "broken-overrides",
        "missing-overrides",
    ],
)
def test_a_users_mistake_is_one_error_line_and_exit_code_2(
    mistake: Mistake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args, expected = mistake(tmp_path)
    out = tmp_path / "rezultati"

    code = _run_main(["run", *args, "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert err.startswith("balsis: error: ")
    assert expected in err
    assert not (out / workflow.REPORT_HTML).exists()


def test_an_unknown_report_language_is_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path / "atbildes.csv", GOOD_CSV)
    out = tmp_path / "rezultati"

    code = _run_main(["run", str(table), "--out", str(out), "--lang", "de"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [
        "balsis run: error: argument --lang: invalid choice: 'de' (choose from 'lv', 'en') "
        "(see 'balsis run --help')"
    ]
    assert not out.exists()


def test_the_console_script_reports_a_missing_file_without_a_traceback(tmp_path: Path) -> None:
    missing, out = tmp_path / "nav.xlsx", tmp_path / "rezultati"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", str(missing), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )

    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    expected = f"balsis: error: {missing}: file not found (check the path and the file name)"
    assert errors == [expected]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists()


@pytest.mark.slow
def test_a_quiet_run_writes_no_warnings_or_progress_bars_on_stderr(tmp_path: Path) -> None:
    """-q: the summary on stdout, and on stderr only what the user must know (here: too few
    ideas to find themes), no library's FutureWarning or "Loading weights" bar."""
    table = _write(tmp_path / "atbildes.csv", "id,text\n1,nav\n2,nezinu\n3,-\n4,Nav viedokļa\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "run",
            str(table),
            "--out",
            str(tmp_path / "rezultati"),
            "--no-cache",
            "-q",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr
    assert "it/s" not in result.stderr and "Loading" not in result.stderr
    assert all("too few" in line for line in result.stderr.splitlines())
    assert result.stdout.startswith("4 responses -> 4 ideas (4 non-answers")


def test_the_cache_directory_is_read_from_the_environment_at_call_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BALSIS_CACHE_DIR", str(tmp_path / "kesatmina"))
    assert workflow.default_cache_dir() == tmp_path / "kesatmina"
    monkeypatch.delenv("BALSIS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert workflow.default_cache_dir() == tmp_path / "xdg" / "balsis" / "embeddings"


def test_no_cache_and_a_cache_directory_exclude_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path / "atbildes.csv", GOOD_CSV)
    argv = ["run", str(table), "--out", str(tmp_path / "o"), "--no-cache", "--cache-dir", "c"]
    assert _run_main(argv) == 2
    assert "not allowed with argument" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# A whole run on a workbook that is not the sample's CSV

N_ROWS = 150
HIDDEN_IDEA = "A007-1"  # the 7th response: a road sign that fell down
UNKNOWN_IDEA = "Z999-1"
RENAMED_EN = "Streets, roads and road signs"


@dataclass(frozen=True)
class CliRun:
    """One ``balsis run`` and what it was given."""

    code: int
    stdout: str
    out: Path
    ids: list[str]
    cache: Path


def _workbook(path: Path) -> list[str]:
    """Write an XLSX whose first sheet is a note and whose second holds the responses."""
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(N_ROWS)
    ids = [f"A{n:03d}" for n in range(1, len(raw) + 1)]
    responses = pd.DataFrame(
        {
            "Nr.": ids,
            "Jūsu priekšlikums": raw["text"].to_numpy(),
            "Pagasts": raw["territory"].to_numpy(),
            "Loma": raw["group"].to_numpy(),
            "Punkti": raw["votes"].to_numpy(),
        }
    )
    note = pd.DataFrame(
        {
            "Aptauja": ["Attīstības programmas aptauja", "Atbilžu skaits"],
            "Piezīme": ["Iedzīvotāju priekšlikumi ir lapā “Atbildes”", str(len(ids))],
        }
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        note.to_excel(writer, sheet_name="Par aptauju", index=False)
        responses.to_excel(writer, sheet_name="Atbildes", index=False)
    return ids


PARAMS_YAML = """\
ingest:
  sheet: Atbildes
  territory_column: Pagasts
  group_column: Loma
  votes_column: Punkti
  date_column: null
  source_column: null
report:
  lang: lv
"""

OVERRIDES_YAML = f"""\
rename:
  roads: {{lv: "Ielas, ceļi un ceļa zīmes", en: "{RENAMED_EN}"}}
hide:
  - "{HIDDEN_IDEA}"
  - "{UNKNOWN_IDEA}"
"""


@pytest.fixture(scope="module")
def workbook_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliRun]:
    """``balsis run`` on an XLSX with its own column names, in English, with corrections."""
    base = tmp_path_factory.mktemp("cli")
    ids = _workbook(base / "aptauja.xlsx")
    params = _write(base / "parametri.yaml", PARAMS_YAML)
    overrides = _write(base / "labojumi.yaml", OVERRIDES_YAML)
    out = base / "rezultati"
    argv = [
        "run",
        str(base / "aptauja.xlsx"),
        "--out",
        str(out),
        "--params",
        str(params),
        "--text-column",
        "Jūsu priekšlikums",
        "--id-column",
        "Nr.",
        "--lang",
        "en",
        "--overrides",
        str(overrides),
        "--cache-dir",
        str(base / "cache"),  # a fresh cache, not the user's
    ]
    stdout = stdio.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = cli.main(argv)
    yield CliRun(code=code, stdout=stdout.getvalue(), out=out, ids=ids, cache=base / "cache")


@pytest.fixture(scope="module")
def ideas_csv(workbook_run: CliRun) -> pd.DataFrame:
    return pd.read_csv(workbook_run.out / "ideas.csv", dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_run_succeeds_and_writes_the_report_workbook_and_charts(workbook_run: CliRun) -> None:
    out = workbook_run.out
    assert workbook_run.code == 0
    assert (out / "report.html").stat().st_size > 0
    assert (out / "balsis.xlsx").stat().st_size > 0
    assert sorted((out / "figures").glob("*.png")) != []


@pytest.mark.slow
def test_embeddings_are_kept_in_the_named_cache_directory(workbook_run: CliRun) -> None:
    # the vectors, and the file runs sharing the cache lock while they merge into it
    assert sorted(p.suffix for p in workbook_run.cache.iterdir()) == [".lock", ".npz"]


@pytest.mark.slow
def test_ideas_keep_every_response_of_the_data_sheet(
    workbook_run: CliRun, ideas_csv: pd.DataFrame
) -> None:
    assert set(ideas_csv["response_id"]) == set(workbook_run.ids)
    assert ideas_csv["idea_id"].is_unique


@pytest.mark.slow
def test_territories_come_from_the_mapped_column(ideas_csv: pd.DataFrame) -> None:
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(N_ROWS)
    assert set(ideas_csv["territory"]) == set(raw["territory"])


@pytest.mark.slow
def test_only_the_hidden_idea_is_flagged_hidden(ideas_csv: pd.DataFrame) -> None:
    hidden = ideas_csv.loc[ideas_csv["hidden"] == "True", "idea_id"].tolist()
    assert hidden == [HIDDEN_IDEA]


@pytest.mark.slow
def test_report_is_in_english_with_the_rename_and_the_unmatched_correction(
    workbook_run: CliRun,
) -> None:
    html = (workbook_run.out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "<h2>Summary</h2>" in html
    assert "Kopsavilkums" not in html
    assert RENAMED_EN in html
    assert "renamed by a person" in html
    unmatched = html.split("no longer match any idea or theme", 1)
    assert len(unmatched) == 2
    assert UNKNOWN_IDEA in unmatched[1].split("</div>", 1)[0]


@pytest.mark.slow
def test_an_unmatched_correction_points_to_the_ideas_table_in_the_output_folder(
    workbook_run: CliRun,
) -> None:
    log = json.loads((workbook_run.out / "review.json").read_text(encoding="utf-8"))
    [unmatched] = log["unmatched"]
    assert unmatched["target"] == UNKNOWN_IDEA
    assert unmatched["reason"].endswith(
        f"idea ids are in column idea_id of {workbook_run.out / 'ideas.csv'})"
    )
    assert "parquet" not in unmatched["reason"]


@pytest.mark.slow
def test_themes_table_marks_the_renamed_theme(workbook_run: CliRun) -> None:
    themes = pd.read_csv(workbook_run.out / "themes.csv", dtype=str, keep_default_na=False)
    roads = themes[themes["theme"] == "roads"]
    assert roads["name_en"].tolist() == [RENAMED_EN]
    assert roads["renamed"].tolist() == ["True"]


@pytest.mark.slow
def test_summary_names_the_counts_and_the_report(
    workbook_run: CliRun, ideas_csv: pd.DataFrame
) -> None:
    themes = pd.read_csv(workbook_run.out / "themes.csv", dtype=str, keep_default_na=False)
    lines = workbook_run.stdout.splitlines()
    assert f"{N_ROWS} responses -> {len(ideas_csv)} ideas" in lines[0]
    assert any(line.startswith(f"{len(themes)} themes;") for line in lines)
    assert "corrections: 2 applied, 1 no longer match (listed in the report)" in lines
    assert f"report:       {workbook_run.out / 'report.html'}" in lines


# ---------------------------------------------------------------------------------------------
# What is published: the help, the README and a run on a hostile file agree


def _help_section(title: str) -> list[str]:
    """The file names listed under ``title`` in ``balsis run --help``."""
    lines = cli.RUN_EPILOG.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    names = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            if names:
                break
            continue  # the title's second line
        names.append(line.split()[0])
    return names


def _published() -> list[str]:
    return _help_section("published outputs")


def _internal() -> list[str]:
    return _help_section("internal outputs")


def _readme_publication_paragraph() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("Everything in `DIR` except")
    return readme[start : readme.index("\n\n", start)]


def test_help_and_readme_list_the_same_published_files() -> None:
    """Defect 8: the help called svid.csv internal, the README published."""
    paragraph = _readme_publication_paragraph()
    head, listed = paragraph.split(" is for publication:", 1)
    listed = listed.split(". All of them", 1)[0]
    assert re.findall(r"`([^`]+)`", listed) == _published()
    assert re.findall(r"`([^`]+)`", head) == ["DIR", *_internal()]
    assert "svid.csv" in _published()
    assert _internal() == ["review.json", "interim/", ".balsis-outputs.json"]


HOSTILE_CORPUS = ROOT / "tests" / "data" / "hostile_corpus.csv"
# Every identifier the hostile corpus carries, in its proposals and its metadata columns.
HOSTILE_IDENTIFIERS = [
    "29123456",
    "+37129123456",
    "+371 2912 3456",
    "6712-3456",
    "2958-7413",
    "peteris@gmail.com",
    "anna(at)inbox.lv",
    "120395-12345",
    "250874-11638",
    "LV98HABA0551038472915",
]
FORMULA_START = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``balsis run`` on the hostile corpus, the charts' SVG with their text as text."""
    from pipeline.publish.charts import style

    base = tmp_path_factory.mktemp("hostile")
    out = base / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(style._RC, "svg.fonttype", "none")  # searchable text, not outlines
        with contextlib.redirect_stdout(stdio.StringIO()):
            code = cli.main(
                [
                    "run",
                    str(HOSTILE_CORPUS),
                    "--out",
                    str(out),
                    "--cache-dir",
                    str(base / "c"),
                    "-q",
                ]  # fmt: skip
            )
    assert code == 0
    yield out


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _csv_records(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_the_hostile_corpus_carries_every_identifier_listed() -> None:
    raw = HOSTILE_CORPUS.read_text(encoding="utf-8")
    assert [i for i in HOSTILE_IDENTIFIERS if i not in raw] == []
    frame = pd.read_csv(HOSTILE_CORPUS, dtype=str)
    for column in ("territory", "group", "source"):  # metadata carries identifiers and formulas
        values = "\n".join(frame[column])
        assert leaked_identifiers(values, HOSTILE_IDENTIFIERS) != []
        assert any(v.startswith(FORMULA_START) for v in frame[column])


@pytest.mark.slow
def test_hostile_run_publishes_exactly_the_listed_files(hostile_run: Path) -> None:
    assert sorted(p.name + ("/" if p.is_dir() else "") for p in hostile_run.iterdir()) == sorted(
        [*_published(), *_internal()]
    )


@pytest.mark.slow
def test_hostile_run_csvs_hold_no_identifier_and_no_formula(hostile_run: Path) -> None:
    csvs = sorted(hostile_run.glob("*.csv"))
    assert [p.name for p in csvs] == sorted(n for n in _published() if n.endswith(".csv"))
    for path in csvs:
        cells = [cell for record in _csv_records(path) for cell in record]
        formulas = [c for c in cells if c.lstrip().startswith(FORMULA_START) and not _is_number(c)]
        assert formulas == [], path.name
        assert leaked_identifiers(" | ".join(cells), HOSTILE_IDENTIFIERS) == [], path.name


@pytest.mark.slow
def test_hostile_run_ideas_csv_is_one_record_per_idea(hostile_run: Path) -> None:
    ideas = pd.read_parquet(hostile_run / "interim" / "reviewed_ideas.parquet")
    records = _csv_records(hostile_run / "ideas.csv")
    column = records[0].index("idea_id")
    assert [record[column] for record in records[1:]] == ideas["idea_id"].tolist()
    assert len(pd.read_csv(hostile_run / "ideas.csv")) == len(ideas)
    assert any("\r" in text for text in ideas["text"])  # a bare CR was in a proposal
    # the raw text stays in the internal tables for analysts
    raw = " | ".join(ideas["text"].tolist() + ideas["territory"].tolist())
    assert leaked_identifiers(raw, ["29123456", "120395-12345"]) == ["29123456"]
    assert "=1+1 bedres" in raw


@pytest.mark.slow
def test_hostile_run_report_holds_no_identifier(hostile_run: Path) -> None:
    page = (hostile_run / "report.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"data:[^\"')]+", "", page))  # no embedded images
    assert leaked_identifiers(text, HOSTILE_IDENTIFIERS) == []
    assert "[tālrunis]" in text and "[e-pasts]" in text


@pytest.mark.slow
def test_hostile_run_workbook_holds_no_identifier_and_no_formula(hostile_run: Path) -> None:
    book = openpyxl.load_workbook(hostile_run / "balsis.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [t for t in texts if t.lstrip().startswith(FORMULA_START)] == []
    assert leaked_identifiers(" | ".join(texts), HOSTILE_IDENTIFIERS) == []


@pytest.mark.slow
def test_hostile_run_chart_text_holds_no_identifier(hostile_run: Path) -> None:
    svgs = sorted((hostile_run / "figures").glob("*.svg"))
    assert svgs
    texts = []
    for path in svgs:
        root = ElementTree.parse(path).getroot()
        texts += [t.strip() for t in root.itertext() if t.strip()]
    assert "Rudzupe" in texts  # a territory label: the SVG text is searchable
    assert leaked_identifiers(" | ".join(texts), HOSTILE_IDENTIFIERS) == []


# ---------------------------------------------------------------------------------------------
# Surveys: --question-column and balsis inspect

SURVEY_CSV = (
    "Laika zīmogs,Kas ciemā visvairāk pietrūkst?,Ko vēlaties nākotnē?,"
    "Kādos pasākumos piedalītos?,Vecums,Pagasts\n"
    '2026-03-02 10:15:00,Darba vietas,Kafejnīcu,"Koncerti, Sporta spēles",18-25,Ozolmuiža\n'
    "2026-03-02 11:00:00,Ārsts,Stadionu,Koncerti,26-40,Ozolmuiža\n"
    '2026-03-03 09:30:00,,Peldvietu,"Sporta spēles, Koncerti",26-40,Liepiņi\n'
    "2026-03-04 18:00:00,Veikals,,,18-25,Liepiņi\n"
)


def test_the_question_column_flag_reaches_the_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = {}

    def fake_run(input_path, out_dir, params, **options):  # type: ignore[no-untyped-def]
        seen["ingest"] = params.ingest
        raise cli.BalsisError("stopped before any work")

    monkeypatch.setattr(cli, "run_pipeline", fake_run)
    table = _write(tmp_path / "garā.csv", "Nr,Jautājums,text\n1,Kas trūkst?,Soliņi\n")
    argv = ["run", str(table), "--out", str(tmp_path / "o"), "--question-column", "Jautājums"]
    assert _run_main(argv) == 2
    assert seen["ingest"].question_column == "Jautājums"
    assert seen["ingest"].questions == ()


def test_the_question_column_flag_and_questions_in_params_exclude_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path / "aptauja.csv", SURVEY_CSV)
    params = _write(
        tmp_path / "p.yaml", "ingest:\n  questions: ['Kas ciemā visvairāk pietrūkst?']\n"
    )
    argv = ["run", str(table), "--out", str(tmp_path / "o"), "--params", str(params),
            "--question-column", "Vecums"]  # fmt: skip
    assert _run_main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "exclude each other" in err
    assert not (tmp_path / "o").exists()


def test_inspect_prints_each_columns_role_and_a_snippet_that_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path / "aptauja.csv", SURVEY_CSV)
    assert _run_main(["inspect", str(table)]) == 0
    out = capsys.readouterr().out
    assert "1. 'Laika zīmogs': date (4 of 4 filled, 4 distinct)" in out
    assert "2. 'Kas ciemā visvairāk pietrūkst?': free text (3 of 4 filled" in out
    assert "4. 'Kādos pasākumos piedalītos?': tick box" in out
    assert "5. 'Vecums': single choice" in out
    assert "6. 'Pagasts': territory" in out
    assert 'e.g. "Darba vietas" | "Ārsts" | "Veikals"' in out
    snippet = out[out.index("ingest:") :]
    params = yaml.safe_load(snippet)["ingest"]
    assert params["questions"] == ["Kas ciemā visvairāk pietrūkst?", "Ko vēlaties nākotnē?"]
    assert params["choice_columns"] == ["Kādos pasākumos piedalītos?"]
    assert (params["territory_column"], params["group_column"]) == ("Pagasts", "Vecums")
    assert params["date_column"] == "Laika zīmogs" and params["id_column"] is None


def test_inspect_reads_a_named_sheet_of_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = pd.read_csv(stdio.StringIO(SURVEY_CSV), dtype=str, keep_default_na=False)
    path = tmp_path / "aptauja.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"Piezīme": ["Atbildes ir otrajā lapā"]}).to_excel(
            writer, sheet_name="Par", index=False
        )
        frame.to_excel(writer, sheet_name="Atbildes", index=False)
    assert _run_main(["inspect", str(path), "--sheet", "Atbildes"]) == 0
    out = capsys.readouterr().out
    assert "4 rows, 6 columns" in out and "sheet: Atbildes" in out


def test_inspect_of_a_missing_file_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run_main(["inspect", str(tmp_path / "nav.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("balsis: error: ") and "file not found" in err


SURVEY_RESPONDENTS = 60
LACK_Q = "Kas jūsu pagastā visvairāk pietrūkst?"
WISH_Q = "Ko vēlaties pagastā nākotnē?"
TICKS_Q = "Kādos pasākumos piedalītos?"
TICK_OPTIONS = ("Koncerti", "Sporta spēles", "Amatu darbnīcas")


@pytest.fixture(scope="module")
def survey_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliRun]:
    """``balsis run`` on a wide survey: two questions, tick boxes, age group, residence."""
    base = tmp_path_factory.mktemp("survey")
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(2 * SURVEY_RESPONDENTS)
    n = SURVEY_RESPONDENTS
    # Respondent i ticks option k when (i + k) % (k + 2) == 0: 30, 20 and 15 of 60.
    ticks = [", ".join(o for k, o in enumerate(TICK_OPTIONS) if (i + k) % (k + 2) == 0)
             for i in range(n)]  # fmt: skip
    frame = pd.DataFrame(
        {
            "ID": [f"R{i:02d}" for i in range(n)],
            LACK_Q: raw["text"].iloc[:n].to_numpy(),
            WISH_Q: raw["text"].iloc[n:].to_numpy(),
            TICKS_Q: ticks,
            "Vecuma grupa": [("18-25", "26-40", "41-60", "60+")[i % 4] for i in range(n)],
            "Dzīvesvieta": raw["territory"].iloc[:n].to_numpy(),
        }
    )
    frame.to_excel(base / "aptauja.xlsx", index=False)
    params = _write(
        base / "aptauja.yaml",
        yaml.safe_dump(
            {
                "ingest": {
                    "questions": [LACK_Q, WISH_Q],
                    "id_column": "ID",
                    "territory_column": "Dzīvesvieta",
                    "group_column": "Vecuma grupa",
                    "date_column": None,
                    "votes_column": None,
                    "source_column": None,
                    "choice_columns": [TICKS_Q],
                }
            },  # fmt: skip
            allow_unicode=True,
        ),
    )
    out = base / "rezultati"
    argv = ["run", str(base / "aptauja.xlsx"), "--out", str(out), "--params", str(params),
            "--cache-dir", str(base / "cache")]  # fmt: skip
    stdout = stdio.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = cli.main(argv)
    yield CliRun(code=code, stdout=stdout.getvalue(), out=out, ids=[], cache=base / "cache")


@pytest.mark.slow
def test_a_survey_run_keeps_the_question_of_every_idea(survey_run: CliRun) -> None:
    assert survey_run.code == 0
    ideas = pd.read_csv(survey_run.out / "ideas.csv", dtype=str, keep_default_na=False)
    assert set(ideas["question"]) == {LACK_Q, WISH_Q}
    first = ideas[ideas["respondent"] == "R00"]
    assert set(first["response_id"]) == {"R00-q1", "R00-q2"}
    assert (ideas.loc[ideas["response_id"].str.endswith("-q1"), "question"] == LACK_Q).all()
    book = openpyxl.load_workbook(survey_run.out / "balsis.xlsx")
    headers = [cell.value for cell in next(book["Idejas"].iter_rows(max_row=1))]
    assert "Jautājums" in headers and "Respondents" in headers
    page = html.unescape((survey_run.out / "report.html").read_text(encoding="utf-8"))
    assert f"jautājums: {LACK_Q}" in page and f"jautājums: {WISH_Q}" in page


@pytest.mark.slow
def test_a_survey_run_counts_the_tick_boxes(survey_run: CliRun) -> None:
    choices = pd.read_csv(survey_run.out / "choices.csv", keep_default_na=False)
    counts = dict(zip(choices["option"], choices["n_ticked"], strict=True))
    assert counts == {"Koncerti": 30, "Sporta spēles": 20, "Amatu darbnīcas": 15}
    assert set(choices["n_respondents"]) == {SURVEY_RESPONDENTS}
    answered = sum(any((i + k) % (k + 2) == 0 for k in range(3)) for i in range(SURVEY_RESPONDENTS))
    assert set(choices["n_answered"]) == {answered}
    themes = dict(zip(choices["option"], choices["theme"], strict=True))
    assert themes["Koncerti"] == "culture" and themes["Amatu darbnīcas"] == ""
