"""Inputs too small to cluster: no UMAP, no HDBSCAN, each idea named on its own where it fits.

The sizes tested: 1, 3 and 15 distinct ideas (below ``2 * cluster.min_cluster_size`` = 16 with
a min_cluster_size of 8) and exactly 16, where clustering starts; with ``auto`` the smallest
theme of a corpus that small is 5 ideas, so clustering starts at 10.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_themes import (
    BUS_TEXTS,
    DOCTOR_TEXTS,
    DOG_TEXTS,
    ROAD_TEXTS,
    TAXONOMY,
    TOY_PARAMS,
    HashingEncoder,
    _embed,
    _ideas,
)

from pipeline.params import (
    ClusterParams,
    CrossLingualParams,
    GuidanceParams,
    OutlierParams,
    ReduceParams,
    load_params,
)
from pipeline.topics.cluster import cluster_corpus, unclustered
from pipeline.topics.reduction import reduce_corpus
from pipeline.topics.small import (
    min_ideas_to_cluster,
    small_input_counts,
    small_input_note,
    too_few_to_cluster,
)
from pipeline.topics.themes import name_themes

ROOT = Path(__file__).resolve().parent.parent
# 15 distinct texts: roads, buses and doctors fit the toy taxonomy, dogs fit none of it
POOL = [*ROAD_TEXTS, *BUS_TEXTS, *DOCTOR_TEXTS, *DOG_TEXTS[:2]]
PARAMS = dataclasses.replace(TOY_PARAMS, single_idea_min_confidence=0.4)
OTHERS = ["Bibliotēkā vajag jaunas grāmatas", "Pie ezera jāuzstāda soliņi"]  # the 16th on


def _texts(n: int) -> list[str]:
    return (POOL + OTHERS)[:n]


def test_clustering_needs_room_for_two_themes_of_the_smallest_size() -> None:
    assert min_ideas_to_cluster(8, 100) == 16
    assert min_ideas_to_cluster(ClusterParams().min_cluster_size, 12) == 10  # auto: floor 5
    ideas, _ = _ideas([_texts(15)])
    assert too_few_to_cluster(ideas, 8)
    ideas16, _ = _ideas([_texts(16)])
    assert not too_few_to_cluster(ideas16, 8)
    # duplicates and non-answers are not ideas to cluster
    with_extra, _ = _ideas([[*_texts(15), ROAD_TEXTS[0], "nezinu"]])
    assert len(with_extra) == 17 and too_few_to_cluster(with_extra, 8)


@pytest.mark.parametrize("n", [1, 3, 15])
def test_below_the_threshold_nothing_is_reduced_or_clustered(n: int) -> None:
    ideas, _ = _ideas([_texts(n)])
    rng = np.random.default_rng(0)
    embeddings = rng.normal(size=(n, 16)).astype(np.float32)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    small_umap = ReduceParams(n_neighbors=2, n_components=2)  # UMAP alone could run on 4
    reduction = reduce_corpus(
        ideas,
        embeddings,
        None,
        crosslingual=CrossLingualParams(),
        guidance=GuidanceParams(),
        reduce=small_umap,
        seed=0,
        min_cluster_size=8,
    )
    assert reduction.reducer is None and reduction.reduced.shape == (n, 0)
    reduced = rng.normal(size=(n, 2))
    clusterer, table = cluster_corpus(
        ideas,
        embeddings,
        reduced,
        cluster=ClusterParams(min_cluster_size=8),
        outliers=OutlierParams(),
    )
    assert clusterer is None
    assert not table["clustered"].any() and (table["cluster"] == -1).all()


def test_at_the_threshold_the_ideas_are_clustered() -> None:
    ideas, _ = _ideas([_texts(16)])
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(2, 5)) * 10
    reduced = np.vstack([centres[k % 2] + rng.normal(size=5) * 0.1 for k in range(16)])
    clusterer, table = cluster_corpus(
        ideas, reduced, reduced, cluster=ClusterParams(min_cluster_size=8), outliers=OutlierParams()
    )
    assert clusterer is not None
    assert table["clustered"].all()
    assert set(table["cluster"]) == {0, 1}


@pytest.mark.parametrize("n", [1, 3, 15])
def test_each_idea_is_named_on_its_own_only_where_it_fits(n: int) -> None:
    model = HashingEncoder()
    ideas, _ = _ideas([_texts(n)])
    themes, idea_themes = name_themes(
        ideas, _embed(ideas, model), unclustered(ideas), TAXONOMY, model, PARAMS, prompt_name=None
    )
    named = idea_themes["theme"] != ""
    # a theme only from the taxonomy, with the idea's own match as its confidence
    assert set(idea_themes.loc[named, "theme"]) <= {t.id for t in TAXONOMY}
    assert (idea_themes.loc[named, "theme_confidence"] >= 0.4).all()
    assert (idea_themes.loc[~named, "theme_confidence"] == 0.0).all()
    assert (idea_themes["outlier"] == ~named).all()
    assert not idea_themes["reassigned"].any()
    assert themes["n_ideas"].sum() == named.sum()
    assert not themes["is_new"].any()
    by_text = dict(zip(ideas["text"], idea_themes["theme"], strict=True))
    assert by_text[ROAD_TEXTS[0]] == "roads"
    if n == 15:
        assert by_text[DOG_TEXTS[0]] == "" and by_text[DOG_TEXTS[1]] == ""
        assert by_text[BUS_TEXTS[0]] == "public_transport"
        assert 0 < named.sum() < n


def test_a_stricter_threshold_names_fewer_ideas() -> None:
    model = HashingEncoder()
    ideas, _ = _ideas([_texts(15)])
    embeddings = _embed(ideas, model)

    def named_at(threshold: float) -> pd.Series:
        params = dataclasses.replace(PARAMS, single_idea_min_confidence=threshold)
        _, idea_themes = name_themes(
            ideas, embeddings, unclustered(ideas), TAXONOMY, model, params, prompt_name=None
        )
        return idea_themes.loc[idea_themes["theme"] != "", "theme_confidence"]

    loose = named_at(0.4)
    middle = float(loose.median())
    stricter = named_at(middle)
    assert 0 < len(stricter) < len(loose)
    assert (stricter >= middle).all()
    assert named_at(1.01).empty


def test_the_note_says_what_was_and_was_not_done() -> None:
    ideas, _ = _ideas([[*_texts(12), "nezinu"]])
    themes = ["roads"] * 5 + [""] * 8
    assert small_input_note(ideas, themes, 8) == (
        "12 ideas: too few to find themes (at least 16 needed); "
        "5 given a taxonomy theme, 7 left without"
    )
    assert small_input_counts(ideas, themes, 8)["n_left"] == 7
    assert small_input_note(ideas, themes, 6) == ""  # 12 distinct ideas: enough for size 6
    one, _ = _ideas([["Ceļš uz skolu ir bedrains"]])
    assert small_input_note(one, pd.Series([""]), 8).startswith("1 idea: too few")


@pytest.mark.slow
def test_a_three_idea_run_says_what_was_done(tmp_path: Path) -> None:
    """``balsis run`` on three proposals: no themes found, a taxonomy theme only where one
    clearly fits, and the summary and the report say so (no "3 themes" next to "every idea
    is left without a theme")."""
    table = tmp_path / "three.csv"
    table.write_text(
        "id,text\n1,Ceļš uz skolu ir pilns ar bedrēm\n2,Vajag vakara autobusu uz pilsētu\n"
        "3,Mans kaķis vakar noķēra peli\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", str(table), "--out", str(out), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ideas = pd.read_csv(out / "ideas.csv", keep_default_na=False)
    named = ideas["theme"] != ""
    n_named = int(named.sum())
    assert ideas.loc[named, "theme_confidence"].astype(float).min() >= 0.4
    assert (ideas.loc[~named, "outlier"].astype(str) == "True").all()
    needed = min_ideas_to_cluster(load_params(ROOT / "params.yaml").cluster.min_cluster_size, 3)
    note = (
        f"3 ideas: too few to find themes (at least {needed} needed); "
        f"{n_named} given a taxonomy theme, {3 - n_named} left without"
    )
    assert note in result.stdout
    n_themes = ideas.loc[named, "theme"].nunique()
    assert f"{n_themes} themes; {3 - n_named} ideas fit no theme" in result.stdout
    assert "every idea is left without a theme" not in result.stderr
    assert "Ceļš uz skolu" in ideas.loc[named, "text"].iloc[0]
    assert "kaķis" not in " ".join(ideas.loc[named, "text"])
    report = " ".join((out / "report.html").read_text(encoding="utf-8").split())
    assert f"3 idejas – par maz, lai atrastu tēmas (vajag vismaz {needed})" in report
