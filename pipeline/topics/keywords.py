"""Keywords per cluster: class-based TF-IDF over lemmas and bigrams, diversified with MMR.

Keywords come from all languages, but a planner reads Latvian, so the keywords of a cluster
are listed Latvian first: a keyword is Latvian when at least half of the cluster's texts that
contain it are Latvian or Latgalian; the others follow, each group in MMR order. A text counts
once per cluster (further copies weigh 0), and non-answers are in no cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.lang.codes import LATVIAN, grammar_language
from pipeline.params import ThemesParams
from pipeline.topics.encoder import Encoder, as_encoder
from pipeline.topics.table import labels_array, non_answer_mask, require_columns, text_weights
from pipeline.topics.terms import Terms, territory_matcher


def _mmr(relevance: np.ndarray, similarity: np.ndarray, n: int, diversity: float) -> list[int]:
    """Indices chosen by maximal marginal relevance, most relevant first."""
    if len(relevance) == 0:
        return []
    selected = [int(np.argmax(relevance))]
    remaining = [i for i in range(len(relevance)) if i != selected[0]]
    while remaining and len(selected) < n:
        redundancy = similarity[np.ix_(remaining, selected)].max(axis=1)
        gain = (1.0 - diversity) * relevance[remaining] - diversity * redundancy
        best = remaining[int(np.argmax(gain))]
        selected.append(best)
        remaining.remove(best)
    return selected


class ClusterKeywords:
    """Keywords per cluster by class-based TF-IDF over lemmas, diversified with MMR.

    Every cluster is one class; its texts' content lemmas and adjacent-lemma bigrams are
    counted once per distinct text, and a term's weight is ``tf(term, cluster) * log(1 + A /
    f(term))`` (BERTopic's c-TF-IDF; ``A`` is the mean number of terms per class, ``f`` the
    term's count over all classes, outliers included as background). A bigram seen in at least
    ``bigram_min_count`` texts of a cluster replaces a part when it accounts for at least
    ``bigram_share`` of that part's occurrences there, and takes over the part's score. A
    keyword occurs in at least ``min_keyword_ideas`` distinct texts of its cluster and in at
    least ``min_keyword_share`` of them: a word one resident used is no keyword of a theme.
    Terms are what :class:`~pipeline.topics.terms.Terms` keeps: restored lemmas, no names,
    function words or fragments.

    Args:
        n_keywords: Keywords per cluster.
        ngram_max: 1 (lemmas only) or 2 (lemmas and bigrams).
        mmr_diversity: 0 keeps c-TF-IDF order; towards 1 prefers keywords unlike those chosen.
        bigram_min_count: Texts of a cluster a bigram must occur in to be a keyword.
        bigram_share: Share of a lemma's occurrences a bigram must cover to replace it.
        n_candidates: Top terms per cluster that MMR chooses from.
        min_keyword_ideas: Distinct texts of a cluster a keyword must occur in.
        min_keyword_share: Share of a cluster's distinct texts a keyword must occur in.
        max_cluster_ideas: Ideas of a cluster (and of the outliers) the terms are counted on
            at most: a larger one is represented by a random sample of this many (shares of
            terms hold on a sample; counting every idea of a 100,000-idea corpus three
            times over took minutes). None: every idea.
        exclude_territory_names: Leave out the place words of the ``territory`` column
            ("Rudzupe"); where a theme is raised is the territory breakdown's job.
        model: Sentence model for keyword embeddings (see :func:`as_encoder`); without it
            MMR uses lemma overlap only.

    Attributes:
        keywords_: Cluster label -> keywords (display strings), Latvian first.
        terms_: Cluster label -> the same keywords as term keys (lemmas, "lemma lemma").
        scores_: Cluster label -> c-TF-IDF score of each keyword.
    """

    def __init__(
        self,
        n_keywords: int = 10,
        ngram_max: int = 2,
        mmr_diversity: float = 0.3,
        bigram_min_count: int = 2,
        bigram_share: float = 0.5,
        n_candidates: int = 30,
        exclude_territory_names: bool = True,
        model: Any = None,
        min_keyword_ideas: int = 2,
        min_keyword_share: float = 0.03,
        max_cluster_ideas: int | None = None,
    ) -> None:
        self.n_keywords = n_keywords
        self.ngram_max = ngram_max
        self.mmr_diversity = mmr_diversity
        self.bigram_min_count = bigram_min_count
        self.bigram_share = bigram_share
        self.n_candidates = n_candidates
        self.exclude_territory_names = exclude_territory_names
        self.model = model
        self.min_keyword_ideas = min_keyword_ideas
        self.min_keyword_share = min_keyword_share
        self.max_cluster_ideas = max_cluster_ideas

    def fit(self, ideas: pd.DataFrame, labels: Sequence[int] | np.ndarray) -> ClusterKeywords:
        """Find the keywords of every cluster (label >= 0) of the ideas.

        Args:
            ideas: Ideas table with ``idea_id``, ``content_lemmas`` and, when present,
                ``lemmas``, ``text_normalised``, ``language``, ``non_answer``, ``duplicate_of``.
            labels: Cluster label per idea; -1 is an outlier (background only).

        Returns:
            self
        """
        if self.ngram_max not in (1, 2):
            raise ValueError(f"ngram_max must be 1 or 2, got {self.ngram_max}")
        if not 0.0 <= self.mmr_diversity <= 1.0:
            raise ValueError(f"mmr_diversity must be within 0..1, got {self.mmr_diversity}")
        require_columns(ideas, ("idea_id", "content_lemmas"))
        ideas = ideas.reset_index(drop=True)
        labels = labels_array(labels, len(ideas))
        labels = np.where(non_answer_mask(ideas), -1, labels)
        if self.max_cluster_ideas is not None:
            rows = sampled_rows(labels, self.max_cluster_ideas)
            if len(rows) < len(labels):
                ideas, labels = ideas.iloc[rows].reset_index(drop=True), labels[rows]
        self.keywords_: dict[int, list[str]] = {}
        self.terms_: dict[int, list[str]] = {}
        self.scores_: dict[int, list[float]] = {}
        clusters = sorted(int(c) for c in set(labels.tolist()) if c >= 0)
        excluded: Callable[[str], bool] = _never
        if self.exclude_territory_names and "territory" in ideas.columns:
            excluded = territory_matcher(ideas["territory"].dropna().unique())
        terms = Terms(ideas, self.ngram_max, excluded)
        weights = text_weights(ideas, labels) * (~non_answer_mask(ideas))
        if not clusters or not any(terms.per_idea):
            self.keywords_ = {c: [] for c in clusters}
            self.terms_ = {c: [] for c in clusters}
            self.scores_ = {c: [] for c in clusters}
            return self

        vectorizer = CountVectorizer(analyzer=_identity, binary=True, lowercase=False)
        counts = vectorizer.fit_transform(terms.per_idea)
        vocabulary = vectorizer.get_feature_names_out()
        classes = [-1, *clusters]
        row_of = {c: i for i, c in enumerate(classes)}
        membership = sparse.csr_matrix(
            (weights, ([row_of[int(c)] for c in labels], np.arange(len(labels)))),
            shape=(len(classes), len(labels)),
        )
        class_counts = np.asarray((membership @ counts).todense())
        class_texts = np.asarray(membership.sum(axis=1)).ravel()
        languages = ideas["language"] if "language" in ideas.columns else ["lv"] * len(ideas)
        latvian_rows = np.array(
            [grammar_language(lang) == LATVIAN for lang in languages], dtype=float
        )
        latvian_counts = np.asarray((membership @ sparse.diags(latvian_rows) @ counts).todense())
        scores = _ctfidf(class_counts)
        is_bigram = np.array([" " in term for term in vocabulary])
        index_of = {term: i for i, term in enumerate(vocabulary)}

        pools: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for cluster in clusters:
            row = row_of[cluster]
            support = max(
                float(self.min_keyword_ideas),
                float(np.ceil(self.min_keyword_share * class_texts[row] - 1e-9)),
            )
            pools[cluster] = self._candidates(
                class_counts[row], scores[row], vocabulary, is_bigram, index_of, support
            )
        similarity = self._similarity_function(terms, vocabulary, pools)
        for cluster in clusters:
            candidates, relevance = pools[cluster]
            if len(candidates) == 0:
                self.keywords_[cluster], self.terms_[cluster], self.scores_[cluster] = [], [], []
                continue
            chosen = candidates[
                _mmr(
                    relevance / relevance.max(),
                    similarity(candidates),
                    self.n_keywords,
                    self.mmr_diversity,
                )
            ]
            row = row_of[cluster]
            share_lv = latvian_counts[row, chosen] / np.maximum(class_counts[row, chosen], 1e-12)
            order = sorted(range(len(chosen)), key=lambda i: share_lv[i] < 0.5)
            chosen = chosen[order]
            self.terms_[cluster] = [str(vocabulary[i]) for i in chosen]
            self.keywords_[cluster] = [terms.display(str(vocabulary[i])) for i in chosen]
            relevance_of = dict(zip(candidates.tolist(), relevance.tolist(), strict=True))
            self.scores_[cluster] = [float(relevance_of[i]) for i in chosen]
        return self

    def _candidates(
        self,
        counts: np.ndarray,
        scores: np.ndarray,
        vocabulary: np.ndarray,
        is_bigram: np.ndarray,
        index_of: Mapping[str, int],
        support: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Term indices MMR may choose from for one cluster, with their (adjusted) scores.

        ``support``: the distinct texts a term must occur in.
        """
        adjusted = scores.copy()
        eligible = counts >= support - 1e-9
        eligible &= ~is_bigram | (counts >= self.bigram_min_count - 1e-9)
        absorbed = np.zeros(len(counts), dtype=bool)
        for i in np.flatnonzero(eligible & is_bigram):
            for part in str(vocabulary[i]).split(" "):
                j = index_of.get(part)
                if j is not None and counts[i] >= self.bigram_share * counts[j] - 1e-9:
                    absorbed[j] = True
                    adjusted[i] = max(adjusted[i], scores[j])
        eligible &= ~absorbed & (adjusted > 0)
        indices = np.flatnonzero(eligible)
        top = indices[np.argsort(-adjusted[indices], kind="stable")][: self.n_candidates]
        return top, adjusted[top]

    def _similarity_function(
        self,
        terms: Terms,
        vocabulary: np.ndarray,
        pools: Mapping[int, tuple[np.ndarray, np.ndarray]],
    ) -> Callable[[np.ndarray], np.ndarray]:
        """Redundancy between candidate terms: relative embedding similarity or shared lemmas.

        Embedding cosines are rescaled against the mean cosine of all candidate pairs, since
        E5 puts almost every pair at 0.80-0.95.
        """
        used = sorted({int(i) for candidates, _ in pools.values() for i in candidates})
        vectors: dict[int, np.ndarray] = {}
        baseline = 0.0
        if self.model is not None and self.mmr_diversity > 0 and used:
            encoder = as_encoder(self.model)
            rows = encoder([terms.display(str(vocabulary[i])) for i in used])
            vectors = dict(zip(used, rows, strict=True))
            if len(used) > 1:
                gram = rows @ rows.T
                baseline = float((gram.sum() - np.trace(gram)) / (len(used) * (len(used) - 1)))
        lemma_sets = {i: frozenset(str(vocabulary[i]).split(" ")) for i in used}

        def similarity(candidates: np.ndarray) -> np.ndarray:
            sets = [lemma_sets[int(i)] for i in candidates]
            lexical = np.array([[len(a & b) / len(a | b) for b in sets] for a in sets])
            if not vectors:
                return lexical
            rows = np.stack([vectors[int(i)] for i in candidates])
            semantic = np.clip((rows @ rows.T - baseline) / max(1.0 - baseline, 1e-6), 0.0, 1.0)
            return np.maximum(lexical, semantic)

        return similarity


def _identity(terms: list[str]) -> list[str]:
    return terms


def _never(_: str) -> bool:
    return False


def sampled_rows(labels: np.ndarray, per_label: int, seed: int = 0) -> np.ndarray:
    """Row positions keeping at most ``per_label`` rows of each label (a seeded random sample
    of a larger one), in their order."""
    rng = np.random.default_rng(seed)
    kept = []
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        if len(rows) > per_label:
            rows = rng.choice(rows, size=per_label, replace=False)
        kept.append(rows)
    return np.sort(np.concatenate(kept)) if kept else np.zeros(0, dtype=np.int64)


def _ctfidf(class_counts: np.ndarray) -> np.ndarray:
    """BERTopic's class-based TF-IDF: L1-normalised class frequency times log(1 + A / f_t)."""
    totals = class_counts.sum(axis=1, keepdims=True)
    tf = class_counts / np.where(totals > 0, totals, 1.0)
    frequency = class_counts.sum(axis=0)
    average = class_counts.sum() / max(int((totals > 0).sum()), 1)
    idf = np.log1p(average / np.where(frequency > 0, frequency, np.inf))
    return tf * idf


def fit_keywords(
    ideas: pd.DataFrame,
    labels: np.ndarray,
    params: ThemesParams,
    encoder: Encoder,
    n_keywords: int | None = None,
) -> ClusterKeywords:
    """:class:`ClusterKeywords` with the ``themes`` parameters, fitted on the ideas.

    Args:
        ideas: Ideas table (see :meth:`ClusterKeywords.fit`).
        labels: Cluster label per idea; -1 is an outlier.
        params: The ``themes`` section.
        encoder: Embeds keywords for MMR.
        n_keywords: Keywords per cluster; None: ``params.n_keywords``.
    """
    n = n_keywords or params.n_keywords
    return ClusterKeywords(
        n_keywords=n,
        ngram_max=params.ngram_max,
        mmr_diversity=params.mmr_diversity,
        bigram_min_count=params.bigram_min_count,
        bigram_share=params.bigram_share,
        n_candidates=3 * n,
        exclude_territory_names=params.exclude_territory_names,
        model=encoder,
        min_keyword_ideas=params.min_keyword_ideas,
        min_keyword_share=params.min_keyword_share,
        max_cluster_ideas=params.keyword_max_ideas,
    ).fit(ideas, labels)
