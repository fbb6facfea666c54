"""``balsis run --out DIR`` is all or nothing: DIR holds one run's complete outputs, never a mix.

Most tests drive :func:`pipeline.io.outdir.output_folder` directly; the whole-run tests use a
small input and a stand-in sentence model (hashed random vectors), so no real model is loaded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipeline import cli, workflow
from pipeline.errors import BalsisError, InputError
from pipeline.io.outdir import MANIFEST, output_folder
from pipeline.params import load_params

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
LEFTOVER_MARKS = (".balsis-tmp-", ".balsis-old-", ".balsis-commit")  # temporaries beside outputs


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def outputs(folder: Path) -> dict[str, str]:
    """The files a run wrote into ``folder`` (its list of outputs left out), as text."""
    return {k: v.decode() for k, v in snapshot(folder).items() if k != MANIFEST}


def tmp_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.tmp"))


def write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


OLD = {"report.html": "<p>old</p>", "ideas.csv": "id\n1\n", "figures/keywords.svg": "<svg/>"}
NEW = {"report.html": "<p>new</p>", "ideas.csv": "id\n2\n", "interim/ideas.parquet": "PAR1"}


def previous_run(out: Path) -> dict[str, bytes]:
    """A folder as a run leaves it (with its list of outputs); returns its snapshot."""
    with output_folder(out, workflow.RUN_OUTPUTS) as folder:
        write_files(folder, OLD)
    return snapshot(out)


# ---------------------------------------------------------------------------------------------
# The folder


def test_a_new_folder_appears_only_at_the_end_and_whole(tmp_path: Path) -> None:
    out = tmp_path / "rezultati"

    with output_folder(out) as folder:
        write_files(folder, NEW)
        assert not out.exists()
        assert folder.parent == tmp_path  # beside DIR: the same file system, renames are atomic

    assert outputs(out) == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rezultati"]


def test_a_rerun_replaces_every_previous_output_and_leaves_no_tmp_anywhere(
    tmp_path: Path,
) -> None:
    out = tmp_path / "rezultati"
    previous_run(out)
    # what killed runs of earlier versions left behind (the examples)
    write_files(
        out, {"figures/.keywords.svg.k3j4h5g6.tmp": "<sv", "interim/.x.parquet.ab_12cd3.tmp": ""}
    )
    (tmp_path / ".rezultati.balsis-tmp-999999").mkdir()  # a killed run's folder

    with output_folder(out, workflow.RUN_OUTPUTS) as folder:
        write_files(folder, NEW)

    assert outputs(out) == NEW
    assert tmp_files(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rezultati"]


def test_an_error_during_a_run_leaves_the_previous_outputs_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "rezultati"
    previous = previous_run(out)

    with pytest.raises(InputError), output_folder(out, workflow.RUN_OUTPUTS) as folder:
        write_files(folder, {"report.html": "<p>new</p>"})
        raise InputError("proposals.csv", "not a whole number", row=3, column="votes")

    assert snapshot(out) == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rezultati"]


# Kills the process after the journal is written and then STEPS more renames.
KILL_DURING_SWAP = """
import os
real_replace = os.replace
renames = []

def replace(src, dst, *args, **kwargs):
    real_replace(src, dst, *args, **kwargs)
    if renames or str(dst).endswith(".balsis-commit"):
        renames.append(dst)
        if len(renames) > STEPS:
            os._exit(9)

os.replace = replace
"""


def run_killed(code: str) -> None:
    """Run ``code`` in a fresh Python that must die with ``os._exit(9)`` (no cleanup runs)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 9, result.stderr[-3000:]


@pytest.mark.parametrize("steps", [0, 1, 2])
def test_a_kill_during_the_swap_leaves_previous_or_new_outputs_after_the_next_start(
    tmp_path: Path, steps: int
) -> None:
    """Renames after the journal: DIR aside (1), the new folder to DIR (2); then the cleanup."""
    out = tmp_path / "rezultati"
    previous_run(out)
    run_killed(
        KILL_DURING_SWAP.replace("STEPS", str(steps))
        + f"""
from pathlib import Path
from pipeline.io.outdir import output_folder
with output_folder(Path({str(out)!r})) as folder:
    for name, text in {NEW!r}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
"""
    )
    after_kill = outputs(out) if out.exists() else None
    # before the swap: the previous run; for an instant between the renames: no DIR; then new
    assert after_kill == [OLD, None, NEW][steps]

    # the next run starts (and here fails on its input): first it finishes the swap
    with pytest.raises(InputError), output_folder(out, workflow.RUN_OUTPUTS):
        raise InputError("proposals.csv", "file not found")

    assert outputs(out) == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rezultati"]


def test_ctrl_c_in_the_middle_of_the_swap_loses_neither_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "rezultati"
    previous_run(out)
    real_replace = os.replace

    def interrupted(src: str | Path, dst: str | Path) -> None:
        if ".balsis-tmp-" in Path(src).name:  # DIR is aside, the new folder not yet in place
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt), output_folder(out) as folder:
        write_files(folder, NEW)
    monkeypatch.undo()
    assert not out.exists()

    with output_folder(out, workflow.RUN_OUTPUTS) as folder:  # the next run
        assert outputs(out) == NEW  # the swap was finished first
        write_files(folder, OLD)

    assert outputs(out) == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rezultati"]


def test_when_the_new_folder_is_gone_the_next_start_brings_the_previous_one_back(
    tmp_path: Path,
) -> None:
    out = tmp_path / "rezultati"
    previous_run(out)
    run_killed(
        KILL_DURING_SWAP.replace("STEPS", "1")  # DIR aside, killed before the new one is in place
        + f"""
from pathlib import Path
from pipeline.io.outdir import output_folder
with output_folder(Path({str(out)!r})) as folder:
    (folder / "report.html").write_text("new", encoding="utf-8")
"""
    )
    for leftover in tmp_path.glob(".rezultati.balsis-tmp-*"):
        shutil.rmtree(leftover)  # lost, say, to a cleaning tool

    with pytest.raises(InputError), output_folder(out, workflow.RUN_OUTPUTS):
        raise InputError("proposals.csv", "file not found")

    assert outputs(out) == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rezultati"]


def test_a_file_balsis_did_not_write_stops_the_run_and_is_named(tmp_path: Path) -> None:
    out = tmp_path / "rezultati"
    previous_run(out)
    (out / "piezimes.docx").write_bytes(b"a planner's notes")
    before = snapshot(out)

    with pytest.raises(InputError) as caught, output_folder(out, workflow.RUN_OUTPUTS):
        pytest.fail("the run started")

    assert str(caught.value).startswith(f"{out / 'piezimes.docx'}: not written by balsis (")
    assert snapshot(out) == before


def test_a_folder_of_an_earlier_version_is_recognised_by_the_names_a_run_writes(
    tmp_path: Path,
) -> None:
    out = tmp_path / "rezultati"  # no list of outputs: written before there was one
    write_files(out, {**OLD, "priorities_by_group.csv": "", "interim/embeddings.npy": ""})
    write_files(out, {".DS_Store": "", "figures/.keywords.svg.k3j4h5g6.tmp": ""})

    with output_folder(out, workflow.RUN_OUTPUTS) as folder:
        write_files(folder, NEW)

    assert outputs(out) == NEW


@pytest.mark.parametrize(
    ("foreign", "named"),
    [
        ("aptauja.xlsx", "aptauja.xlsx"),
        ("vecie/", "vecie/"),
        ("interim/2024/ideas.parquet", "interim/2024/"),
        ("ideas.csv.bak", "ideas.csv.bak"),
    ],
)
def test_in_a_folder_of_an_earlier_version_other_names_are_refused(
    tmp_path: Path, foreign: str, named: str
) -> None:
    out = tmp_path / "rezultati"
    write_files(out, OLD)
    if foreign.endswith("/"):
        (out / foreign).mkdir()
    else:
        write_files(out, {foreign: "x"})

    with pytest.raises(InputError) as caught, output_folder(out, workflow.RUN_OUTPUTS):
        pytest.fail("the run started")

    assert str(caught.value).startswith(f"{out / named}: not written by balsis (")
    assert (out / foreign).exists()


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_writes(
    tmp_path: Path,
) -> None:
    out = tmp_path / "rezultati"
    with output_folder(out) as folder:
        write_files(folder, NEW)
        busy = pytest.raises(BalsisError, match="another balsis run is writing")
        with busy, output_folder(out):
            pytest.fail("the second run started")
        assert folder.is_dir()  # the first run's work was not taken for a stale leftover

    assert outputs(out) == NEW


def test_a_symlinked_out_folder_stays_a_symlink_to_the_new_outputs(tmp_path: Path) -> None:
    real = tmp_path / "disks" / "rezultati"
    previous_run(real)
    link = tmp_path / "rezultati"
    link.symlink_to(real, target_is_directory=True)

    with output_folder(link, workflow.RUN_OUTPUTS) as folder:
        write_files(folder, NEW)

    assert link.is_symlink()
    assert outputs(real) == NEW


@pytest.mark.parametrize("where", ["out", "parent"])
def test_out_that_is_a_file_is_refused(tmp_path: Path, where: str) -> None:
    file = tmp_path / "report.html"
    file.write_text("<p>mine</p>", encoding="utf-8")
    out = file if where == "out" else file / "rezultati"

    with pytest.raises(InputError, match="is a file"), output_folder(out):
        pytest.fail("the run started")

    assert file.read_text(encoding="utf-8") == "<p>mine</p>"


# ---------------------------------------------------------------------------------------------
# A whole run (with a stand-in sentence model)

PROPOSALS = (
    "id,text,territory\n"
    "1,Vajag apgaismot gājēju celiņu līdz stacijai,Ezerkalne\n"
    "2,Bērnu laukumā salūzušas šūpoles,Rudzupe\n"
    "3,Bedres Skolas ielā jāaizlāpa,Ezerkalne\n"
    "4,Vairāk soliņu parkā pie ezera,Kalnāji\n"
)


class HashedEncoder:
    """A stand-in sentence model: each text gets a fixed random unit vector."""

    def encode(self, texts: Sequence[str], **_: Any) -> np.ndarray:
        seeds = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) for t in texts]
        rows = [np.random.default_rng(seed).normal(size=32) for seed in seeds]
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), 32)


def run_with_stand_in_model(source: Path, out: Path, models: Path) -> workflow.RunSummary:
    """``run_pipeline`` with :class:`HashedEncoder` and the prototype SWOT model."""
    params = load_params()
    params = dataclasses.replace(
        params,
        embed=dataclasses.replace(params.embed, model=str(models / "hashed")),
        swot=dataclasses.replace(params.swot, use_classifier=False),
    )
    return workflow.run_pipeline(source, out, params, cache_dir=None, models_dir=models)


def stand_in_model(*args: object, **kwargs: object) -> HashedEncoder:
    return HashedEncoder()


@pytest.mark.slow  # the whole pipeline, twice
def test_a_run_killed_while_writing_leaves_the_previous_outputs_then_a_rerun_is_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workflow, "load_embedding_model", stand_in_model)
    out, models = tmp_path / "rezultati", tmp_path / "models"
    (models / "hashed").mkdir(parents=True)
    previous = previous_run(out)
    source = tmp_path / "atbildes.csv"
    source.write_text(PROPOSALS, encoding="utf-8")
    # killed right after ideas.csv is written: report, workbook and charts are new by then
    run_killed(
        f"""
        import os
        from pathlib import Path
        real_replace = os.replace
        def replace(src, dst, *args, **kwargs):
            real_replace(src, dst, *args, **kwargs)
            if Path(dst).name == "ideas.csv":
                os._exit(9)
        os.replace = replace
        from pipeline import workflow
        from test_workflow_atomic import run_with_stand_in_model, stand_in_model
        workflow.load_embedding_model = stand_in_model
        run_with_stand_in_model(Path({str(source)!r}), Path({str(out)!r}), Path({str(models)!r}))
        """
    )

    assert snapshot(out) == previous
    assert tmp_files(out) == []

    summary = run_with_stand_in_model(source, out, models)

    assert summary.out_dir == out
    ideas = (out / "ideas.csv").read_text(encoding="utf-8")
    assert "Bedres Skolas ielā jāaizlāpa" in ideas
    assert tmp_files(out) == []
    assert not [p for p in out.rglob("*") if any(m in p.name for m in LEFTOVER_MARKS)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atbildes.csv", "models", "rezultati"]


def test_run_pipeline_writes_beside_out_and_replaces_it_only_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "rezultati"
    previous = previous_run(out)
    seen: list[Path] = []

    def steps(source: Path, folder: Path, *args: object) -> workflow.RunSummary:
        seen.append(folder)
        write_files(folder, NEW)
        assert snapshot(out) == previous
        if len(seen) == 1:
            raise InputError(source, "not a whole number", row=3, column="votes")
        return workflow.RunSummary(folder, 4, 4, 0, 0, {"lv": 4}, 1, 0)

    monkeypatch.setattr(workflow, "_run_into", steps)
    params = load_params()
    with pytest.raises(InputError):
        workflow.run_pipeline(tmp_path / "atbildes.csv", out, params)
    assert snapshot(out) == previous

    summary = workflow.run_pipeline(tmp_path / "atbildes.csv", out, params)

    assert [folder.parent for folder in seen] == [tmp_path, tmp_path]
    assert summary.out_dir == out
    assert f"report:       {out / 'report.html'}" in summary.lines()
    assert outputs(out) == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rezultati"]


def test_out_that_is_a_file_stops_the_command_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("work started")

    monkeypatch.setattr(workflow, "ingest", no_work)
    monkeypatch.setattr(workflow, "load_taxonomy", no_work)
    monkeypatch.setattr(workflow, "load_embedding_model", no_work)
    source = tmp_path / "atbildes.csv"
    source.write_text(PROPOSALS, encoding="utf-8")
    file = tmp_path / "rezultati.csv"
    file.write_text("mine\n", encoding="utf-8")

    code = cli.main(["run", str(source), "--out", str(file)])

    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [
        f"balsis: error: {file}: --out is a file, not a folder (name a folder for the outputs)"
    ]
    assert file.read_text(encoding="utf-8") == "mine\n"


def test_out_holding_a_users_file_stops_the_command_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("work started")

    monkeypatch.setattr(workflow, "ingest", no_work)
    out = tmp_path / "rezultati"
    source = out / "atbildes.csv"  # the input itself in --out
    write_files(out, {"atbildes.csv": PROPOSALS})

    code = cli.main(["run", str(source), "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith(f"balsis: error: {source}: not written by balsis (")
    assert source.read_text(encoding="utf-8") == PROPOSALS
