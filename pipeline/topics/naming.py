"""Naming: taxonomy themes for clusters and for the ideas in them, or "new".

Naming is relative, since E5 cosines are compressed into 0.80-0.95: an idea's similarities to
the themes are standardised across the themes (z-scores), turned into shares with a softmax
and mixed with whether it uses one of a theme's seed words
(:func:`pipeline.topics.guidance.mentions`). Ideas are compared in a language-centred space
(:func:`pipeline.topics.crosslingual.language_centred`), so a Russian idea meets the themes as
a Latvian one does.

A name is given only where it fits. An idea fits a theme on its own when its score for it
reaches ``min_confidence`` and its embedding is ``min_similarity`` close to the theme's
(:mod:`pipeline.topics.theme_fit`: the score is relative, the similarity absolute). A
cluster is named by the vote of its members (the mean of their scores; the best is its
confidence), but only when at least ``min_fit_share`` of its members fit that theme on their
own: a large mixed cluster is not named after a minority of members
that happen to fit. Otherwise it keeps a keyword name and is new. Clusters group ideas by
phrasing and place as well as by theme, so an idea is then named on its own too: its
cluster's vote and its own score are mixed (``ThemeNamer.cluster_weight``), and it takes the
best theme of the mix; a member of a new cluster, or an outlier, is named only when it fits
a theme on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.places import place_words
from pipeline.topics.encoder import DEFAULT_PROMPT, as_encoder
from pipeline.topics.guidance import mentions, seed_lemma_sets
from pipeline.topics.table import (
    cell_words,
    labels_array,
    non_answer_mask,
    require_columns,
    text_weights,
)
from pipeline.topics.taxonomy import Theme, load_taxonomy
from pipeline.topics.terms import new_theme_name
from pipeline.topics.theme_fit import theme_fits, theme_similarity
from pipeline.topics.vectors import unit_rows

# How sharply the standardised theme similarities are turned into shares. At 2.0 a theme that
# stands 1.5 standard deviations above the next one gets most of the share, and a flat profile
# (a cluster no theme describes) spreads it out (measured on the bundled sample).
_SHARPNESS = 2.0


class ThemeNamer:
    """Names clusters, and the ideas in them, with taxonomy themes, or marks them new.

    Every idea gets a score in 0..1 for every theme that mixes two relative signals: the
    softmax of its embedding's standardised similarity to the theme embeddings (description
    plus seed words, standardised across themes per idea), and whether its content lemmas
    contain one of the theme's seed words (lemmatised, diacritics folded). A cluster's score
    for a theme is the mean of its distinct texts' scores (a vote of its members, so one
    off-theme centroid cannot decide); its best score is the cluster's confidence. The
    cluster takes that theme when the confidence reaches ``min_confidence`` and at least
    ``min_fit_share`` of its distinct texts fit the theme on their own (:meth:`idea_fits`);
    otherwise no theme fits and the cluster is new.

    An idea's theme (:meth:`assign`) weighs its cluster's vote against its own score with
    ``cluster_weight`` (a street-lighting idea in a roads cluster is named with safety). A new
    cluster has no vote: its members, like outliers, are named with a theme that fits them.

    A seed word an idea uses only to say where (:func:`pipeline.lang.lv.place_words`: "grozs
    pie skolas", "Skolas ielā") counts ``place_weight`` of a seed word it is about.

    Args:
        keyword_weight: Weight of the seed-word overlap (0..1); the rest is the embedding match.
        place_weight: What a seed word used only as a place counts for (0..1; 1: as much as
            any other use, 0: nothing).
        min_confidence: Score an idea needs for a theme to fit it on its own (and a cluster's
            vote to name it): below it an outlier or a member of a new cluster is not named.
        min_similarity: Similarity (mean cosine to the theme's nearest seed words, plus the
            language's offset) a theme needs to fit an idea (:func:`theme_similarity`).
        min_fit_share: Share of a cluster's distinct texts that must fit its best theme on
            their own for the cluster to be named with it (0: the vote alone decides).
        cluster_weight: Weight of the cluster's vote in an idea's score (0..1): 1 names every
            member like its cluster, 0 names every idea on its own.
        name_outliers: Name an outlier (label -1) by its own score when that reaches
            ``min_confidence``; otherwise outliers get no theme.
        prompt_name: Prompt used with a sentence-transformers model (``embed.prompt_name``).

    Attributes:
        themes_: The taxonomy.
        theme_ids_: Theme ids in taxonomy order.
        theme_embeddings_: One unit row per theme.
        seed_embeddings_: Per theme, one unit row per seed word.
        seed_lemmas_: Per theme, its seeds: per word, its folded lemma and written form.
    """

    def __init__(
        self,
        keyword_weight: float = 0.5,
        min_confidence: float = 0.2,
        cluster_weight: float = 0.3,
        name_outliers: bool = True,
        prompt_name: str | None = DEFAULT_PROMPT,
        place_weight: float = 0.5,
        min_fit_share: float = 0.5,
        min_similarity: float = 0.83,
    ) -> None:
        self.keyword_weight = keyword_weight
        self.min_fit_share = min_fit_share
        self.min_similarity = min_similarity
        self.place_weight = place_weight
        self.min_confidence = min_confidence
        self.cluster_weight = cluster_weight
        self.name_outliers = name_outliers
        self.prompt_name = prompt_name

    def fit(self, taxonomy: Sequence[Theme] | str | Path, model: Any) -> ThemeNamer:
        """Embed every theme's description and seed words once.

        Args:
            taxonomy: Themes, or the path of a taxonomy YAML file.
            model: Sentence model or encoder (see :func:`~pipeline.topics.encoder.as_encoder`).

        Returns:
            self
        """
        if not 0.0 <= self.cluster_weight <= 1.0:
            raise ValueError(f"cluster_weight must be within 0..1, got {self.cluster_weight}")
        if not 0.0 <= self.keyword_weight <= 1.0:
            raise ValueError(f"keyword_weight must be within 0..1, got {self.keyword_weight}")
        if not 0.0 <= self.place_weight <= 1.0:
            raise ValueError(f"place_weight must be within 0..1, got {self.place_weight}")
        if not 0.0 <= self.min_fit_share <= 1.0:
            raise ValueError(f"min_fit_share must be within 0..1, got {self.min_fit_share}")
        themes = load_taxonomy(taxonomy) if isinstance(taxonomy, str | Path) else list(taxonomy)
        if not themes:
            raise ValueError("the taxonomy has no themes")
        encoder = as_encoder(model, self.prompt_name)
        descriptions = encoder([theme.description for theme in themes])
        seed_rows = encoder([seed for theme in themes for seed in theme.seeds])
        seed_means, self.seed_embeddings_, start = [], [], 0
        for theme in themes:
            rows = seed_rows[start : start + len(theme.seeds)]
            seed_means.append(rows.mean(axis=0))
            self.seed_embeddings_.append(unit_rows(rows, np.float32))
            start += len(theme.seeds)
        self.themes_ = themes
        self.theme_ids_ = [theme.id for theme in themes]
        seed_centres = unit_rows(np.stack(seed_means), np.float32)
        self.theme_embeddings_ = unit_rows(descriptions + seed_centres, np.float32)
        self.seed_lemmas_ = [seed_lemma_sets(theme) for theme in themes]
        return self

    def decision_scores(
        self,
        centroids: np.ndarray,
        cluster_texts: Sequence[Sequence[Iterable[str]]],
        cluster_places: Sequence[Sequence[Iterable[str]]] | None = None,
    ) -> np.ndarray:
        """Scores in 0..1 of every centroid (row) for every theme (column).

        A centroid's embedding share and the share of its texts that use a theme's seed words
        are mixed by ``keyword_weight``; a text that uses a theme's seed words only as places
        counts ``place_weight``. :meth:`idea_scores` is this with one text per row.

        Args:
            centroids: One unit row per cluster, in the embedding space of the model.
            cluster_texts: Per cluster, the content lemmas of each of its distinct texts.
            cluster_places: Per cluster, per text, its place words
                (:func:`pipeline.lang.lv.place_words`); None: no word is a place.

        Returns:
            Array of shape (clusters, themes).
        """
        centroids = unit_rows(np.atleast_2d(np.asarray(centroids, dtype=np.float32)), np.float32)
        if len(centroids) != len(cluster_texts):
            raise ValueError("need one list of texts per centroid")
        shares = self._embedding_shares(centroids)
        overlap = np.zeros_like(shares)
        if cluster_places is not None and len(cluster_places) != len(cluster_texts):
            raise ValueError("need one list of place words per list of texts")
        for row, texts in enumerate(cluster_texts):
            text_sets = [{fold(str(w)) for w in text} for text in texts]
            if not text_sets:
                continue
            places = (
                [set()] * len(text_sets)
                if cluster_places is None
                else [{fold(str(w)) for w in p} for p in cluster_places[row]]
            )
            for column, seeds in enumerate(self.seed_lemmas_):
                hits = 0.0
                for words, where in zip(text_sets, places, strict=True):
                    if any(mentions(seed, words - where) for seed in seeds):
                        hits += 1.0
                    elif where and any(mentions(seed, words) for seed in seeds):
                        hits += self.place_weight
                overlap[row, column] = hits / len(text_sets)
        weight = self.keyword_weight
        return (1.0 - weight) * shares + weight * overlap

    def _embedding_shares(self, rows: np.ndarray) -> np.ndarray:
        """Softmax of each row's similarities to the themes, standardised across the themes."""
        similarity = rows @ self.theme_embeddings_.T
        if similarity.shape[1] <= 1:
            return np.ones_like(similarity)
        spread = similarity.std(axis=1, keepdims=True)
        z = (similarity - similarity.mean(axis=1, keepdims=True)) / np.where(
            spread > 0, spread, 1.0
        )
        shares = np.exp(_SHARPNESS * (z - z.max(axis=1, keepdims=True)))
        return shares / shares.sum(axis=1, keepdims=True)

    def idea_scores(
        self,
        embeddings: np.ndarray,
        lemmas: Sequence[Any],
        places: Sequence[Iterable[str]] | None = None,
    ) -> np.ndarray:
        """Scores in 0..1 of every idea (row) for every theme (column).

        Args:
            embeddings: One row per idea in the model's space (best centred by language, see
                :func:`~pipeline.topics.crosslingual.language_centred`); rows of zeros or NaN
                (non-answers) score 0.
            lemmas: Content lemmas of each idea (lists, arrays or missing values).
            places: Place words of each idea (:func:`idea_places`); None: none.

        Returns:
            Array of shape (ideas, themes), float64.
        """
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if len(embeddings) != len(lemmas):
            raise ValueError(f"{len(embeddings)} embeddings but {len(lemmas)} lemma lists")
        if places is not None and len(places) != len(lemmas):
            raise ValueError(f"{len(lemmas)} lemma lists but {len(places)} place lists")
        valid = np.isfinite(embeddings).all(axis=1) & (np.abs(embeddings).sum(axis=1) > 0)
        scores = np.zeros((len(embeddings), len(self.theme_ids_)), dtype=np.float64)
        if valid.any():
            rows = np.flatnonzero(valid)
            scores[rows] = self.decision_scores(
                embeddings[rows],
                [[cell_words(lemmas[i])] for i in rows],
                None if places is None else [[places[i]] for i in rows],
            )
        return scores

    def cluster_votes(
        self,
        idea_scores: np.ndarray,
        labels: Sequence[int] | np.ndarray,
        weights: np.ndarray | None = None,
    ) -> dict[int, np.ndarray]:
        """Each cluster's score per theme: the weighted mean of its members' idea scores.

        Args:
            idea_scores: :meth:`idea_scores` of all ideas.
            labels: Cluster label per idea (-1: outlier, not counted).
            weights: Weight per idea (0 for further copies of a text); None: 1 each.

        Returns:
            Cluster label -> scores per theme (0..1).
        """
        idea_scores = np.asarray(idea_scores, dtype=np.float64)
        labels = labels_array(labels, len(idea_scores))
        weights = np.ones(len(labels)) if weights is None else np.asarray(weights, float)
        votes: dict[int, np.ndarray] = {}
        for cluster in sorted(int(c) for c in set(labels.tolist()) if c >= 0):
            member = labels == cluster
            if weights[member].sum() <= 0:
                weights = np.where(member, 1.0, weights)
            votes[cluster] = np.average(idea_scores[member], axis=0, weights=weights[member])
        return votes

    def idea_fits(
        self, idea_scores: np.ndarray, embeddings: np.ndarray, languages: Sequence[object]
    ) -> np.ndarray:
        """Whether each theme (column) fits each idea (row) on its own: its score reaches
        ``min_confidence`` and its embedding (as the model gave it, not centred) is
        ``min_similarity`` close to the theme's seed words (:func:`theme_similarity`)."""
        similarity = theme_similarity(embeddings, self.seed_embeddings_, languages)
        return theme_fits(idea_scores, similarity, self.min_confidence, self.min_similarity)

    def fit_shares(
        self,
        fits: np.ndarray,
        labels: Sequence[int] | np.ndarray,
        weights: np.ndarray | None = None,
    ) -> dict[int, np.ndarray]:
        """Per cluster and theme, the (weighted) share of members that fit the theme on their
        own (``fits``: :meth:`idea_fits`, or scores of at least ``min_confidence``)."""
        return self.cluster_votes(np.asarray(fits, dtype=np.float64), labels, weights)

    def name_clusters(
        self,
        ideas: pd.DataFrame,
        embeddings: np.ndarray,
        labels: Sequence[int] | np.ndarray,
        keywords: Mapping[int, Sequence[str]] | None = None,
        n_name_keywords: int = 3,
        *,
        idea_scores: np.ndarray | None = None,
        idea_fits: np.ndarray | None = None,
    ) -> pd.DataFrame:
        """Name every cluster (label >= 0) of the ideas by its members' vote.

        Args:
            ideas: Ideas table with ``idea_id`` and ``content_lemmas``.
            embeddings: Unit rows aligned with ``ideas``.
            labels: Cluster label per idea (-1 = outlier).
            keywords: Cluster -> keywords, for the names of new clusters.
            n_name_keywords: Keywords in a keyword name.
            idea_scores: :meth:`idea_scores` of the ideas if already computed.
            idea_fits: :meth:`idea_fits` of the ideas; None: a theme fits an idea whose
                score for it reaches ``min_confidence``.

        Returns:
            One row per cluster: ``cluster``, ``theme`` (taxonomy id, "" if new),
            ``best_theme`` (the best match even if too weak), ``confidence``, ``fit_share``
            (the share of its distinct texts that fit ``best_theme`` on their own), ``is_new``,
            ``name_lv``, ``name_en`` (for new clusters both are the keyword name).
        """
        require_columns(ideas, ("idea_id", "content_lemmas"))
        ideas = ideas.reset_index(drop=True)
        labels = np.where(non_answer_mask(ideas), -1, labels_array(labels, len(ideas)))
        columns = [
            "cluster",
            "theme",
            "best_theme",
            "confidence",
            "fit_share",
            "is_new",
            "name_lv",
            "name_en",
        ]
        if not (labels >= 0).any():
            return pd.DataFrame(columns=columns)
        if idea_scores is None:
            idea_scores = self.idea_scores(embeddings, ideas["content_lemmas"].tolist())
        weights = text_weights(ideas, labels)
        votes = self.cluster_votes(idea_scores, labels, weights)
        if idea_fits is None:
            idea_fits = np.asarray(idea_scores) >= self.min_confidence
        fit_shares = self.fit_shares(idea_fits, labels, weights)
        by_id = {theme.id: theme for theme in self.themes_}
        rows = []
        for cluster, scores in votes.items():
            best = int(scores.argmax())
            confidence = float(scores[best])
            best_theme = self.theme_ids_[best]
            fit_share = float(fit_shares[cluster][best])
            is_new = confidence < self.min_confidence or fit_share < self.min_fit_share
            if is_new:
                name = new_theme_name(list((keywords or {}).get(cluster, [])), n_name_keywords)
                name = name or f"cluster {cluster}"
                name_lv = name_en = name
            else:
                name_lv, name_en = by_id[best_theme].name_lv, by_id[best_theme].name_en
            rows.append(
                {
                    "cluster": cluster,
                    "theme": "" if is_new else best_theme,
                    "best_theme": best_theme,
                    "confidence": confidence,
                    "fit_share": fit_share,
                    "is_new": is_new,
                    "name_lv": name_lv,
                    "name_en": name_en,
                }
            )
        return pd.DataFrame(rows, columns=columns)

    def assign(
        self,
        idea_scores: np.ndarray,
        labels: Sequence[int] | np.ndarray,
        cluster_themes: Mapping[int, str],
        votes: Mapping[int, np.ndarray],
        fits: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The taxonomy theme of every idea, from its own score and its cluster's vote.

        An idea's score is ``cluster_weight`` times its cluster's vote plus the rest times its
        own score. A member of a named cluster takes the best theme of that mix. A new cluster
        fits no theme, so its vote says nothing: a member takes its own best theme among those
        that fit it (``fits``) and that a cluster was named with (see :mod:`.membership`). An
        outlier takes its best theme that fits when ``name_outliers`` is set.

        Args:
            idea_scores: :meth:`idea_scores` of the ideas.
            labels: Cluster label per idea (-1: outlier).
            cluster_themes: Cluster -> its theme id ("" for a new cluster).
            votes: Cluster -> :meth:`cluster_votes` scores.
            fits: :meth:`idea_fits`; None: a theme fits an idea whose score for it reaches
                ``min_confidence``.

        Returns:
            ``(themes, confidence)``: a theme id per idea ("" when none: outliers and members
            of a new cluster that fit no theme) and the score of that theme (for an idea
            left in a new cluster: its cluster's confidence; for an outlier left out: 0).
        """
        idea_scores = np.asarray(idea_scores, dtype=np.float64)
        labels = labels_array(labels, len(idea_scores))
        fits = idea_scores >= self.min_confidence if fits is None else np.asarray(fits, bool)
        # an idea's own choice: its best theme among those that fit it (-1: none fits)
        own = np.where(fits, idea_scores, -1.0)
        clustered = np.isin(self.theme_ids_, [t for t in cluster_themes.values() if t])
        own_clustered = np.where(fits & clustered, idea_scores, -1.0)  # a new cluster's member
        themes = np.full(len(labels), "", dtype=object)
        confidence = np.zeros(len(labels), dtype=np.float64)
        weight = self.cluster_weight
        for i, cluster in enumerate(labels.tolist()):
            if cluster < 0:
                best = int(own[i].argmax())
                if self.name_outliers and fits[i, best]:
                    themes[i] = self.theme_ids_[best]
                    confidence[i] = float(idea_scores[i, best])
                continue
            vote = votes[cluster]
            if cluster_themes[cluster]:
                mixed = weight * vote + (1.0 - weight) * idea_scores[i]
                best = int(mixed.argmax())
                themes[i] = self.theme_ids_[best]
                confidence[i] = float(mixed[best])
                continue
            best = int(own_clustered[i].argmax())  # a new cluster: its vote says nothing
            if fits[i, best] and clustered[best]:
                themes[i] = self.theme_ids_[best]
                confidence[i] = float(idea_scores[i, best])
            else:
                confidence[i] = float(vote.max())
        return themes, confidence


def idea_places(ideas: pd.DataFrame) -> list[frozenset[str]]:
    """Per idea, the words it uses only as places (:func:`pipeline.lang.lv.place_words`).

    Read from ``text_normalised`` (diacritics restored) in the idea's ``language``; without
    those columns no idea has place words.
    """
    if "text_normalised" not in ideas.columns:
        return [frozenset()] * len(ideas)
    languages = (
        ideas["language"].astype("string").fillna("lv").tolist()
        if "language" in ideas.columns
        else ["lv"] * len(ideas)
    )
    texts = ideas["text_normalised"].astype("string").fillna("").tolist()
    return [place_words(t, lang) for t, lang in zip(texts, languages, strict=True)]
