"""A stage's outputs appear together: after an error or a kill, all previous or all new."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from pipeline.io.artefacts import write_parquet
from pipeline.io.files import atomic_outputs, recover_outputs
from pipeline.stages import priority as priority_stage

ROOT = Path(__file__).resolve().parent.parent
STAGES = sorted(p for p in (ROOT / "pipeline" / "stages").glob("*.py") if p.stem != "__init__")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def hidden(folder: Path) -> list[str]:
    """Names starting with a dot anywhere under ``folder``: temporaries, journals, set-asides."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(".*"))


def run_killed(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python that dies (``os._exit(9)``, no cleanup) when it says."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 9, result.stderr  # killed where intended, not failed elsewhere
    return result


# Kills the process right after the first rename whose target lies in OUT (a file landed there).
KILL_AFTER_FIRST_WRITE = """
import os
real_replace = os.replace

def replace(src, dst, *args, **kwargs):
    real_replace(src, dst, *args, **kwargs)
    if os.path.abspath(dst).startswith(OUT):
        os._exit(9)

os.replace = replace
"""

# Kills the process after the journal is written and then STEPS more renames.
KILL_DURING_COMMIT = """
import os
real_replace = os.replace
renames = []  # the journal's, then the commit's

def replace(src, dst, *args, **kwargs):
    real_replace(src, dst, *args, **kwargs)
    if renames or str(dst).endswith(".balsis-commit"):
        renames.append(dst)
        if len(renames) > STEPS:
            os._exit(9)

os.replace = replace
"""


def write_previous(out: Path) -> dict[str, bytes]:
    (out / "models").mkdir(parents=True)
    (out / "a.txt").write_text("previous a\n", encoding="utf-8")
    (out / "b.json").write_text('{"previous": true}\n', encoding="utf-8")
    (out / "models" / "old.bin").write_bytes(b"previous model")
    return snapshot(out)


def write_new(a: Path, b: Path, models: Path) -> None:
    a.write_text("new a\n", encoding="utf-8")
    b.write_text('{"previous": false}\n', encoding="utf-8")
    models.mkdir()
    (models / "new.bin").write_bytes(b"new model")


NEW = {"a.txt": b"new a\n", "b.json": b'{"previous": false}\n', "models/new.bin": b"new model"}


def test_outputs_are_replaced_together_and_leave_nothing_behind(tmp_path: Path) -> None:
    write_previous(tmp_path)
    targets = (tmp_path / "a.txt", tmp_path / "b.json", tmp_path / "models")

    with atomic_outputs(*targets) as (a, b, models):
        assert [p.parent for p in (a, b, models)] == [tmp_path] * 3  # beside: same file system
        assert a.suffix == ".txt" and b.suffix == ".json"  # writers may pick a format by it
        write_new(a, b, models)
        assert snapshot(tmp_path)["a.txt"] == b"previous a\n"  # nothing in place before the end

    assert snapshot(tmp_path) == NEW  # the old model file went with its directory
    assert hidden(tmp_path) == []


def test_an_error_while_writing_leaves_every_previous_output(tmp_path: Path) -> None:
    previous = write_previous(tmp_path)

    targets = (tmp_path / "a.txt", tmp_path / "b.json")
    with pytest.raises(RuntimeError), atomic_outputs(*targets) as (a, _):
        a.write_text("new a\n", encoding="utf-8")
        raise RuntimeError("disk full")

    assert snapshot(tmp_path) == previous
    assert hidden(tmp_path) == []


def test_an_output_the_block_did_not_write_is_an_error_and_nothing_is_replaced(
    tmp_path: Path,
) -> None:
    previous = write_previous(tmp_path)

    targets = (tmp_path / "a.txt", tmp_path / "b.json")
    with pytest.raises(FileNotFoundError, match="b.json"), atomic_outputs(*targets) as (a, _):
        a.write_text("new a\n", encoding="utf-8")

    assert snapshot(tmp_path) == previous


def test_a_kill_while_writing_leaves_every_previous_output_until_the_next_start(
    tmp_path: Path,
) -> None:
    previous = write_previous(tmp_path)
    run_killed(
        f"""
        from pathlib import Path
        from pipeline.io.files import atomic_outputs
        out = Path({str(tmp_path)!r})
        with atomic_outputs(out / "a.txt", out / "b.json", out / "models") as (a, b, models):
            a.write_text("new a\\n", encoding="utf-8")
            import os; os._exit(9)
        """
    )

    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(".")} == previous
    assert [name.split("-tmp-")[0] for name in hidden(tmp_path)] == [".a.balsis"]  # the kill's

    with atomic_outputs(tmp_path / "a.txt", tmp_path / "b.json", tmp_path / "models") as paths:
        write_new(*paths)

    assert snapshot(tmp_path) == NEW
    assert hidden(tmp_path) == []


@pytest.mark.parametrize("steps", [0, 1, 2, 3, 4])
def test_a_kill_while_putting_outputs_in_place_is_finished_at_the_next_start(
    tmp_path: Path, steps: int
) -> None:
    """Renames: a.txt, b.json, the old models/ aside, the new models/ in place (steps 1-4)."""
    previous = write_previous(tmp_path)
    setup = KILL_DURING_COMMIT.replace("STEPS", str(steps))
    run_killed(
        setup
        + f"""
from pathlib import Path
from pipeline.io.files import atomic_outputs
out = Path({str(tmp_path)!r})
with atomic_outputs(out / "a.txt", out / "b.json", out / "models") as paths:
    a, b, models = paths
    a.write_text("new a\\n", encoding="utf-8")
    b.write_text('{{"previous": false}}\\n', encoding="utf-8")
    models.mkdir()
    (models / "new.bin").write_bytes(b"new model")
"""
    )
    visible = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(".")}
    assert visible != NEW or steps == 4  # the kill came before the commit was done
    assert visible != previous or steps == 0

    recover_outputs([tmp_path / "a.txt", tmp_path / "b.json", tmp_path / "models"])

    assert snapshot(tmp_path) == NEW
    assert hidden(tmp_path) == []


def test_stale_tmp_files_of_killed_writers_are_removed_at_the_next_start(tmp_path: Path) -> None:
    stale = [
        tmp_path / ".idea_themes.parquet.k3j4h5g6.tmp",  # left by atomic_path
        tmp_path / ".idea_themes.balsis-tmp-4242.parquet",
        tmp_path / ".themes.parquet.balsis-old-4242",
        tmp_path / "..themes.balsis-tmp-4242.parquet.k3j4h5g6.tmp",  # killed inside the writer
        tmp_path / "..themes.parquet.balsis-commit.k3j4h5g6.tmp",  # killed writing the journal
    ]
    for path in stale:
        path.write_bytes(b"half")
    other = tmp_path / ".other.parquet.k3j4h5g6.tmp"  # another output's: not ours to judge
    other.write_bytes(b"half")
    targets = (tmp_path / "themes.parquet", tmp_path / "idea_themes.parquet")

    with atomic_outputs(*targets) as paths:
        for path in paths:
            write_parquet(pd.DataFrame({"x": [1]}), path)

    assert hidden(tmp_path) == [other.name]


# ---------------------------------------------------------------------------------------------
# The stages


def _reviewed(themes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "idea_id": ["a-1", "b-1", "c-1"],
            "response_id": ["a", "b", "c"],
            "territory": ["Ezerkalne", "Rudzupe", "Ezerkalne"],
            "group": ["seniori", "NVO", "NVO"],
            "votes": pd.array([5, 3, 1], dtype="Int64"),
            "theme": themes,
            "theme_confidence": [0.9, 0.8, 0.7],
            "swot": ["W", "W", "S"],
            "swot_confidence": [0.9, 0.8, 0.9],
            "urgency": [1, 0, 0],
            "text_clean": ["Bedres", "Ceļš slikts", "Koris labs"],
            "duplicate_of": pd.array([None] * 3, dtype="string"),
            "hidden": [False, False, False],
        }
    )


def _priority_args(tmp: Path, out: Path) -> list[str]:
    return [
        "--ideas", str(tmp / "reviewed.parquet"),
        "--themes", str(tmp / "themes.parquet"),
        "--out", str(out / "p.parquet"),
        "--by-territory-out", str(out / "t.parquet"),
        "--by-group-out", str(out / "g.parquet"),
        "--svid-out", str(out / "svid.parquet"),
        "--theme-swot-out", str(out / "ts.parquet"),
        "--plots-dir", str(out / "plots"),
    ]  # fmt: skip


def test_a_stage_killed_while_writing_keeps_all_its_previous_outputs(tmp_path: Path) -> None:
    names = pd.DataFrame({"theme": ["roads", "culture"], "name_lv": ["Ceļi", "Kultūra"]})
    write_parquet(names, tmp_path / "themes.parquet")
    write_parquet(_reviewed(["roads", "roads", "culture"]), tmp_path / "reviewed.parquet")
    out = tmp_path / "out"
    args = _priority_args(tmp_path, out)
    assert priority_stage.main(args) == 0
    previous = snapshot(out)

    write_parquet(_reviewed(["culture", "culture", "roads"]), tmp_path / "reviewed.parquet")
    run_killed(
        KILL_AFTER_FIRST_WRITE.replace("OUT", repr(str(out)))
        + f"from pipeline.stages import priority\npriority.main({args!r})\n"
    )

    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".")} == previous
    assert not list(out.rglob("*.tmp"))

    assert priority_stage.main(args) == 0  # the rerun
    ranks = pd.read_parquet(out / "p.parquet").set_index("theme")["priority_rank"].to_dict()
    assert ranks == {"culture": 1, "roads": 2}
    assert snapshot(out) != previous
    assert hidden(out) == []


def _written_outside_atomic_outputs(path: Path) -> list[str]:
    """Calls in ``path`` that write (write_*, save_*, build_model, report) outside the helper."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and any(
            isinstance(item.context_expr, ast.Call)
            and getattr(item.context_expr.func, "id", "") == "atomic_outputs"
            for item in node.items
        ):
            guarded |= {id(inner) for inner in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            writes = name.startswith(("write_", "save_")) or name in {"build_model", "report"}
            if writes and id(node) not in guarded:
                found.append(f"{path.name}:{node.lineno} {name}")
    return found


@pytest.mark.parametrize("stage", STAGES, ids=[p.stem for p in STAGES])
def test_every_stage_writes_its_outputs_through_atomic_outputs(stage: Path) -> None:
    assert _written_outside_atomic_outputs(stage) == []
