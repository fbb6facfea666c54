"""Question frames: what a survey question asks for, read from its wording.

Every question gets one frame: ``lack`` (what is missing, a problem), ``wish`` (a wish, an
idea, a proposal), ``pride`` (what residents like or are proud of), ``worry`` (a fear, a risk)
or ``neutral``. The frame is a prior for the SWOT quadrant of the answers
(:func:`pipeline.swot.combine.apply_frame_prior`). The cue words, the priors and the labels the
evidence shows are data: ``data/question_frames.yaml``.

Cues are matched on the question's words with Latvian diacritics folded and in lower case,
by lemma (:func:`pipeline.lang.lv.lemmatizer.lemmatize`), by stem (the word's beginning, which
also catches forms typed without diacritics) and by phrase.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import BalsisError
from pipeline.lang.codes import ENGLISH, LATVIAN, RUSSIAN
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.tokens import tokenize
from pipeline.lang.script import CYRILLIC
from pipeline.swot.files import FRAMES_PATH, read_yaml
from pipeline.swot.quadrants import QUADRANTS

FRAMES: tuple[str, ...] = ("lack", "wish", "pride", "worry", "neutral")
NEUTRAL = "neutral"
# What the evidence of an answer says before the frame's label ("jautājums: trūkums").
EVIDENCE_PREFIX = "jautājums"


@dataclass(frozen=True)
class FrameCues:
    """The cue words of one frame in one language, folded to lower case without diacritics."""

    lemmas: frozenset[str]
    stems: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FrameDefinition:
    """One frame of ``question_frames.yaml``.

    Attributes:
        name: lack, wish, pride, worry or neutral.
        label: What the evidence says when the frame decided ("trūkums"); "" for neutral.
        prior: Quadrant prior, columns in :data:`~pipeline.swot.quadrants.QUADRANTS` order,
            summing to 1.
        cues: Cue words per language (lv, ru, en).
        answers_praise: The question itself asks for praise (the pride frame): an answer
            counts as having a strength cue unless a negative cue fires
            (:func:`pipeline.swot.combine.praise_by_question`).
        deficiency_frame: The frame whose prior an answer with a deficiency cue (something
            missing, broken, too little) takes instead of this one's; "" for none. The wish
            frame's is lack: a wish to mend a weakness is W.
        strength_cues: The cues that alone let an answer to this question be S (None: any
            strength cue of the cue file; the lack frame: clear praise only, so "Labu ceļu"
            names what is missing; the wish frame: none, a wish is never S). An answer with
            none of them is not S (:func:`pipeline.swot.combine.rule_out_strength`).
    """

    name: str
    label: str
    prior: np.ndarray
    cues: Mapping[str, FrameCues]
    answers_praise: bool = False
    deficiency_frame: str = ""
    strength_cues: tuple[str, ...] | None = None


def _folded(words: Iterable[Any]) -> list[str]:
    return [fold(str(w)) for w in words]


def _frame_cues(raw: Any) -> FrameCues:
    raw = raw or {}
    return FrameCues(
        lemmas=frozenset(_folded(raw.get("lemmas") or ())),
        stems=tuple(sorted(_folded(raw.get("stems") or ()), key=len, reverse=True)),
        phrases=tuple(tuple(_folded(p)) for p in raw.get("phrases") or () if p),
    )


def _frame_definition(name: str, raw: Any, where: str) -> FrameDefinition:
    if not isinstance(raw, dict) or "prior" not in raw:
        raise BalsisError(f"{where}: frame {name} needs a prior")
    prior = raw["prior"]
    if not isinstance(prior, dict) or set(prior) != set(QUADRANTS):
        raise BalsisError(f"{where}: frame {name}: prior must give S, W, O and T")
    values = np.array([float(prior[q]) for q in QUADRANTS])
    if values.min() <= 0:
        raise BalsisError(f"{where}: frame {name}: prior weights must be above 0")
    cues = raw.get("cues") or {}
    unknown = set(cues) - {LATVIAN, RUSSIAN, ENGLISH}
    if unknown:
        raise BalsisError(f"{where}: frame {name}: cues for unknown language(s) {unknown}")
    return FrameDefinition(
        name=name,
        label=str(raw.get("label") or ""),
        prior=values / values.sum(),
        cues={lang: _frame_cues(c) for lang, c in cues.items()},
        answers_praise=bool(raw.get("answers_praise", False)),
        deficiency_frame=str(raw.get("deficiency_frame") or ""),
        strength_cues=(
            None if raw.get("strength_cues") is None else tuple(map(str, raw["strength_cues"]))
        ),
    )


@functools.cache
def load_frames(path: str | Path | None = None) -> dict[str, FrameDefinition]:
    """Read and check the frame file (default ``pipeline/swot/data/question_frames.yaml``).

    Raises:
        BalsisError: The file is missing or not YAML, a frame is missing or unknown, a prior
            does not give every quadrant a weight above 0, or a deficiency_frame is no frame.
    """
    where = Path(path) if path is not None else FRAMES_PATH
    raw = (read_yaml(where, "question frame file") or {}).get("frames")
    if not isinstance(raw, dict) or set(raw) != set(FRAMES):
        raise BalsisError(f"{where}: 'frames' must define exactly {', '.join(FRAMES)}")
    frames = {name: _frame_definition(name, raw[name], str(where)) for name in FRAMES}
    for name, definition in frames.items():
        if definition.deficiency_frame and definition.deficiency_frame not in FRAMES:
            raise BalsisError(
                f"{where}: frame {name}: deficiency_frame {definition.deficiency_frame!r} is "
                f"no frame; use one of {', '.join(FRAMES)}"
            )
    return frames


def _languages(text: str) -> tuple[str, ...]:
    """Cue languages to try: Russian for Cyrillic text, else Latvian and English."""
    return (RUSSIAN,) if CYRILLIC.search(text) else (LATVIAN, ENGLISH)


def _stem_matches(word: str, stem: str) -> bool:
    return word == stem[:-1] if stem.endswith("$") else word.startswith(stem)


def _phrase_at(words: Sequence[str], start: int, phrase: Sequence[str]) -> bool:
    end = start + len(phrase)
    return end <= len(words) and all(
        _stem_matches(w, s) for w, s in zip(words[start:end], phrase, strict=True)
    )


def frame_votes(question: str, frames: Mapping[str, FrameDefinition] | None = None) -> Counter[str]:
    """How many cue words of each frame a question has.

    >>> dict(frame_votes("Kas jūsu ciemā visvairāk pietrūkst?"))
    {'lack': 1}
    """
    frames = frames if frames is not None else load_frames()
    votes: Counter[str] = Counter()
    for language in _languages(question):
        tokens = tokenize(question, language)
        words = _folded(tokens)
        lemmas = [fold(lemmatize(t, language)) for t in tokens]
        used = [False] * len(words)
        for name, definition in frames.items():
            cues = definition.cues.get(language)
            if cues is None:
                continue
            for phrase in cues.phrases:
                for start in range(len(words)):
                    if not any(used[start : start + len(phrase)]) and _phrase_at(
                        words, start, phrase
                    ):
                        votes[name] += 1
                        used[start : start + len(phrase)] = [True] * len(phrase)
        for i, (word, lemma) in enumerate(zip(words, lemmas, strict=True)):
            if used[i] or not any(ch.isalpha() for ch in word):
                continue
            best: tuple[int, str] | None = None
            for name, definition in frames.items():
                cues = definition.cues.get(language)
                if cues is None:
                    continue
                stem = next((s for s in cues.stems if _stem_matches(word, s)), None)
                if stem is not None and (best is None or len(stem) > best[0]):
                    best = (len(stem), name)
            if best is None:
                best = next(
                    (
                        (0, name)
                        for name, definition in frames.items()
                        if language in definition.cues and lemma in definition.cues[language].lemmas
                    ),
                    None,
                )
            if best is not None:
                votes[best[1]] += 1
    return votes


def detect_frame(question: str, frames: Mapping[str, FrameDefinition] | None = None) -> str:
    """The frame of a question: the one with the most cue words; a tie or no cue is neutral.

    >>> detect_frame("Kas jums patīk un kas nepatīk?")
    'neutral'
    >>> detect_frame("Ar ko jūs lepojaties savā pagastā?")
    'pride'
    """
    votes = frame_votes(question, frames)
    if not votes:
        return NEUTRAL
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return NEUTRAL
    return ranked[0][0]


def question_frames(
    questions: Iterable[str], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The frame of every distinct question; ``overrides`` (``swot.question_frames``) win.

    An empty question (an answer with no question given) is neutral.

    Raises:
        BalsisError: An override names a frame other than lack, wish, pride, worry, neutral.
    """
    overrides = dict(overrides or {})
    bad = {q: f for q, f in overrides.items() if f not in FRAMES}
    if bad:
        question, frame = next(iter(bad.items()))
        raise BalsisError(
            f"swot.question_frames: {question!r} has frame {frame!r}; use one of "
            f"{', '.join(FRAMES)}"
        )
    found: dict[str, str] = {}
    for question in questions:
        text = "" if question is None else str(question)
        if text in found:
            continue
        if text in overrides:
            found[text] = overrides[text]
        else:
            found[text] = detect_frame(text) if text.strip() else NEUTRAL
    return found
