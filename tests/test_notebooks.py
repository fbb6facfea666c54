"""The analysts' notebooks: committed clean, free of pipeline logic, and they run end to end.

Every ``notebooks/*.ipynb`` is picked up, so a new notebook is checked without editing this file.
Executing them is slow (the clustering sweep, the whole pipeline for the review notebook).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SAMPLE = ROOT / "data" / "raw" / "proposals.csv"
PROJECT_OVERRIDES = ROOT / "data" / "review" / "overrides.yaml"
CELL_TIMEOUT = 600

_NAME = re.compile(r"^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
_DEFINITION = re.compile(r"^[ \t]*(?:async[ \t]+def|def|class)[ \t]", re.MULTILINE)


def _code_cells(path: Path) -> list[nbformat.NotebookNode]:
    notebook = nbformat.read(path, as_version=4)
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _ids(path: Path) -> str:
    return path.stem


def test_the_analysts_notebooks_are_there() -> None:
    names = {path.name for path in NOTEBOOKS}
    assert {
        "01-explore-corpus.ipynb",
        "02-tune-clustering.ipynb",
        "03-review-themes-and-svid.ipynb",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert _NAME.match(path.name), f"{path.name}: name notebooks NN-topic.ipynb"
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"{path.name} cell {number}: clear the outputs before committing"
        assert cell.execution_count is None, f"{path.name} cell {number}: has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_starts_with_a_parameters_cell(path: Path) -> None:
    first = _code_cells(path)[0]
    assert "parameters" in first.metadata.get("tags", []), (
        f"{path.name}: the first code cell holds the paths and is tagged 'parameters'"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_defines_no_functions_or_classes(path: Path) -> None:
    for number, cell in enumerate(_code_cells(path)):
        found = _DEFINITION.search(cell.source)
        assert found is None, (
            f"{path.name} code cell {number} defines {found.group(0).strip()!r}: "
            "reusable logic belongs in pipeline/, notebooks import it"
        )


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory, e5_model_dir: Path) -> Path:
    """The whole pipeline on the bundled sample, as `balsis run --out` leaves it."""
    from pipeline.params import load_params
    from pipeline.workflow import run_pipeline

    out = tmp_path_factory.mktemp("sample-run")
    run_pipeline(
        SAMPLE,
        out,
        load_params(),
        cache_dir=tmp_path_factory.mktemp("embedding-cache"),
        models_dir=e5_model_dir.parent,
    )
    return out


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_runs_from_top_to_bottom(
    path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from nbclient import NotebookClient

    from pipeline.review.load import load_overrides

    source = path.read_text(encoding="utf-8")
    if "BALSIS_RUN_DIR" in source:
        monkeypatch.setenv("BALSIS_RUN_DIR", str(request.getfixturevalue("sample_run")))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # The notebooks' temporary files (e.g. the review's overrides) land here, not in /tmp.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    # The kernel then picks its inline backend, as in Jupyter, and charts become outputs.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    overrides_before = PROJECT_OVERRIDES.read_bytes() if PROJECT_OVERRIDES.exists() else None

    notebook = nbformat.read(path, as_version=4)
    # The kernel starts in the notebook's folder, as Jupyter starts it; the notebook finds the
    # repository root itself. A failing cell raises CellExecutionError with its traceback.
    NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()

    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    if "matplotlib" in source or "pipeline.publish.charts" in source:
        charts = [output for output in outputs if "image/png" in output.get("data", {})]
        assert charts, f"{path.name} drew no chart"
    overrides_after = PROJECT_OVERRIDES.read_bytes() if PROJECT_OVERRIDES.exists() else None
    assert overrides_after == overrides_before, "a notebook must not change the project's overrides"
    if "OVERRIDES_OUT" in source:
        written = sorted(tmp_path.glob("**/overrides.yaml"))
        assert len(written) == 1, f"{path.name} wrote {len(written)} overrides files"
        assert not load_overrides(written[0]).is_empty()
