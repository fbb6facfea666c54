"""SWOT cues: linguistic signs of a quadrant found with spaCy's ``Matcher`` on an idea's lemmas.

The rules live in ``data/swot_cues.yaml`` (lack, debitive "jā-", need, conditional, praise,
trend verbs, urgency ...); every cue carries a Latvian label, so the cues that fired are
evidence a planner can read ("trūkums: trūkst; jā- forma: jāsalabo"). The patterns also match
a few morphological features set from the word form and its lemma
(:mod:`pipeline.lang.lv.morphology` for Latvian, a few Russian ones here).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from pipeline.errors import BalsisError
from pipeline.lang.codes import ENGLISH, LATVIAN, RUSSIAN, grammar_language
from pipeline.lang.lv import morphology
from pipeline.swot.files import CUES_PATH, read_yaml
from pipeline.swot.quadrants import QUADRANTS

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


# The cue pattern sets (a language without its own set uses the Latvian one).
_PATTERN_LANGUAGES = (LATVIAN, RUSSIAN, ENGLISH)
_SPACY_LANGUAGE = {"lv": "lv", "ru": "ru", "en": "en"}
_RU_INFINITIVE = ("ть", "ться", "ти", "тись", "чь")
_RU_PAST = re.compile(r"(л|ла|ло|ли|лся|лась|лось|лись)$")


def pattern_language(language: str) -> str:
    """The cue pattern set ("lv", "ru" or "en") used for an idea's detected language.

    Latgalian and undetermined ideas use the Latvian set (`codes.grammar_language`), and so
    does any language without a set of its own.
    """
    code = grammar_language(language)
    return code if code in _PATTERN_LANGUAGES else LATVIAN


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
        return morphology.ud_features(word, lemma)
    if patterns == "ru":
        return _ru_morph(word, lemma)
    return ""


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


def _cue_definition(entry: Any, where: str) -> CueDefinition:
    """One checked entry of the cue file (``where``: "<file>: cue <number>" for errors)."""
    where = f"{where} ({entry.get('id', '?') if isinstance(entry, dict) else '?'})"
    if not isinstance(entry, dict) or not {"id", "label", "quadrants", "patterns"} <= set(entry):
        raise BalsisError(f"{where}: needs id, label, quadrants and patterns")
    quadrants = {str(q): float(w) for q, w in entry["quadrants"].items()}
    if not quadrants or not set(quadrants) <= set(QUADRANTS) or min(quadrants.values()) < 0:
        raise BalsisError(f"{where}: quadrants must map S/W/O/T to weights >= 0")
    patterns = entry["patterns"]
    if not isinstance(patterns, dict) or not set(patterns) <= {"lv", "ru", "en"}:
        raise BalsisError(f"{where}: patterns must be given per language lv, ru, en")
    examples = {lang: tuple(texts) for lang, texts in (entry.get("examples") or {}).items()}
    return CueDefinition(
        id=str(entry["id"]),
        label=str(entry["label"]),
        quadrants=quadrants,
        urgency=bool(entry.get("urgency", False)),
        overrides=tuple(entry.get("overrides") or ()),
        patterns=patterns,
        examples=examples,
    )


def load_cue_definitions(path: str | Path | None = None) -> list[CueDefinition]:
    """Read and check the cue file.

    Raises:
        BalsisError: The file is missing, not YAML, or a cue lacks a field or names an unknown
            quadrant, language or overridden cue.
    """
    path = Path(path) if path is not None else CUES_PATH
    raw = read_yaml(path, "SWOT cue file")
    entries = (raw or {}).get("cues")
    if not isinstance(entries, list) or not entries:
        raise BalsisError(f"{path}: expected a non-empty list under 'cues'")
    definitions = [
        _cue_definition(entry, f"{path}: cue {number}") for number, entry in enumerate(entries, 1)
    ]
    ids = [d.id for d in definitions]
    if len(set(ids)) != len(ids):
        raise BalsisError(f"{path}: cue ids must be unique")
    for definition in definitions:
        unknown = set(definition.overrides) - set(ids)
        if unknown:
            raise BalsisError(f"{path}: cue {definition.id} overrides unknown cue(s) {unknown}")
    return definitions


def _cue_list(key: str, path: str | Path | None) -> tuple[str, ...]:
    """The cue ids listed under ``key`` of the cue file, each checked against its cues."""
    path = Path(path) if path is not None else CUES_PATH
    raw = read_yaml(path, "SWOT cue file") or {}
    ids = raw.get(key)
    if not isinstance(ids, list) or not ids:
        raise BalsisError(f"{path}: expected a non-empty list under '{key}'")
    known = {str(entry.get("id")) for entry in raw.get("cues") or () if isinstance(entry, dict)}
    unknown = [str(i) for i in ids if str(i) not in known]
    if unknown:
        raise BalsisError(f"{path}: {key} names unknown cue(s) {', '.join(unknown)}")
    return tuple(str(i) for i in ids)


def load_strength_cues(path: str | Path | None = None) -> tuple[str, ...]:
    """The ids under ``strength_cues`` of the cue file: the cues that license a strength (S).

    Raises:
        BalsisError: The key is missing or names a cue the file does not define.
    """
    return _cue_list("strength_cues", path)


def load_negative_cues(path: str | Path | None = None) -> tuple[str, ...]:
    """The ids under ``negative_cues``: cues saying that something is missing, bad or needed.

    An answer to a question that asks for praise (the pride frame) with one of these cues is
    not taken as praise (:func:`pipeline.swot.combine.praise_by_question`).

    Raises:
        BalsisError: The key is missing or names a cue the file does not define.
    """
    return _cue_list("negative_cues", path)


def load_deficiency_cues(path: str | Path | None = None) -> tuple[str, ...]:
    """The ids under ``deficiency_cues``: something is missing, broken or too little.

    A wish with one of these asks to mend a weakness (the ``deficiency_frame`` of a frame).

    Raises:
        BalsisError: The key is missing or names a cue the file does not define.
    """
    return _cue_list("deficiency_cues", path)


@functools.cache
def _vocab(language: str) -> Vocab:
    import spacy

    return spacy.blank(_SPACY_LANGUAGE[language]).vocab


class CueMatcher:
    """Find the SWOT cues of ``swot_cues.yaml`` in an idea's tokens and lemmas.

    Args:
        path: The cue file; default ``pipeline/swot/data/swot_cues.yaml``.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path
        self._load()

    def _load(self) -> None:
        self.definitions = load_cue_definitions(self.path)
        self.strength_cue_ids = load_strength_cues(self.path)
        self.negative_cue_ids = load_negative_cues(self.path)
        self.deficiency_cue_ids = load_deficiency_cues(self.path)
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
            tokens: Its word tokens, aligned with ``lemmas`` (``pipeline.lang.lv.tokenize``).
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
        dropped = self._overridden(found)
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

    def _overridden(self, found: Sequence[tuple[str, int, int]]) -> set[int]:
        """Positions in ``found`` (cue id, start, end) of matches an overlapping cue overrides."""
        dropped: set[int] = set()
        for cue_id, start, end in found:
            overrides = self._by_id[cue_id].overrides
            if not overrides:
                continue
            for j, (other, other_start, other_end) in enumerate(found):
                if other in overrides and other_start < end and start < other_end:
                    dropped.add(j)
        return dropped

    def _any_of(self, cue_features: np.ndarray, ids: Sequence[str]) -> np.ndarray:
        columns = [self.cue_ids.index(c) for c in ids]
        return np.asarray(cue_features).reshape(-1, len(self.cue_ids))[:, columns].sum(axis=1) > 0

    def has_strength_cue(self, cue_features: np.ndarray) -> np.ndarray:
        """Per row of cue features: whether a cue of ``strength_cues`` fired (praise, ...)."""
        return self._any_of(cue_features, self.strength_cue_ids)

    def has_negative_cue(self, cue_features: np.ndarray) -> np.ndarray:
        """Per row of cue features: whether a cue of ``negative_cues`` fired (lack, ...)."""
        return self._any_of(cue_features, self.negative_cue_ids)

    def has_deficiency_cue(self, cue_features: np.ndarray) -> np.ndarray:
        """Per row of cue features: whether a cue of ``deficiency_cues`` fired."""
        return self._any_of(cue_features, self.deficiency_cue_ids)

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
