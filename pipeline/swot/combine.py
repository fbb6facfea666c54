"""What an answer's context adds to the classifier: the praise rule and the question's frame.

* :func:`require_praise`: S needs an explicit positive evaluation of something that exists.
  An answer without a strength cue (praise, a positive word, "no problems", something built or
  working, "mums ir") keeps only a fraction of its S probability: "Pasākumi", "Darba iespējas"
  or "Vairāk info" are needs (W or O), never strengths.
* :func:`praise_by_question`: an answer to a question that asks for praise ("Ar ko jūs
  lepojaties?") is itself a positive evaluation, unless it has a negative cue.
  Such an answer is S (:func:`strength_by_question`). A question that asks for needs (lack,
  wish) lets an answer be S only with clear praise (:func:`rule_out_strength`).
* :func:`apply_frame_prior`: the frame of the question an answer replies to
  (:mod:`pipeline.swot.frames`) multiplies the probabilities, which are renormalised, so the
  frame decides when the answer itself is undecided and an answer's own strong cue overturns it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from pipeline.swot.frames import EVIDENCE_PREFIX, NEUTRAL, FrameDefinition
from pipeline.swot.quadrants import QUADRANTS

_S = QUADRANTS.index("S")


def _renormalised(proba: np.ndarray) -> np.ndarray:
    return proba / np.clip(proba.sum(axis=1, keepdims=True), 1e-300, None)


def require_praise(proba: np.ndarray, has_praise: np.ndarray, factor: float) -> np.ndarray:
    """Multiply the S probability of rows without a strength cue by ``factor``, renormalise.

    Args:
        proba: Probabilities, one row per answer, columns S, W, O, T.
        has_praise: Per row, whether a strength cue fired
            (:meth:`~pipeline.swot.cues.CueMatcher.has_strength_cue`).
        factor: 1 changes nothing; 0 rules S out without a strength cue.

    Returns:
        The new probabilities (rows with a strength cue unchanged).
    """
    proba = np.array(proba, dtype=np.float64)
    rows = ~np.asarray(has_praise, dtype=bool)
    if factor == 1 or not rows.any():
        return proba
    proba[rows, _S] *= factor
    proba[rows] = _renormalised(proba[rows])
    return proba


def praise_by_question(
    has_strength: np.ndarray, has_negative: np.ndarray, answers_praise: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which answers count as praised, and which of them a praise question's prior fits.

    A question that asks for praise ("Ar ko jūs lepojaties?", a frame with ``answers_praise``)
    is itself the positive evaluation: its answers "Bibliotēka", "Cilvēki" name what residents
    value without a praise word of their own. Such an answer counts as praised unless it has a
    negative cue ("Nav ar ko lepoties", "Skola slēgta"); an answer with one says the opposite
    of what was asked, so the frame's prior is not applied to it, and a praise word in it
    echoes the question ("lepoties") and does not count either.

    Args:
        has_strength: Per row, whether a strength cue fired.
        has_negative: Per row, whether a negative cue fired
            (:meth:`~pipeline.swot.cues.CueMatcher.has_negative_cue`).
        answers_praise: Per row, whether the row's question asks for praise.

    Returns:
        ``(has_praise, frame_applies)``: per row, whether it counts as having a strength cue
        (for :func:`require_praise`), and whether its question's prior is applied.
    """
    strength = np.asarray(has_strength, dtype=bool)
    negative = np.asarray(has_negative, dtype=bool)
    asks = np.asarray(answers_praise, dtype=bool)
    opposite = asks & negative
    return (strength & ~opposite) | (asks & ~negative), ~opposite


def strength_by_question(proba: np.ndarray) -> np.ndarray:
    """S for answers to a question that asks for praise: raise S to the largest other quadrant.

    The classifier learnt that a bare noun phrase ("Bibliotēka", "Stadions") is a need,
    because without a question it is one; answering "Ar ko jūs lepojaties?" it names what
    residents value. The S probability of such an answer (one with no negative cue, see
    :func:`praise_by_question`) is raised to the largest of the others, so that S is its
    quadrant (ties go to S, the first column), then the row is renormalised: its confidence
    then shows how little the answer's own words said so.
    """
    proba = np.array(proba, dtype=np.float64)
    if len(proba) == 0:
        return proba
    proba[:, _S] = proba.max(axis=1)
    return _renormalised(proba)


def rule_out_strength(proba: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Set the S probability of ``rows`` to 0 and renormalise them (the others unchanged).

    For answers whose question rules S out unless the answer clearly praises: a wish ("Drošs
    un tīrs pagasts" describes the wished state) or a lack ("Labu ceļu" is what is missing).
    """
    proba = np.array(proba, dtype=np.float64)
    rows = np.asarray(rows, dtype=bool)
    if rows.any():
        proba[rows, _S] = 0.0
        proba[rows] = _renormalised(proba[rows])
    return proba


def frame_priors(frames: Sequence[str], definitions: Mapping[str, FrameDefinition]) -> np.ndarray:
    """One prior row (S, W, O, T) per answer from the frame of its question."""
    if not len(frames):
        return np.zeros((0, len(QUADRANTS)))
    return np.stack([definitions[f].prior for f in frames])


def apply_frame_prior(proba: np.ndarray, priors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Combine probabilities with frame priors: p(q) x prior(q) / 0.25, renormalised.

    A uniform prior (the neutral frame) changes nothing.

    Returns:
        ``(combined, decided)``: the new probabilities and, per row, whether the frame changed
        the most probable quadrant.
    """
    proba = np.asarray(proba, dtype=np.float64)
    if len(proba) == 0:
        return proba.copy(), np.zeros(0, dtype=bool)
    combined = _renormalised(proba * np.asarray(priors, dtype=np.float64))
    decided = combined.argmax(axis=1) != proba.argmax(axis=1)
    return combined, decided


def frame_evidence(frame: str, definitions: Mapping[str, FrameDefinition]) -> str:
    """The evidence a frame adds when it decided: ``"jautājums: trūkums"`` ("" for neutral)."""
    label = definitions[frame].label
    return f"{EVIDENCE_PREFIX}: {label}" if frame != NEUTRAL and label else ""
