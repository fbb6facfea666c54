"""dvc.yaml stays exact: every stage depends on the code it runs and on params that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from pipeline.params import Params

ROOT = Path(__file__).resolve().parent.parent
DVC = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))
STAGES = DVC["stages"]
PACKAGE_INITS = {"pipeline", "pipeline.stages"}  # no stage logic; imported by every stage
DATA_FOLDERS = ("data", "text", "templates")  # read by the modules of the subpackage they are in


def _module_path(module: str) -> Path:
    path = ROOT / (module.replace(".", "/") + ".py")
    return path if path.exists() else ROOT / module.replace(".", "/") / "__init__.py"


def _imports(module: str) -> set[str]:
    tree = ast.parse(_module_path(module).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
            found.add(node.module)
            for alias in node.names:  # "from pipeline import io" imports a module
                candidate = f"{node.module}.{alias.name}"
                path = ROOT / candidate.replace(".", "/")
                if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
                    found.add(candidate)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pipeline")}
    return found


def _code_used_by(module: str) -> set[str]:
    """Every pipeline module ``module`` runs, directly or through other modules."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(_imports(current))
            # importing pipeline.a.b runs pipeline/a/__init__.py first
            todo.extend(current.rsplit(".", n)[0] for n in range(1, current.count(".")))
    paths = {_module_path(m) for m in seen if m not in PACKAGE_INITS}
    return {str(p.relative_to(ROOT)) for p in paths} | _data_used_by(paths)


def _data_used_by(paths: set[Path]) -> set[str]:
    """The data folders (word lists, UI text, templates) these modules read.

    A module reads the folder ``NAME`` beside it when it builds that path (``parent / "NAME"`` or
    ``joinpath("NAME"``).
    """
    found = set()
    for path in paths:
        source = path.read_text(encoding="utf-8")
        for name in DATA_FOLDERS:
            folder = path.parent / name  # "parent.parent / 'data'" names no folder beside it
            if re.search(rf'(parent\s*/\s*|joinpath\()"{name}["/]', source) and folder.is_dir():
                found.add(str(folder.relative_to(ROOT)))
    return found


def _covered(path: str, deps: list[str]) -> bool:
    return any(path == d or path.startswith(d.rstrip("/") + "/") for d in deps)


@pytest.mark.parametrize("name", list(STAGES))
def test_stage_depends_on_every_module_it_runs(name: str) -> None:
    stage = STAGES[name]
    module = stage["cmd"].split()[2]
    assert module == f"pipeline.stages.{name}"
    missing = sorted(p for p in _code_used_by(module) if not _covered(p, stage["deps"]))
    assert missing == [], f"stage {name} runs {missing} but does not list it in deps"


@pytest.mark.parametrize("name", list(STAGES))
def test_stage_depends_on_no_module_it_does_not_run(name: str) -> None:
    """An extra code dependency reruns a stage (and all after it) for nothing."""
    stage = STAGES[name]
    used = _code_used_by(stage["cmd"].split()[2])
    code = [d for d in stage["deps"] if d.startswith("pipeline/")]
    extra = sorted(d for d in code if d not in used)
    assert extra == [], f"stage {name} lists {extra} in deps but never imports it"


@pytest.mark.parametrize("name", list(STAGES))
def test_stage_params_and_deps_exist(name: str) -> None:
    stage = STAGES[name]
    sections = {f.name for f in Params.__dataclass_fields__.values()}
    for entry in stage.get("params", []):
        section, _, key = str(entry).partition(".")
        assert section in sections, f"{name}: unknown params section {section}"
        if key:
            assert key in getattr(Params(), section).__dataclass_fields__
    for dep in stage["deps"]:
        produced = any(
            dep == out if isinstance(out, str) else dep in out
            for other in STAGES.values()
            for out in other.get("outs", [])
        )
        assert produced or (ROOT / dep).exists(), f"{name}: dependency {dep} does not exist"


def _params_read(source: str) -> set[str]:
    """The params a stage module reads: ``section`` or ``section.key``; ``*`` for all of them.

    The stage loads its params with ``load_params`` and hands sections (``params.reduce``) or
    single keys (``params.embed.model``) to the library, whose functions take sections, never the
    whole object (tests/test_architecture.py). Handing on ``params`` itself reads everything.
    """
    tree = ast.parse(source)
    holders = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", None) == "load_params"
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    read: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id in holders):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Assign) and node in parent.targets:
            continue
        if not isinstance(parent, ast.Attribute):
            read.add("*")
            continue
        grand = parents.get(parent)
        key = f".{grand.attr}" if isinstance(grand, ast.Attribute) else ""
        read.add(parent.attr + key)
    return read


def _declared(entry: str, declared: list[str]) -> bool:
    return any(entry == d or entry.startswith(d + ".") for d in declared)


@pytest.mark.parametrize("name", list(STAGES))
def test_stage_declares_every_param_its_code_reads(name: str) -> None:
    """Changing a params key reruns exactly the stages that read it (``dvc status`` shows it)."""
    source = (ROOT / "pipeline" / "stages" / f"{name}.py").read_text(encoding="utf-8")
    declared = [str(p) for p in STAGES[name].get("params", [])]
    read = _params_read(source)
    assert "*" not in read, f"stage {name} hands the whole Params on; pass its sections"
    undeclared = sorted(entry for entry in read if not _declared(entry, declared))
    assert undeclared == [], f"stage {name} reads {undeclared} but dvc.yaml does not declare it"


def test_params_reading_is_found_in_every_form() -> None:
    source = (
        "params = load_params(args.params)\n"
        "f(params.reduce, params.seed)\n"
        "g(model=params.embed.model)\n"
    )
    assert _params_read(source) == {"reduce", "seed", "embed.model"}
    assert _params_read("p = load_params(x)\nrun(p)\n") == {"*"}
    assert not _declared("embed.prompt_name", ["embed.model", "themes"])
    assert _declared("embed.model", ["embed"])


def test_every_stage_module_is_in_the_pipeline() -> None:
    modules = {p.stem for p in (ROOT / "pipeline" / "stages").glob("*.py")} - {"__init__"}
    assert modules == set(STAGES)
