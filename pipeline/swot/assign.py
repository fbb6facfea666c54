"""Every idea's SWOT quadrant, its four probabilities, the cue evidence and urgency.

:func:`assign_swot` runs the cue matcher on every idea and a fitted model (the classifier or
the prototype fallback) on its embedding and cues. Then, in this order: an answer without a
strength cue keeps only a fraction of its S probability
(:func:`~pipeline.swot.combine.require_praise`; an answer to a question that asks for praise
counts as praised unless it has a negative cue, :func:`~pipeline.swot.combine.praise_by_question`);
the probabilities of the answers to no question (or to a neutral one) are re-weighted to the
quadrant shares of the corpus (:func:`~pipeline.swot.priors.reweight_to_corpus_prior`; after
the praise rule, so that the estimated shares do not pull needs into S); the answers to a
framed question get their frame's prior instead (:func:`~pipeline.swot.combine.apply_frame_prior`:
a survey is several corpora, one per question, and the frame says what each question's
answers are; shares estimated over all of them would pull the praise and the wishes towards
the lacks); and an answer praised by its question alone is S
(:func:`~pipeline.swot.combine.strength_by_question`). The priority step reads the urgency.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.lang.codes import grammar_language
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.tokens import tokenize
from pipeline.swot.base import SwotModel, argmax_labels
from pipeline.swot.combine import (
    apply_frame_prior,
    frame_evidence,
    frame_priors,
    praise_by_question,
    require_praise,
    rule_out_strength,
    strength_by_question,
)
from pipeline.swot.cues import Cue, CueMatcher
from pipeline.swot.frames import NEUTRAL, load_frames, question_frames
from pipeline.swot.priors import reweight_to_corpus_prior
from pipeline.swot.quadrants import QUADRANTS

logger = logging.getLogger(__name__)

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


def _idea_tokens(
    text: str, lemmas: Sequence[str] | None, language: str
) -> tuple[list[str], list[str]]:
    """Tokens of an idea aligned with its lemmas (recomputed if the table's do not align)."""
    code = grammar_language(language)
    tokens = tokenize(text, code)
    lemma_list = [] if lemmas is None else [str(x) for x in lemmas]
    if len(lemma_list) != len(tokens):
        lemma_list = [lemmatize(w, code) for w in tokens]
    return tokens, lemma_list


def _answers(ideas: pd.DataFrame) -> np.ndarray:
    """Which ideas are answers (column ``non_answer`` false; all when there is no such column)."""
    if "non_answer" in ideas.columns:
        return ~ideas["non_answer"].to_numpy(dtype=bool)
    return np.ones(len(ideas), dtype=bool)


def idea_cues(ideas: pd.DataFrame, matcher: CueMatcher) -> list[list[Cue]]:
    """The cues of every idea (non-answers get none); a text repeated in one language is
    matched once (the matcher is the slow part of a large corpus' SVID step)."""
    lemma_column = ideas["lemmas"] if "lemmas" in ideas.columns else [None] * len(ideas)
    found: list[list[Cue]] = []
    seen: dict[tuple[str, str], list[Cue]] = {}
    for text, language, lemmas, answer in zip(
        ideas["text_normalised"], ideas["language"], lemma_column, _answers(ideas), strict=True
    ):
        if not answer:
            found.append([])
            continue
        text, language = str(text), str(language)
        if (text, language) not in seen:  # lemmas follow from the text and its language
            tokens, lemma_list = _idea_tokens(text, lemmas, language)
            seen[text, language] = matcher.match(lemma_list, tokens, language)
        found.append(list(seen[text, language]))
    return found


@dataclass(frozen=True)
class IdeaScores:
    """The per-idea part of :func:`assign_swot`, which needs no other idea.

    ``cues``: the cues of each idea; ``features``: their 0/1 features; ``raw``: the model's
    probabilities (NaN rows for non-answers). Computed in partitions elsewhere (a Dask
    cluster, :mod:`pipeline.compute.swot`) and joined in order by :func:`join_scores`.
    """

    cues: list[list[Cue]]
    features: np.ndarray
    raw: np.ndarray


def idea_scores(
    ideas: pd.DataFrame, embeddings: np.ndarray, model: SwotModel, matcher: CueMatcher
) -> IdeaScores:
    """Cues, cue features and the model's probabilities of every idea (rows of ``ideas``)."""
    embeddings = np.asarray(embeddings)
    cues = idea_cues(ideas, matcher)
    active = _answers(ideas)
    features = (
        np.stack([matcher.features_from_cues(c) for c in cues])
        if len(ideas)
        else np.zeros((0, len(matcher.cue_ids)), dtype=np.float32)
    )
    raw = np.full((len(ideas), len(QUADRANTS)), np.nan)
    if active.any():
        raw[active] = model.predict_proba(embeddings[active], features[active])
    return IdeaScores(cues, features, raw)


def join_scores(parts: Sequence[IdeaScores]) -> IdeaScores:
    """The scores of consecutive partitions of the ideas table, as one."""
    return IdeaScores(
        cues=[found for part in parts for found in part.cues],
        features=np.concatenate([part.features for part in parts]),
        raw=np.concatenate([part.raw for part in parts]),
    )


def idea_questions(ideas: pd.DataFrame) -> list[str]:
    """The question each idea answers (column ``question``; "" for all when there is none)."""
    if "question" not in ideas.columns:
        return [""] * len(ideas)
    return ["" if pd.isna(q) else str(q) for q in ideas["question"]]


def idea_frames(ideas: pd.DataFrame, overrides: Mapping[str, str] | None = None) -> list[str]:
    """The frame of the question each idea answers (neutral without a question)."""
    questions = idea_questions(ideas)
    frames = question_frames(questions, overrides)
    return [frames.get(q, NEUTRAL) for q in questions]


def _strength_ruled_out(
    features: np.ndarray, frames: Sequence[str], matcher: CueMatcher
) -> np.ndarray:
    """Rows whose frame names the cues that alone allow S (``strength_cues``) and has none."""
    definitions = load_frames()
    index = {cue_id: i for i, cue_id in enumerate(matcher.cue_ids)}
    out = np.zeros(len(frames), dtype=bool)
    for i, frame in enumerate(frames):
        allowed = definitions[frame].strength_cues
        if allowed is not None:
            out[i] = not any(features[i, index[c]] for c in allowed if c in index)
    return out


def _probabilities(
    model: SwotModel,
    raw_all: np.ndarray,
    active: np.ndarray,
    praise: tuple[np.ndarray, np.ndarray],
    adapt: np.ndarray,
    *,
    s_without_praise: float,
    adapt_priors: bool,
    adapt_min_ideas: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Probabilities of the active rows (NaN elsewhere) before the frame prior.

    Args:
        model: The fitted model (its ``class_prior_``, if any, is the start of the adaptation).
        raw_all: The model's probabilities of every row (:attr:`IdeaScores.raw`).
        praise: Per row, whether it counts as praised by its own cues, and by its own cues
            or its question (:func:`~pipeline.swot.combine.praise_by_question`).
        adapt: Rows whose probabilities are re-weighted to the corpus' quadrant shares: the
            answers to no question or to a neutral one (the frame prior stands in for the
            shares of the answers to a framed question).

    Returns:
        ``(proba, own, prior)``: the probabilities; those the answer would get by its own
        cues alone (the praise rule without the question, no adaptation), to tell whether the
        question decided; the estimated corpus shares if they were adapted.
    """
    proba = np.full((len(active), len(QUADRANTS)), np.nan)
    own = proba.copy()
    prior: np.ndarray | None = None
    if not active.any():
        return proba, own, prior
    raw = raw_all[active]
    own[active] = require_praise(raw, praise[0][active], s_without_praise)
    proba[active] = require_praise(raw, praise[1][active], s_without_praise)
    rows = active & adapt
    train_prior = getattr(model, "class_prior_", None)
    if adapt_priors and train_prior is not None and rows.sum() >= adapt_min_ideas:
        proba[rows], prior = reweight_to_corpus_prior(proba[rows], train_prior)
    return proba, own, prior


def assign_swot(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    classifier_or_fallback: SwotModel,
    matcher: CueMatcher,
    *,
    adapt_priors: bool = True,
    adapt_min_ideas: int = 50,
    s_without_praise: float = 1.0,
    frame_overrides: Mapping[str, str] | None = None,
    scores: IdeaScores | None = None,
) -> pd.DataFrame:
    """Give every idea a SWOT quadrant, its probabilities, the cue evidence and urgency.

    Args:
        ideas: The ideas table (``idea_id``, ``text_normalised``, ``language``, ``lemmas``,
            ``non_answer``).
        embeddings: Rows aligned with ``ideas`` (non-answer rows are ignored).
        classifier_or_fallback: A fitted :class:`~pipeline.swot.classifier.SwotClassifier` or
            :class:`~pipeline.swot.prototypes.PrototypeSwot`.
        matcher: The cue matcher the model was fitted with.
        adapt_priors: Re-weight the probabilities of the answers to no question or a neutral
            one to this corpus' quadrant shares, estimated without labels (see
            :func:`~pipeline.swot.priors.reweight_to_corpus_prior`); the estimate is in
            ``result.attrs["swot_prior"]``. Only models with calibrated posteriors and a
            ``class_prior_`` (the classifier) are adapted: on the fallback's similarity
            scores the estimate runs away to one quadrant.
        adapt_min_ideas: Fewer ideas than this are too few to estimate shares from: no
            adaptation.
        s_without_praise: Factor on the S probability of an answer without a strength cue
            (:func:`~pipeline.swot.combine.require_praise`; 1 changes nothing).
        frame_overrides: Question text -> frame (``swot.question_frames``); other questions
            in column ``question`` get the frame their wording shows
            (:mod:`pipeline.swot.frames`). When the question changed the quadrant (from the
            one the answer's own cues give), the evidence ends with "jautājums: <frame>".
        scores: :func:`idea_scores` of ``ideas`` computed elsewhere; None: computed here.

    Returns:
        One row per idea: ``idea_id``, ``swot`` (S/W/O/T, "" for non-answers),
        ``swot_confidence`` (the highest probability), ``swot_p_S`` .. ``swot_p_T`` (NaN for
        non-answers), ``swot_evidence`` (e.g. "trūkums: trūkst; jā- forma: jāsalabo"),
        ``urgency`` (number of urgency cues) and ``swot_cues`` (ids of the cues that fired).
    """
    embeddings = np.asarray(embeddings)
    if len(embeddings) != len(ideas):
        raise ValueError(f"{len(embeddings)} embedding rows for {len(ideas)} ideas")
    if scores is None:
        scores = idea_scores(ideas, embeddings, classifier_or_fallback, matcher)
    cues, features = scores.cues, scores.features
    active = _answers(ideas)
    frames = idea_frames(ideas, frame_overrides)
    definitions = load_frames()
    neutral = np.array([f == NEUTRAL for f in frames], dtype=bool)
    own_praise = matcher.has_strength_cue(features)
    has_praise, frame_applies = praise_by_question(
        own_praise,
        matcher.has_negative_cue(features),
        np.array([definitions[f].answers_praise for f in frames], dtype=bool),
    )
    proba, own, prior = _probabilities(
        classifier_or_fallback,
        scores.raw,
        active,
        (own_praise & frame_applies, has_praise),
        neutral,
        s_without_praise=s_without_praise,
        adapt_priors=adapt_priors,
        adapt_min_ideas=adapt_min_ideas,
    )
    # A wish to mend something missing or broken takes the lack frame (the wish rule).
    deficiency = matcher.has_deficiency_cue(features)
    frames = [
        definitions[f].deficiency_frame if d and definitions[f].deficiency_frame else f
        for f, d in zip(frames, deficiency, strict=True)
    ]
    framed = active & ~neutral & frame_applies
    if framed.any():
        priors = frame_priors([frames[i] for i in np.flatnonzero(framed)], definitions)
        proba[framed], _ = apply_frame_prior(proba[framed], priors)
    praised_by_question = active & has_praise & ~own_praise
    proba[praised_by_question] = strength_by_question(proba[praised_by_question])
    proba = rule_out_strength(proba, active & _strength_ruled_out(features, frames, matcher))
    # The question decided where the answer's own cues would have given another quadrant.
    decided = np.zeros(len(ideas), dtype=bool)
    question_rows = active & ~neutral
    decided[question_rows] = argmax_labels(proba[question_rows]) != argmax_labels(
        own[question_rows]
    )
    evidence = [evidence_text(c) for c in cues]
    for i in np.flatnonzero(decided):
        evidence[i] = "; ".join(
            e for e in (evidence[i], frame_evidence(frames[i], definitions)) if e
        )
    labels = np.full(len(ideas), "", dtype=object)
    labels[active] = argmax_labels(proba[active])
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
    result["swot_evidence"] = pd.array(evidence, dtype="string")
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
