"""What an answer's context adds to the classifier: the praise rule and the question's frame.

* :func:`require_praise`: S needs an explicit positive evaluation of something that exists.
  An answer without a strength cue (praise, a positive word, "no problems", something built or
  working, "mums ir") keeps only a fraction of its S probability: "Pasākumi", "Darba iespējas"
  or "Vairāk info" are needs (W or O), never strengths.
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
