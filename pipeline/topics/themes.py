"""Themes: keywords, representative ideas and taxonomy names for clusters of ideas.

The step takes the ideas table (see :mod:`pipeline.normalise`), its sentence embeddings and a
cluster label per idea (-1 = outlier) and gives:

* keywords per theme and sub-theme (:mod:`pipeline.topics.keywords`);
* representative ideas: the most central distinct ideas of a theme
  (:mod:`pipeline.topics.representatives`);
* a name from the theme taxonomy (``data/reference/themes.yaml``) or, when nothing in it fits,
  a keyword name marked new; clusters named with the same theme become its sub-themes;
* a theme per idea: its cluster's name unless the idea's own evidence clearly says otherwise
  (:mod:`pipeline.topics.naming`); a member of a new theme leaves it only for a taxonomy theme
  some cluster took and that is nearer (:func:`~pipeline.topics.membership.keep_new_theme_members`).

Decisions:
    * Duplicates: a text counts once per cluster. An idea whose original (or an earlier copy)
      is in the same cluster weighs 0 for keywords, centroids and seed-word overlap, and is
      never a representative; it still counts in ``n_ideas`` and votes.
    * Non-answers are left out of every cluster, whatever label the caller gave them.
    * A theme can hold ideas from other clusters, or only such ideas (a taxonomy theme no
      cluster was named with); an outlier whose own score reaches ``min_confidence`` is named
      as well.

Models: every function that embeds takes ``model`` (see
:func:`pipeline.topics.encoder.as_encoder`), asked for the prompt ``prompt_name`` (the
``embed.prompt_name`` the ideas were embedded with).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.params import ThemesParams
from pipeline.summary.counting import votes_per_response
from pipeline.topics.crosslingual import language_centred
from pipeline.topics.encoder import DEFAULT_PROMPT, Encoder, as_encoder
from pipeline.topics.keywords import fit_keywords
from pipeline.topics.membership import (
    cluster_themes,
    idea_themes,
    keep_new_theme_members,
    theme_groups,
)
from pipeline.topics.naming import ThemeNamer, idea_places
from pipeline.topics.representatives import representative_ideas
from pipeline.topics.subthemes import subtheme_clusters, subtheme_names
from pipeline.topics.table import labels_array, non_answer_mask, require_columns, text_weights
from pipeline.topics.taxonomy import Theme
from pipeline.topics.terms import new_theme_name

logger = logging.getLogger(__name__)

THEME_COLUMNS = (
    "theme",
    "name_lv",
    "name_en",
    "keywords",
    "n_ideas",
    "n_responses",
    "votes",
    "confidence",
    "is_new",
    "subthemes",
    "subtheme_labels",
    "representatives",
    "clusters",
)
ASSIGNMENT_COLUMNS = (
    "idea_id",
    "cluster",
    "theme",
    "subtheme",
    "subtheme_name",
    "theme_confidence",
)


@dataclass
class _Naming:
    """What naming found, per cluster and per idea."""

    namer: ThemeNamer
    centred: np.ndarray  # language-centred embeddings, where ideas meet the themes
    clusters: pd.DataFrame  # ThemeNamer.name_clusters, indexed by cluster
    keywords: dict[int, list[str]]  # cluster -> keywords
    themes: np.ndarray  # taxonomy theme id per idea ("" for none)
    confidence: np.ndarray  # per idea, the score of its theme
    fits: np.ndarray  # per idea and taxonomy theme, whether the theme fits it on its own


def build_themes(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    taxonomy: Sequence[Theme] | str | Path,
    model: Any,
    params: ThemesParams | None = None,
    *,
    membership: Sequence[float] | np.ndarray | None = None,
    namer: ThemeNamer | None = None,
    prompt_name: str | None = DEFAULT_PROMPT,
    alone: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keywords, representatives and names for clustered ideas, merged into themes.

    Every idea gets its theme from :meth:`ThemeNamer.assign`. Clusters named with the same
    taxonomy theme become its sub-themes ("roads/1", "roads/2", largest first), each with a
    keyword name that tells it from its siblings; an idea named apart from its cluster joins
    the sub-theme of its theme with the nearest centroid. Clusters no theme fits become new
    themes "new-1", "new-2", ... (largest first by the ideas they keep) with keyword names,
    when they keep at least ``params.min_new_theme_ideas`` ideas and at least
    ``params.min_new_theme_share`` of their members. The members of a smaller one, or of a
    mix whose members mostly went to other themes, and outliers no theme fits on its own,
    join the nearest theme when they are as close to its centroid as
    ``params.join_quantile`` of its members (else they stay without a theme). A theme's
    ``clusters`` are the clusters named with it (empty when only ideas named apart belong
    to it).

    Args:
        ideas: Ideas table (see :mod:`pipeline.normalise`); needs ``idea_id``,
            ``response_id``, ``content_lemmas``; uses ``lemmas``, ``text_normalised``,
            ``language``, ``non_answer``, ``duplicate_of``, ``text_folded``, ``votes``.
        embeddings: Unit rows aligned with ``ideas`` (the ones the clusters came from).
        labels: Cluster label per idea; -1 = outlier.
        taxonomy: Themes or a taxonomy YAML path.
        model: Sentence model or encoder for keyword and theme embeddings (see
            :func:`~pipeline.topics.encoder.as_encoder`); must be the model that produced
            ``embeddings``.
        params: The ``themes`` parameters (defaults if None).
        membership: Optional 0..1 confidence of each idea in its cluster (e.g. HDBSCAN's
            ``probabilities_``); ``theme_confidence`` is it times the idea's naming confidence
            (a theme's ``confidence`` is the mean naming confidence of its ideas).
        namer: A fitted :class:`ThemeNamer` to reuse; by default one is fitted here.
        prompt_name: Prompt of a sentence-transformers ``model``: the ``embed.prompt_name``
            ``embeddings`` were made with (a given ``namer`` brings its own).
        alone: The ideas were too few to cluster (:mod:`pipeline.topics.small`): each is named
            on its own, with a taxonomy theme only when its match reaches
            ``params.single_idea_min_confidence``, on embeddings not centred by language (a
            few ideas give no language mean); no idea joins another's theme.

    Returns:
        ``(themes_table, idea_assignments)``: one row per theme with the columns
        :data:`THEME_COLUMNS`, largest first; one row per idea with :data:`ASSIGNMENT_COLUMNS`
        in the order of ``ideas``. Non-answers, and outliers that fit no theme on their own,
        get theme "" and confidence 0.
    """
    params = params or ThemesParams()
    require_columns(ideas, ("idea_id", "response_id", "content_lemmas"))
    ideas = ideas.reset_index(drop=True)
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if len(embeddings) != len(ideas):
        raise ValueError(f"{len(embeddings)} embedding rows for {len(ideas)} ideas")
    given_labels = labels_array(labels, len(ideas))
    non_answer = non_answer_mask(ideas)
    work = np.where(non_answer, -1, given_labels)
    encoder = as_encoder(model, namer.prompt_name if namer is not None else prompt_name)

    naming = _name_ideas(
        ideas, embeddings, work, non_answer, taxonomy, encoder, params, namer, prompt_name, alone
    )
    theme_of, new_clusters = cluster_themes(naming.clusters, work, naming.themes, params)
    if alone:
        unsure = naming.confidence < params.single_idea_min_confidence
        idea_theme_id = np.where(unsure, "", naming.themes).astype(object)
        confidence = np.where(unsure, 0.0, naming.confidence)
    else:
        named, named_confidence = keep_new_theme_members(
            naming.centred,
            work,
            naming.themes,
            naming.confidence,
            theme_of,
            naming.clusters["confidence"].to_dict(),
        )
        idea_theme_id, confidence = idea_themes(
            naming.centred,
            work,
            non_answer,
            named,
            named_confidence,
            theme_of,
            params,
            fits=dict(zip(naming.namer.theme_ids_, naming.fits.T, strict=True)),
        )
    clusters_of, theme_list = theme_groups(work, theme_of, idea_theme_id)
    theme_index = {theme: i for i, theme in enumerate(theme_list)}
    idea_theme = np.array([theme_index.get(t, -1) for t in idea_theme_id], dtype=np.int64)

    theme_keywords = fit_keywords(ideas, idea_theme, params, encoder).keywords_
    representatives = representative_ideas(ideas, embeddings, idea_theme, params.n_representatives)
    subtheme_of = subtheme_names(ideas, work, clusters_of, naming.keywords, params, encoder)
    idea_subtheme = subtheme_clusters(naming.centred, work, idea_theme_id, theme_of, clusters_of)

    themes_table = _themes_table(
        ideas,
        idea_theme,
        theme_list,
        clusters_of,
        theme_keywords,
        representatives,
        subtheme_of,
        confidence,
        naming,
        params,
    )
    assignments = _assignments(
        ideas,
        given_labels,
        idea_theme_id,
        idea_theme,
        idea_subtheme,
        subtheme_of,
        confidence,
        membership,
    )
    moved = (work >= 0) & (idea_theme_id != np.array([theme_of.get(c, "") for c in work.tolist()]))
    logger.info(
        "themes: %d clusters -> %d themes (%d new, %d with sub-themes); "
        "%d ideas named apart from their cluster",
        len(naming.clusters),
        len(themes_table),
        len(new_clusters),
        sum(len(c) > 1 for c in clusters_of.values()),
        int(moved.sum()),
    )
    return themes_table, assignments


def _name_ideas(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    work: np.ndarray,
    non_answer: np.ndarray,
    taxonomy: Sequence[Theme] | str | Path,
    encoder: Encoder,
    params: ThemesParams,
    namer: ThemeNamer | None,
    prompt_name: str | None,
    alone: bool = False,
) -> _Naming:
    """Cluster keywords, then the name of every cluster and the taxonomy theme of every idea."""
    cluster_keywords = fit_keywords(ideas, work, params, encoder)
    if namer is None:
        namer = ThemeNamer(
            keyword_weight=params.keyword_weight,
            place_weight=params.place_weight,
            min_confidence=params.min_confidence,
            min_fit_share=params.min_fit_share,
            min_similarity=params.min_similarity,
            cluster_weight=params.cluster_weight,
            prompt_name=prompt_name,
        ).fit(taxonomy, encoder)
    centred = embeddings if alone else language_centred(embeddings, ideas)
    scores = namer.idea_scores(centred, ideas["content_lemmas"].tolist(), idea_places(ideas))
    scores[non_answer] = 0.0  # never named
    languages = ideas["language"].tolist() if "language" in ideas.columns else ["lv"] * len(ideas)
    fits = namer.idea_fits(scores, embeddings, languages)
    fits[non_answer] = False
    names = namer.name_clusters(
        ideas,
        centred,
        work,
        cluster_keywords.keywords_,
        params.n_name_keywords,
        idea_scores=scores,
        idea_fits=fits,
    )
    info = names.set_index("cluster")
    cluster_votes = namer.cluster_votes(scores, work, text_weights(ideas, work))
    named, confidence = namer.assign(
        scores, work, {int(c): str(t) for c, t in info["theme"].items()}, cluster_votes, fits
    )
    return _Naming(namer, centred, info, cluster_keywords.keywords_, named, confidence, fits)


def _themes_table(
    ideas: pd.DataFrame,
    idea_theme: np.ndarray,
    theme_list: Sequence[str],
    clusters_of: Mapping[str, list[int]],
    theme_keywords: Mapping[int, Sequence[str]],
    representatives: Mapping[int, list[str]],
    subtheme_of: Mapping[int, tuple[str, str]],
    confidence: np.ndarray,
    naming: _Naming,
    params: ThemesParams,
) -> pd.DataFrame:
    """The themes table (:data:`THEME_COLUMNS`), largest first.

    Args:
        ideas: The ideas table (``response_id``; ``votes`` when present).
        idea_theme: Index into ``theme_list`` of every idea's theme (-1: none).
        theme_list: Theme ids.
        clusters_of: Theme -> the clusters named with it, largest first.
        theme_keywords: Theme index -> keywords.
        representatives: Theme index -> representative idea ids.
        subtheme_of: Cluster -> (sub-theme label, name).
        confidence: Naming confidence of every idea.
        naming: What naming found.
        params: The ``themes`` parameters.
    """
    by_id = {theme.id: theme for theme in naming.namer.themes_}
    rows = []
    for index, theme in enumerate(theme_list):
        inside = idea_theme == index
        clusters = clusters_of.get(theme, [])
        keywords = list(theme_keywords.get(index, []))
        if theme in by_id:
            name_lv, name_en = by_id[theme].name_lv, by_id[theme].name_en
        else:
            # a new theme is named by the ideas it keeps (members named with a taxonomy theme
            # have left it), falling back to its cluster's name
            own = new_theme_name(keywords, params.n_name_keywords)
            name_lv = name_en = own or naming.clusters.loc[clusters[0], "name_lv"]
        per_response = votes_per_response(ideas[inside])
        rows.append(
            {
                "theme": theme,
                "name_lv": name_lv,
                "name_en": name_en,
                "keywords": keywords,
                "n_ideas": int(inside.sum()),
                "n_responses": int(len(per_response)),
                "votes": float(per_response.sum()),
                "confidence": float(confidence[inside].mean()),
                "is_new": theme not in by_id,
                "subthemes": [subtheme_of[c][1] for c in clusters if c in subtheme_of],
                "subtheme_labels": [subtheme_of[c][0] for c in clusters if c in subtheme_of],
                "representatives": representatives.get(index, []),
                "clusters": clusters,
            }
        )
    table = pd.DataFrame(rows, columns=list(THEME_COLUMNS))
    return table.sort_values(
        ["n_ideas", "theme"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def _assignments(
    ideas: pd.DataFrame,
    given_labels: np.ndarray,
    idea_theme_id: np.ndarray,
    idea_theme: np.ndarray,
    idea_subtheme: np.ndarray,
    subtheme_of: Mapping[int, tuple[str, str]],
    confidence: np.ndarray,
    membership: Sequence[float] | np.ndarray | None,
) -> pd.DataFrame:
    """The per-idea table (:data:`ASSIGNMENT_COLUMNS`) in the order of ``ideas``."""
    if membership is None:
        member_confidence = np.ones(len(ideas))
    else:
        member_confidence = np.clip(np.asarray(membership, dtype=float), 0.0, 1.0)
        if member_confidence.shape != (len(ideas),):
            raise ValueError(f"expected {len(ideas)} membership values")
    return pd.DataFrame(
        {
            "idea_id": ideas["idea_id"].to_numpy(),
            "cluster": given_labels,
            "theme": [str(t) for t in idea_theme_id],
            "subtheme": [subtheme_of.get(c, ("", ""))[0] for c in idea_subtheme.tolist()],
            "subtheme_name": [subtheme_of.get(c, ("", ""))[1] for c in idea_subtheme.tolist()],
            "theme_confidence": np.where(idea_theme >= 0, confidence * member_confidence, 0.0),
        },
        columns=list(ASSIGNMENT_COLUMNS),
    )


def name_themes(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    clusters: pd.DataFrame,
    taxonomy: Sequence[Theme],
    model: Any,
    params: ThemesParams,
    *,
    prompt_name: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keywords, representatives and taxonomy names for the clusters.

    Args:
        ideas: The ideas table (see :func:`build_themes`).
        embeddings: Rows aligned with ``ideas``, made with ``model``.
        clusters: The cluster step's table (``idea_id``, ``cluster``, ``confidence``,
            ``outlier``, ``reassigned``).
        taxonomy: The themes to name with.
        model: The sentence model of ``embeddings`` (see
            :func:`~pipeline.topics.encoder.as_encoder`).
        params: The ``themes`` section.
        prompt_name: The model's prompt the embeddings were made with (``embed.prompt_name``).

    Returns:
        ``(themes, idea_themes)``: one row per theme, one row per idea (see
        :func:`build_themes`), the latter with ``outlier`` (an answer that fits no theme:
        an HDBSCAN outlier, or a member of a new cluster too small to be a theme, that
        no theme fits and that is farther from every theme than its members) and
        ``reassigned`` (an HDBSCAN outlier that got a theme: by reassignment, by naming or by
        joining the nearest theme). When the cluster table says nothing was ``clustered`` (too
        few ideas, :mod:`pipeline.topics.small`), each idea is named on its own.
    """
    aligned = clusters.set_index("idea_id").loc[ideas["idea_id"]]
    alone = "clustered" in aligned.columns and not aligned["clustered"].astype(bool).any()
    themes, idea_themes = build_themes(
        ideas,
        embeddings,
        aligned["cluster"].to_numpy(),
        taxonomy,
        model,
        params,
        membership=None if alone else aligned["confidence"].to_numpy(),
        prompt_name=prompt_name,
        alone=alone,
    )
    named = idea_themes["theme"].astype(str).ne("").to_numpy()
    outlier = aligned["outlier"].to_numpy(dtype=bool)
    answer = ~ideas["non_answer"].to_numpy(dtype=bool)
    # an answer without a theme is an outlier, whether HDBSCAN left it out or its new cluster
    # kept too few ideas to be a theme
    idea_themes["outlier"] = answer & ~named
    idea_themes["reassigned"] = aligned["reassigned"].to_numpy(dtype=bool) | (
        outlier & named & ~alone
    )
    if alone:
        logger.warning(
            "too few ideas to find themes: each named on its own; %d given a taxonomy theme "
            "(match >= %.2f), %d left without",
            int((answer & named).sum()),
            params.single_idea_min_confidence,
            int((answer & ~named).sum()),
        )
    return themes, idea_themes
