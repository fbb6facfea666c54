"""SWOT (SVID) quadrant of every idea: S stiprās puses, W vājās puses, O iespējas, T draudi.

Residents' proposals are mostly needs (a lack, a problem: W) or ideas to use something (O);
some praise what works (S) or warn of harmful trends (T). Three pieces decide the quadrant:

* :class:`CueMatcher` finds linguistic cues (lack, debitive "jā-", need, conditional, praise,
  trend verbs, urgency ...) with spaCy's ``Matcher`` on the idea's lemmas. The rules live in
  ``resources/swot_cues.yaml``; every cue carries a Latvian label, so the cues that fired are
  evidence a planner can read ("trūkums: trūkst; jā- forma: jāsalabo").
* :class:`SwotClassifier`: logistic regression on the sentence embedding plus the cue
  features, trained by :func:`train_swot` on the labelled statements
  (``data/reference/svid_labelled.csv``).
* :class:`PrototypeSwot`: the fallback without a labelled set. Relative similarity to
  prototype statements per quadrant (``resources/swot_prototypes.yaml``) combined with the cue
  hints of the YAML file.

:func:`assign_swot` gives every idea its quadrant, the four probabilities, the evidence and an
urgency count (the priority step reads it). The labelled set is balanced while residents'
proposals are mostly needs, so the classifier's (calibrated) probabilities are re-weighted to
the quadrant shares of the corpus at hand, estimated without labels
(:func:`reweight_to_corpus_prior`).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd
import yaml
from sklearn.base import BaseEstimator

from pipeline import io
from pipeline.errors import BalsisError
from pipeline.lang import lv as latvian
from pipeline.params import SwotParams

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from pipeline.embed import SentenceEncoder

logger = logging.getLogger(__name__)

QUADRANTS: tuple[str, ...] = ("S", "W", "O", "T")
QUADRANT_NAMES = {
    "S": "stiprās puses",
    "W": "vājās puses",
    "O": "iespējas",
    "T": "draudi",
}
CUES_PATH = latvian.RESOURCES / "swot_cues.yaml"
PROTOTYPES_PATH = latvian.RESOURCES / "swot_prototypes.yaml"
CV_REPORT_FILE = "cv_scores.json"
# Labelled statements in the terse style of a programme's SVID table ("Zems noziedzības
# līmenis"), as opposed to residents' own words.
TABLE_STYLE = "svid_table"

# Which pattern set a detected language uses: Latgalian is written close enough to Latvian.
_PATTERN_LANGUAGE = {"lv": "lv", "ltg": "lv", "und": "lv", "ru": "ru", "en": "en"}
_SPACY_LANGUAGE = {"lv": "lv", "ru": "ru", "en": "en"}


def pattern_language(language: str) -> str:
    """The cue pattern set ("lv", "ru" or "en") used for an idea's detected language."""
    return _PATTERN_LANGUAGE.get(language, "lv")


def lemma_language(language: str) -> str:
    """The language the ideas table lemmatises an idea in (as :mod:`pipeline.normalise` does)."""
    return "lv" if language in ("ltg", "und") else language


# ---------------------------------------------------------------------------------------------
# Morphology from form and lemma
#
# Latvian has no tagger offline, but the forms the cues need are regular given the lemma:
# "jā" + present is the debitive, infinitive + "u" the conditional, stem + "s" the future.

_LV_NEGATED = frozenset({"nav", "nebija", "nebūs", "nebūtu", "navā", "nabeja"})
# Words in "ne-" that do not negate anything.
_LV_NOT_NEGATED = (
    "nedēļ",
    "nedeļ",
    "nedel",
    "nepieciešam",
    "negais",
    "nekustam",
    "nesen",
    "nemaz",
    "nevis",
    "neliel",
)
# Words in "-t" that are not infinitives.
_LV_NOT_INFINITIVE = frozenset(
    {"šeit", "mazliet", "pirmkārt", "otrkārt", "treškārt", "beidzot", "nost", "vienkārt"}
)
_LV_PARTICIPLE_ENDINGS = frozenset(
    {"s", "a", "i", "as", "ā", "ās", "ie", "ais", "ajā", "o", "ām", "iem", "ajiem", "ajām"}
)
_LV_PARTICIPLE_LEMMA = re.compile(r"[āēīo]ts$")
_RU_INFINITIVE = ("ть", "ться", "ти", "тись", "чь")
_RU_PAST = re.compile(r"(л|ла|ло|ли|лся|лась|лось|лись)$")


def _lv_morph(word: str, lemma: str) -> str:
    """UD-style features of a Latvian word that the cue patterns use (see swot_cues.yaml)."""
    features: list[str] = []
    negated = word in _LV_NEGATED or (
        word.startswith("ne")
        and len(word) > 4
        and not word.startswith(_LV_NOT_NEGATED)
        and (
            not lemma.startswith("ne")
            or latvian.is_known_word(word[2:])
            or latvian.is_known_word(lemma[2:])
        )
    )
    core = word[2:] if negated and word.startswith("ne") else word
    stem = lemma[:-1]
    reflexive_base = lemma[:-4]
    if word.startswith("jā") and len(word) > 4 and lemma != word and lemma.endswith(("t", "ties")):
        features.append("Mood=Nec")
    elif (lemma.endswith("t") and core == lemma + "u") or (
        lemma.endswith("ties") and core == lemma[:-3] + "os"
    ):
        features.append("Mood=Cnd")
    elif (
        lemma.endswith("t")
        and core != lemma
        and core in {stem + ending for ending in ("s", "sim", "siet", "si", "šu")}
    ) or (
        lemma.endswith("ties")
        and core in {reflexive_base + ending for ending in ("sies", "simies", "sieties", "šos")}
    ):
        features.append("Tense=Fut")
    elif (
        core == lemma
        and len(lemma) >= 4
        and lemma.endswith(("t", "ties"))
        and lemma not in _LV_NOT_INFINITIVE
    ):
        features.append("VerbForm=Inf")
    elif (
        lemma.endswith("t")
        and core.startswith(lemma)
        and core[len(lemma) :] in _LV_PARTICIPLE_ENDINGS
    ) or (core == lemma and len(lemma) > 5 and _LV_PARTICIPLE_LEMMA.search(lemma)):
        features.append("VerbForm=Part")
    if negated:
        features.append("Polarity=Neg")
    return "|".join(sorted(features))


def _ru_morph(word: str, lemma: str) -> str:
    """UD-style features of a Russian word that the cue patterns use."""
    if word == "бы":
        return "Mood=Cnd"
    if word == lemma and word.endswith(_RU_INFINITIVE):
        return "VerbForm=Inf"
    if lemma.endswith(_RU_INFINITIVE) and word != lemma and _RU_PAST.search(word):
        return "Tense=Past"
    return ""


def _morph(word: str, lemma: str, patterns: str) -> str:
    word = word.lower()
    if patterns == "lv":
        return _lv_morph(word, lemma)
    if patterns == "ru":
        return _ru_morph(word, lemma)
    return ""


# ---------------------------------------------------------------------------------------------
# Cues


@dataclass(frozen=True)
class CueDefinition:
    """One cue of ``swot_cues.yaml``.

    Attributes:
        id: Stable identifier (a classifier feature).
        label: What a planner reads, in Latvian.
        quadrants: Hint weights per quadrant, e.g. ``{"W": 0.8, "O": 0.2}``.
        urgency: Whether the cue counts as urgency for the priority step.
        overrides: Cue ids whose overlapping matches this cue removes.
        patterns: spaCy Matcher patterns per pattern language (lv, ru, en).
        examples: Phrases per language the cue must fire on.
    """

    id: str
    label: str
    quadrants: Mapping[str, float]
    urgency: bool
    overrides: tuple[str, ...]
    patterns: Mapping[str, list[list[dict[str, Any]]]]
    examples: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Cue:
    """A cue found in an idea.

    Attributes:
        id: The cue's id.
        label: Its Latvian label.
        words: The matched words as written in the idea.
        start: First matched token.
        end: One past the last matched token.
        urgency: Whether the cue counts as urgency.
    """

    id: str
    label: str
    words: str
    start: int
    end: int
    urgency: bool = False

    @property
    def evidence(self) -> str:
        """``"<label>: <words>"``, e.g. ``"trūkums: trūkst"``."""
        return f"{self.label}: {self.words}"


def load_cue_definitions(path: str | Path | None = None) -> list[CueDefinition]:
    """Read and check the cue file.

    Raises:
        BalsisError: The file is missing, not YAML, or a cue lacks a field or names an unknown
            quadrant, language or overridden cue.
    """
    path = Path(path) if path is not None else CUES_PATH
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BalsisError(f"{path}: SWOT cue file not found") from exc
    except yaml.YAMLError as exc:
        raise BalsisError(f"{path}: not valid YAML: {exc}") from exc
    entries = (raw or {}).get("cues")
    if not isinstance(entries, list) or not entries:
        raise BalsisError(f"{path}: expected a non-empty list under 'cues'")
    definitions: list[CueDefinition] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: cue {number} ({entry.get('id', '?') if isinstance(entry, dict) else '?'})"
        if not isinstance(entry, dict) or not {"id", "label", "quadrants", "patterns"} <= set(
            entry
        ):
            raise BalsisError(f"{where}: needs id, label, quadrants and patterns")
        quadrants = {str(q): float(w) for q, w in entry["quadrants"].items()}
        if not quadrants or not set(quadrants) <= set(QUADRANTS) or min(quadrants.values()) < 0:
            raise BalsisError(f"{where}: quadrants must map S/W/O/T to weights >= 0")
        patterns = entry["patterns"]
        if not isinstance(patterns, dict) or not set(patterns) <= {"lv", "ru", "en"}:
            raise BalsisError(f"{where}: patterns must be given per language lv, ru, en")
        examples = {lang: tuple(texts) for lang, texts in (entry.get("examples") or {}).items()}
        definitions.append(
            CueDefinition(
                id=str(entry["id"]),
                label=str(entry["label"]),
                quadrants=quadrants,
                urgency=bool(entry.get("urgency", False)),
                overrides=tuple(entry.get("overrides") or ()),
                patterns=patterns,
                examples=examples,
            )
        )
    ids = [d.id for d in definitions]
    if len(set(ids)) != len(ids):
        raise BalsisError(f"{path}: cue ids must be unique")
    for definition in definitions:
        unknown = set(definition.overrides) - set(ids)
        if unknown:
            raise BalsisError(f"{path}: cue {definition.id} overrides unknown cue(s) {unknown}")
    return definitions


@functools.cache
def _vocab(language: str) -> Vocab:
    import spacy

    return spacy.blank(_SPACY_LANGUAGE[language]).vocab


class CueMatcher:
    """Find the SWOT cues of ``swot_cues.yaml`` in an idea's tokens and lemmas.

    Args:
        path: The cue file; default ``pipeline/resources/swot_cues.yaml``.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path
        self._load()

    def _load(self) -> None:
        self.definitions = load_cue_definitions(self.path)
        self._by_id = {d.id: d for d in self.definitions}
        self._matchers: dict[str, Matcher] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._load()

    @property
    def cue_ids(self) -> tuple[str, ...]:
        """Cue ids in feature order."""
        return tuple(d.id for d in self.definitions)

    def _matcher(self, language: str) -> Matcher:
        if language not in self._matchers:
            from spacy.matcher import Matcher

            matcher = Matcher(_vocab(language), validate=True)
            for definition in self.definitions:
                patterns = definition.patterns.get(language)
                if not patterns:
                    continue
                try:
                    matcher.add(definition.id, patterns, greedy="LONGEST")
                except ValueError as exc:
                    raise BalsisError(
                        f"{self.path or CUES_PATH}: cue {definition.id}, {language} patterns: {exc}"
                    ) from exc
            self._matchers[language] = matcher
        return self._matchers[language]

    def _doc(self, lemmas: Sequence[str], tokens: Sequence[str], language: str) -> Doc:
        from spacy.tokens import Doc

        words = [t if t else "_" for t in tokens]
        lemma_list = [
            str(lemma) if lemma else w.lower() for lemma, w in zip(lemmas, words, strict=True)
        ]
        return Doc(
            _vocab(language),
            words=words,
            spaces=[True] * len(words),
            lemmas=lemma_list,
            morphs=[_morph(w, lem, language) for w, lem in zip(words, lemma_list, strict=True)],
            sent_starts=[True] + [False] * (len(words) - 1),
        )

    def match(self, lemmas: Sequence[str], tokens: Sequence[str], language: str) -> list[Cue]:
        """The cues in one idea, in text order.

        Args:
            lemmas: The idea's lemmas (column ``lemmas`` of the ideas table).
            tokens: Its word tokens, aligned with ``lemmas`` (``latvian.tokenize``).
            language: Its detected language (lv, ltg, ru, en, und).

        Returns:
            One :class:`Cue` per match; a cue overridden by an overlapping one is dropped.
        """
        if len(lemmas) != len(tokens):
            raise ValueError(f"{len(lemmas)} lemmas but {len(tokens)} tokens; they must align")
        if not tokens:
            return []
        patterns = pattern_language(language)
        doc = self._doc(lemmas, tokens, patterns)
        order = {cue_id: i for i, cue_id in enumerate(self.cue_ids)}
        found = sorted(
            (
                (doc.vocab.strings[key], start, end)
                for key, start, end in self._matcher(patterns)(doc)
            ),
            key=lambda m: (m[1], m[2], order[m[0]]),
        )
        dropped: set[int] = set()
        for cue_id, start, end in found:
            overrides = self._by_id[cue_id].overrides
            if not overrides:
                continue
            for j, (other, other_start, other_end) in enumerate(found):
                if other in overrides and other_start < end and start < other_end:
                    dropped.add(j)
        cues = []
        for i, (cue_id, start, end) in enumerate(found):
            if i in dropped:
                continue
            definition = self._by_id[cue_id]
            cues.append(
                Cue(
                    id=cue_id,
                    label=definition.label,
                    words=" ".join(tokens[start:end]),
                    start=start,
                    end=end,
                    urgency=definition.urgency,
                )
            )
        return cues

    def features_from_cues(self, cues: Sequence[Cue]) -> np.ndarray:
        """A 0/1 vector over :attr:`cue_ids`: which cues fired."""
        vector = np.zeros(len(self.definitions), dtype=np.float32)
        index = {cue_id: i for i, cue_id in enumerate(self.cue_ids)}
        for cue in cues:
            vector[index[cue.id]] = 1.0
        return vector

    def features(self, lemmas: Sequence[str], tokens: Sequence[str], language: str) -> np.ndarray:
        """The cue feature vector of one idea (see :meth:`features_from_cues`)."""
        return self.features_from_cues(self.match(lemmas, tokens, language))

    def hint_matrix(self) -> np.ndarray:
        """Quadrant hints per cue: rows in :attr:`cue_ids` order, columns S W O T, summing to 1."""
        hints = np.array(
            [[d.quadrants.get(q, 0.0) for q in QUADRANTS] for d in self.definitions],
            dtype=np.float64,
        )
        totals = hints.sum(axis=1, keepdims=True)
        totals[totals == 0] = 1.0
        return hints / totals


def evidence_text(cues: Sequence[Cue]) -> str:
    """Readable evidence: one "label: words, words" per cue, joined by "; ".

    >>> evidence_text([Cue("lack", "trūkums", "nav", 0, 1), Cue("lack", "trūkums", "trūkst", 3, 4)])
    'trūkums: nav, trūkst'
    """
    grouped: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for cue in cues:
        labels[cue.id] = cue.label
        words = grouped.setdefault(cue.id, [])
        if cue.words not in words:
            words.append(cue.words)
    return "; ".join(f"{labels[c]}: {', '.join(w)}" for c, w in grouped.items())


def cue_log_hints(hints: np.ndarray, smoothing: float) -> np.ndarray:
    """Per cue and quadrant, how much a fired cue shifts the log-odds of the quadrant.

    The hint is mixed with the uniform distribution (``smoothing`` in (0, 1]) so that one cue
    never rules a quadrant out, and expressed relative to uniform: log(4 q), 0 for no opinion.
    """
    if not 0 < smoothing <= 1:
        raise ValueError(f"hint smoothing must be in (0, 1], got {smoothing}")
    mixed = (1 - smoothing) * hints + smoothing / len(QUADRANTS)
    return np.log(mixed * len(QUADRANTS))


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _check_inputs(
    embeddings: np.ndarray, cue_features: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    embeddings = np.asarray(embeddings, dtype=np.float64)
    cue_features = np.asarray(cue_features, dtype=np.float64)
    if embeddings.ndim != 2 or cue_features.ndim != 2:
        raise ValueError("embeddings and cue_features must be 2-D arrays")
    if len(embeddings) != len(cue_features):
        raise ValueError(
            f"{len(embeddings)} embedding rows but {len(cue_features)} cue feature rows"
        )
    return embeddings, cue_features


class SwotModel(Protocol):
    """What :func:`assign_swot` needs of a SWOT model."""

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray: ...


# ---------------------------------------------------------------------------------------------
# The classifier


class SwotClassifier(BaseEstimator):
    """Logistic regression on [sentence embedding, cue_weight x cue features].

    Logistic regression because the labelled set is small (hundreds of statements) against 384
    embedding dimensions: a linear model with L2 regularisation does not overfit it the way
    trees or an MLP would, trains in a second, and its weights stay readable per cue.

    The probabilities are calibrated by temperature scaling: one temperature fitted on
    out-of-fold scores. It never changes the most probable quadrant, but
    :func:`reweight_to_corpus_prior` trusts the probabilities, and an over-regularised model's
    are too flat for it.

    Args:
        C: Inverse L2 regularisation strength (scikit-learn's ``C``).
        class_weight: None or "balanced" (scikit-learn's ``class_weight``).
        cue_weight: Scale of the 0/1 cue features against the unit-length embedding; below 1
            the cues are regularised harder than the embedding.
        max_iter: Solver iterations.
        calibrate: Fit the temperature (else 1).
        calibration_folds: Folds for the out-of-fold scores of the temperature.
        random_state: Seed of the calibration folds.
    """

    def __init__(
        self,
        C: float = 10.0,
        class_weight: str | None = None,
        cue_weight: float = 1.0,
        max_iter: int = 5000,
        calibrate: bool = True,
        calibration_folds: int = 5,
        random_state: int | None = None,
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.cue_weight = cue_weight
        self.max_iter = max_iter
        self.calibrate = calibrate
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    def _design(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        return np.hstack([embeddings, self.cue_weight * cue_features])

    def _logistic(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            max_iter=self.max_iter,
            random_state=self.random_state,
        )

    def _fit_temperature(
        self, design: np.ndarray, labels: np.ndarray, sample_weight: np.ndarray | None
    ) -> float:
        """The temperature that minimises the out-of-fold log loss (1.0 if too few data)."""
        from scipy.optimize import minimize_scalar
        from scipy.special import log_softmax
        from sklearn.model_selection import StratifiedKFold

        counts = pd.Series(labels).value_counts()
        if len(counts) < 2 or counts.min() < self.calibration_folds:
            logger.debug("SwotClassifier: too few statements per quadrant to calibrate")
            return 1.0
        weights = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)
        classes = np.array(sorted(counts.index), dtype=object)
        scores = np.zeros((len(labels), len(classes)))
        folds = StratifiedKFold(
            n_splits=self.calibration_folds, shuffle=True, random_state=self.random_state
        )
        for train, test in folds.split(design, labels):
            model = self._logistic().fit(design[train], labels[train], sample_weight=weights[train])
            columns = [list(model.classes_).index(c) for c in classes]
            scores[test] = _class_scores(model, design[test])[:, columns]
        truth = np.searchsorted(classes, labels)

        def loss(log_temperature: float) -> float:
            log_p = log_softmax(scores / np.exp(log_temperature), axis=1)
            return float(-np.average(log_p[np.arange(len(labels)), truth], weights=weights))

        found = minimize_scalar(loss, bounds=(-4.0, 4.0), method="bounded")
        return float(np.exp(found.x))

    def fit(
        self,
        embeddings: np.ndarray,
        cue_features: np.ndarray,
        labels: Sequence[str],
        sample_weight: np.ndarray | None = None,
    ) -> SwotClassifier:
        """Fit on labelled statements.

        Args:
            embeddings: One unit vector per statement.
            cue_features: One cue vector per statement (:meth:`CueMatcher.features`).
            labels: Quadrant per statement: S, W, O or T.
            sample_weight: Optional weight per statement.

        Returns:
            self, fitted.
        """
        embeddings, cue_features = _check_inputs(embeddings, cue_features)
        labels = np.asarray([str(label) for label in labels], dtype=object)
        unknown = sorted(set(labels) - set(QUADRANTS))
        if unknown:
            raise ValueError(f"unknown quadrant label(s) {unknown}; expected S, W, O, T")
        if len(labels) != len(embeddings):
            raise ValueError(f"{len(labels)} labels for {len(embeddings)} statements")
        design = self._design(embeddings, cue_features)
        self.model_ = self._logistic().fit(design, labels, sample_weight=sample_weight)
        self.temperature_ = (
            self._fit_temperature(design, labels, sample_weight) if self.calibrate else 1.0
        )
        self.classes_ = np.array(QUADRANTS, dtype=object)
        # The prior the probabilities are relative to: what reweight_to_corpus_prior corrects.
        if self.class_weight == "balanced":
            self.class_prior_ = np.full(len(QUADRANTS), 1 / len(QUADRANTS))
        else:
            weights = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)
            self.class_prior_ = np.array([weights[labels == q].sum() for q in QUADRANTS])
            self.class_prior_ = self.class_prior_ / self.class_prior_.sum()
        self.n_embedding_features_ = embeddings.shape[1]
        self.n_cue_features_ = cue_features.shape[1]
        return self

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """Probabilities, columns in :data:`QUADRANTS` order (S, W, O, T)."""
        if not hasattr(self, "model_"):
            raise RuntimeError("SwotClassifier is not fitted: call fit() or load a saved model")
        embeddings, cue_features = _check_inputs(embeddings, cue_features)
        if embeddings.shape[1] != self.n_embedding_features_:
            raise ValueError(
                f"embeddings have {embeddings.shape[1]} dimensions, the classifier was trained "
                f"on {self.n_embedding_features_}: embed with the model it was trained with"
            )
        if cue_features.shape[1] != self.n_cue_features_:
            raise ValueError(
                f"{cue_features.shape[1]} cue features, the classifier was trained on "
                f"{self.n_cue_features_}: the cue file changed, retrain (train_swot)"
            )
        if len(embeddings) == 0:
            return np.zeros((0, len(QUADRANTS)))
        from scipy.special import softmax

        scores = _class_scores(self.model_, self._design(embeddings, cue_features))
        raw = softmax(scores / self.temperature_, axis=1)
        proba = np.zeros((len(embeddings), len(QUADRANTS)))
        for column, label in enumerate(self.model_.classes_):
            proba[:, QUADRANTS.index(label)] = raw[:, column]
        return proba

    def predict(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """The most probable quadrant per row."""
        return _argmax_labels(self.predict_proba(embeddings, cue_features))


def _class_scores(model: Any, design: np.ndarray) -> np.ndarray:
    """Per-class scores whose softmax is the model's probability (columns: model.classes_)."""
    scores = model.decision_function(design)
    if scores.ndim == 1:  # two classes: scikit-learn gives the score of the second
        scores = np.column_stack([np.zeros_like(scores), scores])
    return scores


def _argmax_labels(proba: np.ndarray) -> np.ndarray:
    return (
        np.array(QUADRANTS, dtype=object)[np.argmax(proba, axis=1)]
        if len(proba)
        else np.array([], dtype=object)
    )


# ---------------------------------------------------------------------------------------------
# The fallback: prototypes and cue hints


def load_prototypes(path: str | Path | None = None) -> tuple[list[str], list[str]]:
    """Read prototype statements: ``(texts, quadrants)`` in file order.

    Raises:
        BalsisError: The file is missing, not YAML, or a quadrant is missing or empty.
    """
    path = Path(path) if path is not None else PROTOTYPES_PATH
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BalsisError(f"{path}: SWOT prototype file not found") from exc
    except yaml.YAMLError as exc:
        raise BalsisError(f"{path}: not valid YAML: {exc}") from exc
    texts: list[str] = []
    quadrants: list[str] = []
    for quadrant in QUADRANTS:
        statements = (raw or {}).get(quadrant)
        if not statements:
            raise BalsisError(f"{path}: no prototype statements for quadrant {quadrant}")
        texts.extend(str(s) for s in statements)
        quadrants.extend([quadrant] * len(statements))
    return texts, quadrants


class PrototypeSwot(BaseEstimator):
    """Quadrant probabilities from relative similarity to prototype statements plus cue hints.

    E5 cosines are compressed (nearly all pairs 0.80-0.95), so absolute similarity says little.
    Each idea's cosines to all prototypes are standardised (z-scores over the prototypes), a
    quadrant scores the mean of its ``top_k`` best z-scores, and the probabilities are a softmax
    of ``score / temperature`` plus ``cue_weight`` times the cue hints' log-odds shifts.

    Args:
        temperature: Softmax temperature of the similarity scores (lower: more decisive).
        top_k: Prototypes per quadrant that count.
        cue_weight: Weight of the cue hints (0 = similarity only).
        hint_smoothing: How much each cue hint is mixed with uniform (see :func:`cue_log_hints`).
        prototypes_path: The prototype file; default ``resources/swot_prototypes.yaml``.
    """

    def __init__(
        self,
        temperature: float = 0.5,
        top_k: int = 5,
        cue_weight: float = 1.0,
        hint_smoothing: float = 0.5,
        prototypes_path: str | Path | None = None,
    ) -> None:
        self.temperature = temperature
        self.top_k = top_k
        self.cue_weight = cue_weight
        self.hint_smoothing = hint_smoothing
        self.prototypes_path = prototypes_path

    def fit(
        self,
        encoder: SentenceEncoder,
        matcher: CueMatcher,
        *,
        prompt_name: str | None = "query",
        batch_size: int = 32,
    ) -> PrototypeSwot:
        """Embed the prototype statements once and take the cue hints from ``matcher``.

        Args:
            encoder: The sentence model the ideas were embedded with.
            matcher: The cue matcher whose features :meth:`predict_proba` will get.
            prompt_name: The prompt the ideas were embedded with.
            batch_size: Texts per forward pass.
        """
        from pipeline.embed import embed_texts

        texts, quadrants = load_prototypes(self.prototypes_path)
        vectors, _ = embed_texts(
            texts, encoder, prompt_name=prompt_name, batch_size=batch_size, progress=False
        )
        return self.fit_vectors(vectors, quadrants, matcher.hint_matrix())

    def fit_vectors(
        self, prototype_embeddings: np.ndarray, quadrants: Sequence[str], cue_hints: np.ndarray
    ) -> PrototypeSwot:
        """Fit from already embedded prototypes (``quadrants`` per row) and a hint matrix."""
        if self.temperature <= 0 or self.top_k < 1:
            raise ValueError("temperature must be > 0 and top_k >= 1")
        vectors = np.asarray(prototype_embeddings, dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        quadrants = np.asarray(list(quadrants), dtype=object)
        missing = set(QUADRANTS) - set(quadrants)
        if missing:
            raise ValueError(f"no prototypes for quadrant(s) {sorted(missing)}")
        self.prototype_embeddings_ = vectors / norms
        self.prototype_quadrants_ = quadrants
        self.cue_log_hints_ = cue_log_hints(np.asarray(cue_hints), self.hint_smoothing)
        self.classes_ = np.array(QUADRANTS, dtype=object)
        return self

    def similarity_scores(self, embeddings: np.ndarray) -> np.ndarray:
        """Per idea and quadrant: mean of the top-k standardised similarities (columns S W O T)."""
        embeddings = np.asarray(embeddings, dtype=np.float64)
        similarity = embeddings @ self.prototype_embeddings_.T
        mean = similarity.mean(axis=1, keepdims=True)
        std = similarity.std(axis=1, keepdims=True)
        std[std == 0] = 1.0
        z = (similarity - mean) / std
        scores = np.zeros((len(embeddings), len(QUADRANTS)))
        for column, quadrant in enumerate(QUADRANTS):
            block = z[:, self.prototype_quadrants_ == quadrant]
            k = min(self.top_k, block.shape[1])
            scores[:, column] = np.sort(block, axis=1)[:, -k:].mean(axis=1)
        return scores

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """Probabilities, columns in :data:`QUADRANTS` order (S, W, O, T)."""
        if not hasattr(self, "prototype_embeddings_"):
            raise RuntimeError("PrototypeSwot is not fitted: call fit(encoder, matcher) first")
        embeddings, cue_features = _check_inputs(embeddings, cue_features)
        if cue_features.shape[1] != len(self.cue_log_hints_):
            raise ValueError(
                f"{cue_features.shape[1]} cue features, fitted with {len(self.cue_log_hints_)}"
            )
        if len(embeddings) == 0:
            return np.zeros((0, len(QUADRANTS)))
        logits = self.similarity_scores(embeddings) / self.temperature
        logits = logits + self.cue_weight * (cue_features @ self.cue_log_hints_)
        return _softmax(logits)

    def predict(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """The most probable quadrant per row."""
        return _argmax_labels(self.predict_proba(embeddings, cue_features))


class CueSwot(BaseEstimator):
    """Cues alone: the quadrant the fired cues' hints point to (a baseline; ignores embeddings).

    With no cue, or a tie, the ``default`` quadrant wins: needs are the most common kind of
    proposal (W).

    Args:
        hint_smoothing: How much each cue hint is mixed with uniform (see :func:`cue_log_hints`).
        default: Quadrant that wins ties.
    """

    def __init__(self, hint_smoothing: float = 0.5, default: str = "W") -> None:
        self.hint_smoothing = hint_smoothing
        self.default = default

    def fit(self, matcher: CueMatcher) -> CueSwot:
        """Take the hints of ``matcher``'s cues."""
        self.cue_log_hints_ = cue_log_hints(matcher.hint_matrix(), self.hint_smoothing)
        self.classes_ = np.array(QUADRANTS, dtype=object)
        return self

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """Probabilities, columns in :data:`QUADRANTS` order (S, W, O, T)."""
        _, cue_features = _check_inputs(np.zeros((len(cue_features), 1)), cue_features)
        logits = cue_features @ self.cue_log_hints_
        logits[:, QUADRANTS.index(self.default)] += 1e-6
        return _softmax(logits)

    def predict(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """The most probable quadrant per row."""
        return _argmax_labels(self.predict_proba(embeddings, cue_features))


# ---------------------------------------------------------------------------------------------
# Statements -> normalised text, tokens, lemmas, cues


def prepare_statements(
    texts: Sequence[str], *, restorer: latvian.DiacriticsRestorer | None = None
) -> pd.DataFrame:
    """Normalise free texts the way the ideas table is made (for the labelled set).

    Language detection, diacritics restoration for Latvian typed without them, tokens and
    lemmas, as :func:`pipeline.normalise.normalise_responses` does.

    Args:
        texts: The statements.
        restorer: A fitted diacritics restorer; by default one fitted on these texts.

    Returns:
        ``text_normalised``, ``language``, ``tokens``, ``lemmas`` per statement.
    """
    from pipeline.normalise import clean_text, detect_language, normalise_text

    cleaned = [clean_text(str(t)) for t in texts]
    languages = [detect_language(t)[0] for t in cleaned]
    if restorer is None:
        restorer = latvian.DiacriticsRestorer().fit(
            [t for t, lang in zip(cleaned, languages, strict=True) if lang == "lv"]
        )
    normalised = [
        normalise_text(t, lang, restorer) for t, lang in zip(cleaned, languages, strict=True)
    ]
    tokens = [
        latvian.tokenize(t, lemma_language(lang))
        for t, lang in zip(normalised, languages, strict=True)
    ]
    lemmas = [
        [latvian.lemmatize(w, lemma_language(lang)) for w in words]
        for words, lang in zip(tokens, languages, strict=True)
    ]
    return pd.DataFrame(
        {"text_normalised": normalised, "language": languages, "tokens": tokens, "lemmas": lemmas}
    )


def _idea_tokens(
    text: str, lemmas: Sequence[str] | None, language: str
) -> tuple[list[str], list[str]]:
    """Tokens of an idea aligned with its lemmas (recomputed if the table's do not align)."""
    code = lemma_language(language)
    tokens = latvian.tokenize(text, code)
    lemma_list = [] if lemmas is None else [str(x) for x in lemmas]
    if len(lemma_list) != len(tokens):
        lemma_list = [latvian.lemmatize(w, code) for w in tokens]
    return tokens, lemma_list


# ---------------------------------------------------------------------------------------------
# Training


def library_versions() -> dict[str, str | None]:
    """Versions of the libraries a fitted SWOT model and its features depend on."""
    versions: dict[str, str | None] = {}
    for name in ("scikit-learn", "numpy", "spacy", "simplemma", "sentence-transformers", "torch"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def train_swot(
    labelled: pd.DataFrame,
    model: SentenceEncoder | None,
    params: SwotParams,
    seed: int,
    *,
    matcher: CueMatcher | None = None,
    prompt_name: str | None = "query",
    batch_size: int = 32,
    embeddings: np.ndarray | None = None,
) -> tuple[SwotClassifier, dict[str, Any]]:
    """Cross-validate and fit the SWOT classifier on labelled statements.

    The texts go through the same normalisation as ideas (language detection, diacritics
    restoration, lemmas), then the sentence model and the cue matcher. Stratified k-fold
    cross-validation (shuffled: the file is ordered in blocks) measures the classifier; the
    returned one is fitted on all statements.

    Args:
        labelled: Columns ``text`` and ``quadrant`` (S/W/O/T); ``id``, ``language`` and
            ``style`` are optional (style and language break the scores down; statements of
            style ``svid_table`` are weighted by ``params.table_style_weight``).
        model: The sentence model the ideas are embedded with (same prompt); may be None when
            ``embeddings`` are given.
        params: The ``swot`` section of the parameters.
        seed: The shared seed (fold split and solver).
        matcher: The cue matcher; default the shipped cue file.
        prompt_name: Prompt of the sentence model (``embed.prompt_name``).
        batch_size: Texts per forward pass.
        embeddings: Precomputed embeddings of the normalised texts, rows aligned with
            ``labelled`` (skips the model).

    Returns:
        ``(classifier, report)``: the fitted classifier and a JSON-able report with the
        cross-validated scores (macro-F1, per-quadrant precision/recall/F1, confusion matrix),
        per-fold macro-F1, the data and parameters used and the library versions.

    Raises:
        BalsisError: Columns missing, labels other than S/W/O/T, or a quadrant with fewer
            statements than folds.
    """
    from sklearn.model_selection import StratifiedKFold

    from pipeline.evaluate import swot_scores

    missing = {"text", "quadrant"} - set(labelled.columns)
    if missing:
        raise BalsisError(f"labelled SWOT set: missing column(s) {', '.join(sorted(missing))}")
    labels = np.array([str(q).strip().upper() for q in labelled["quadrant"]], dtype=object)
    bad = [
        (i, q)
        for i, q in enumerate(labelled["quadrant"])
        if str(q).strip().upper() not in QUADRANTS
    ]
    if bad:
        row, value = bad[0]
        raise BalsisError(
            f"labelled SWOT set: row {row + 2} has quadrant {value!r}; use S, W, O or T "
            f"({len(bad)} such row(s))"
        )
    counts = pd.Series(labels).value_counts()
    if counts.reindex(list(QUADRANTS)).fillna(0).min() < params.cv_folds:
        raise BalsisError(
            f"labelled SWOT set: every quadrant needs at least {params.cv_folds} statements "
            f"(cv_folds); counts: {counts.to_dict()}"
        )
    matcher = matcher or CueMatcher()
    prepared = prepare_statements(list(labelled["text"]))
    if "language" in labelled.columns:
        agree = float(np.mean(prepared["language"].to_numpy() == labelled["language"].to_numpy()))
        logger.info(
            "train_swot: detected language agrees with the labelled one for %.1f%%", agree * 100
        )
    cues = [
        matcher.match(lem, tok, lang)
        for lem, tok, lang in zip(
            prepared["lemmas"], prepared["tokens"], prepared["language"], strict=True
        )
    ]
    cue_features = np.stack([matcher.features_from_cues(c) for c in cues])
    if embeddings is None:
        if model is None:
            raise ValueError("train_swot needs a sentence model or precomputed embeddings")
        from pipeline.embed import embed_texts

        embeddings, _ = embed_texts(
            list(prepared["text_normalised"]),
            model,
            prompt_name=prompt_name,
            batch_size=batch_size,
            progress=False,
        )
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if len(embeddings) != len(labelled):
        raise ValueError(f"{len(embeddings)} embeddings for {len(labelled)} labelled statements")
    weights = np.ones(len(labels))
    if "style" in labelled.columns:
        weights[labelled["style"].astype(str).to_numpy() == TABLE_STYLE] = params.table_style_weight

    def new_classifier(calibrate: bool) -> SwotClassifier:
        return SwotClassifier(
            C=params.C,
            class_weight=params.class_weight,
            cue_weight=params.cue_weight,
            max_iter=params.max_iter,
            calibrate=calibrate,
            calibration_folds=params.cv_folds,
            random_state=seed,
        )

    folds = StratifiedKFold(n_splits=params.cv_folds, shuffle=True, random_state=seed)
    predicted = np.empty(len(labels), dtype=object)
    fold_f1 = []
    for train, test in folds.split(embeddings, labels):
        # Calibration never changes the predicted quadrant, so the folds skip it.
        fitted = new_classifier(calibrate=False).fit(
            embeddings[train], cue_features[train], labels[train], sample_weight=weights[train]
        )
        predicted[test] = fitted.predict(embeddings[test], cue_features[test])
        fold_f1.append(swot_scores(predicted[test], labels[test])["macro_f1"])
    report: dict[str, Any] = {
        "cv": {
            "folds": params.cv_folds,
            "stratified": True,
            "shuffled": True,
            **swot_scores(predicted, labels),
            "fold_macro_f1": [round(f, 4) for f in fold_f1],
            "fold_macro_f1_std": round(float(np.std(fold_f1)), 4),
        },
        "n_statements": len(labels),
        "quadrant_counts": {q: int(counts.get(q, 0)) for q in QUADRANTS},
        "cue_coverage": float(np.mean(cue_features.sum(axis=1) > 0)),
        "table_style_weight": params.table_style_weight,
    }
    for column in ("style", "language"):
        if column in labelled.columns:
            groups = labelled[column].astype(str).to_numpy()
            report[f"cv_macro_f1_by_{column}"] = {
                str(g): round(
                    swot_scores(predicted[groups == g], labels[groups == g])["macro_f1"], 4
                )
                for g in sorted(set(groups))
            }
    classifier = new_classifier(calibrate=params.calibrate).fit(
        embeddings, cue_features, labels, sample_weight=weights
    )
    report.update(
        {
            "classifier": classifier.get_params(),
            "temperature": round(classifier.temperature_, 4),
            "cue_ids": list(matcher.cue_ids),
            "embedding": {"prompt_name": prompt_name, "dimension": int(embeddings.shape[1])},
            "seed": seed,
            "versions": library_versions(),
        }
    )
    logger.info(
        "train_swot: %d statements, %d-fold CV macro-F1 %.3f",
        len(labels),
        params.cv_folds,
        report["cv"]["macro_f1"],
    )
    return classifier, report


def save_swot_model(
    classifier: SwotClassifier, report: Mapping[str, Any], directory: str | Path
) -> None:
    """Write the fitted classifier (joblib, with versions.json) and ``cv_scores.json`` beside it."""
    directory = Path(directory)
    io.save_model(classifier, directory)
    io.write_json(dict(report), directory / CV_REPORT_FILE)


def load_swot_model(directory: str | Path) -> SwotClassifier:
    """Read a classifier written by :func:`save_swot_model`.

    Raises:
        BalsisError: No model there, or not a SWOT classifier.
    """
    try:
        model = io.load_model(directory)
    except FileNotFoundError as exc:
        raise BalsisError(f"{exc}; train it with train_swot (the train_swot stage)") from exc
    if not isinstance(model, SwotClassifier):
        raise BalsisError(f"{directory}: holds a {type(model).__name__}, not a SwotClassifier")
    return model


def swot_model_from_params(
    params: SwotParams,
    matcher: CueMatcher,
    *,
    model_dir: str | Path | None = None,
    encoder: SentenceEncoder | None = None,
    prompt_name: str | None = "query",
) -> SwotClassifier | PrototypeSwot:
    """The model ``assign_swot`` should use: the trained classifier, or the prototype fallback.

    Args:
        params: The ``swot`` section (``use_classifier`` decides).
        matcher: The cue matcher (the fallback takes its hints).
        model_dir: Where :func:`save_swot_model` wrote the classifier (classifier only).
        encoder: The sentence model of the ideas (fallback only: embeds the prototypes).
        prompt_name: The prompt of the ideas' embeddings (fallback only).
    """
    if params.use_classifier:
        if model_dir is None:
            raise BalsisError("swot.use_classifier is true but no classifier directory was given")
        classifier = load_swot_model(model_dir)
        report_path = Path(model_dir) / CV_REPORT_FILE
        trained_cues = (
            io.read_json(report_path).get("cue_ids") if report_path.exists() else None
        ) or [None] * classifier.n_cue_features_
        if len(trained_cues) != len(matcher.cue_ids) or (
            trained_cues[0] is not None and list(trained_cues) != list(matcher.cue_ids)
        ):
            raise BalsisError(
                f"{model_dir}: the classifier was trained with other cues than the cue file "
                "has now; retrain it (train_swot)"
            )
        return classifier
    if encoder is None:
        raise BalsisError("swot.use_classifier is false: the fallback needs the sentence model")
    return PrototypeSwot(
        temperature=params.temperature,
        top_k=params.top_k,
        cue_weight=params.fallback_cue_weight,
        hint_smoothing=params.hint_smoothing,
    ).fit(encoder, matcher, prompt_name=prompt_name)


# ---------------------------------------------------------------------------------------------
# Prior shift


def reweight_to_corpus_prior(
    proba: np.ndarray,
    train_prior: np.ndarray | None = None,
    *,
    max_iter: int = 100,
    tol: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray]:
    """Re-weight probabilities to the quadrant shares of the corpus at hand (no labels needed).

    A model trained on a balanced set gives every quadrant a 25% prior, while residents'
    proposals are mostly needs: the model then over-calls the rarer quadrants. The EM
    procedure of Saerens, Latinne and Decaestecker (2002, "Adjusting the outputs of a
    classifier to new a priori probabilities") estimates the corpus' shares from the
    probabilities themselves and rescales each row by new prior / training prior.

    Args:
        proba: Probabilities, one row per idea, columns S, W, O, T.
        train_prior: The prior the probabilities are relative to (default uniform).
        max_iter: EM iterations at most.
        tol: Stop when no share moves more than this.

    Returns:
        ``(adapted, prior)``: the re-weighted probabilities and the estimated corpus shares.
    """
    proba = np.asarray(proba, dtype=np.float64)
    k = proba.shape[1] if proba.ndim == 2 else len(QUADRANTS)
    train_prior = (
        np.full(k, 1 / k) if train_prior is None else np.asarray(train_prior, dtype=np.float64)
    )
    if len(proba) == 0:
        return proba.copy(), train_prior.copy()
    # A quadrant absent from training has prior 0; keep it at 0 rather than divide by it.
    safe_train = np.where(train_prior > 0, train_prior, 1.0)
    prior = train_prior.copy()
    adapted = proba
    for _ in range(max_iter):
        weighted = proba * (prior / safe_train)
        adapted = weighted / np.clip(weighted.sum(axis=1, keepdims=True), 1e-300, None)
        new_prior = adapted.mean(axis=0)
        converged = np.abs(new_prior - prior).max() < tol
        prior = new_prior
        if converged:
            break
    return adapted, prior


# ---------------------------------------------------------------------------------------------
# Assigning quadrants to ideas

SWOT_COLUMNS = (
    "idea_id",
    "swot",
    "swot_confidence",
    "swot_p_S",
    "swot_p_W",
    "swot_p_O",
    "swot_p_T",
    "swot_evidence",
    "urgency",
    "swot_cues",
)


def idea_cues(ideas: pd.DataFrame, matcher: CueMatcher) -> list[list[Cue]]:
    """The cues of every idea (non-answers get none)."""
    non_answer = (
        ideas["non_answer"].to_numpy(dtype=bool)
        if "non_answer" in ideas.columns
        else np.zeros(len(ideas), dtype=bool)
    )
    lemma_column = ideas["lemmas"] if "lemmas" in ideas.columns else [None] * len(ideas)
    found: list[list[Cue]] = []
    for text, language, lemmas, skip in zip(
        ideas["text_normalised"], ideas["language"], lemma_column, non_answer, strict=True
    ):
        if skip:
            found.append([])
            continue
        tokens, lemma_list = _idea_tokens(str(text), lemmas, str(language))
        found.append(matcher.match(lemma_list, tokens, str(language)))
    return found


def assign_swot(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    classifier_or_fallback: SwotModel,
    matcher: CueMatcher,
    *,
    adapt_priors: bool = True,
    adapt_min_ideas: int = 50,
) -> pd.DataFrame:
    """Give every idea a SWOT quadrant, its probabilities, the cue evidence and urgency.

    Args:
        ideas: The ideas table (``idea_id``, ``text_normalised``, ``language``, ``lemmas``,
            ``non_answer``).
        embeddings: Rows aligned with ``ideas`` (non-answer rows are ignored).
        classifier_or_fallback: A fitted :class:`SwotClassifier` or :class:`PrototypeSwot`.
        matcher: The cue matcher the model was fitted with.
        adapt_priors: Re-weight the probabilities to this corpus' quadrant shares, estimated
            without labels (see :func:`reweight_to_corpus_prior`); the estimate is in
            ``result.attrs["swot_prior"]``. Only models with calibrated posteriors and a
            ``class_prior_`` (the classifier) are adapted: on the fallback's similarity
            scores the estimate runs away to one quadrant.
        adapt_min_ideas: Fewer ideas than this are too few to estimate shares from: no
            adaptation.

    Returns:
        One row per idea: ``idea_id``, ``swot`` (S/W/O/T, "" for non-answers),
        ``swot_confidence`` (the highest probability), ``swot_p_S`` .. ``swot_p_T`` (NaN for
        non-answers), ``swot_evidence`` (e.g. "trūkums: trūkst; jā- forma: jāsalabo"),
        ``urgency`` (number of urgency cues) and ``swot_cues`` (ids of the cues that fired).
    """
    embeddings = np.asarray(embeddings)
    if len(embeddings) != len(ideas):
        raise ValueError(f"{len(embeddings)} embedding rows for {len(ideas)} ideas")
    cues = idea_cues(ideas, matcher)
    active = (
        ~ideas["non_answer"].to_numpy(dtype=bool)
        if "non_answer" in ideas.columns
        else np.ones(len(ideas), dtype=bool)
    )
    features = (
        np.stack([matcher.features_from_cues(c) for c in cues])
        if len(ideas)
        else np.zeros((0, len(matcher.cue_ids)), dtype=np.float32)
    )
    proba = np.full((len(ideas), len(QUADRANTS)), np.nan)
    prior: np.ndarray | None = None
    if active.any():
        proba[active] = classifier_or_fallback.predict_proba(embeddings[active], features[active])
        train_prior = getattr(classifier_or_fallback, "class_prior_", None)
        if adapt_priors and train_prior is not None and active.sum() >= adapt_min_ideas:
            proba[active], prior = reweight_to_corpus_prior(proba[active], train_prior)
    labels = np.full(len(ideas), "", dtype=object)
    labels[active] = _argmax_labels(proba[active])
    confidence = np.full(len(ideas), np.nan)
    confidence[active] = proba[active].max(axis=1)
    result = pd.DataFrame(
        {
            "idea_id": ideas["idea_id"].to_numpy(),
            "swot": pd.array(labels, dtype="string"),
            "swot_confidence": confidence,
        }
    )
    for column, quadrant in enumerate(QUADRANTS):
        result[f"swot_p_{quadrant}"] = proba[:, column]
    result["swot_evidence"] = pd.array([evidence_text(c) for c in cues], dtype="string")
    result["urgency"] = np.array([sum(c.urgency for c in found) for found in cues], dtype=np.int64)
    result["swot_cues"] = [list(dict.fromkeys(c.id for c in found)) for found in cues]
    if prior is not None:
        result.attrs["swot_prior"] = {
            q: round(float(p), 4) for q, p in zip(QUADRANTS, prior, strict=True)
        }
    n_active = int(active.sum())
    if n_active:
        shares = pd.Series(labels[active]).value_counts(normalize=True).round(3).to_dict()
        logger.info(
            "assign_swot: %d ideas, quadrant shares %s, %d with urgency cues",
            n_active,
            shares,
            int((result["urgency"] > 0).sum()),
        )
    return result
