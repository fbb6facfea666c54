"""Latvian-aware normalisation: one row per idea, flagged but never deleted.

The ideas table (``data/interim/ideas.parquet``) has one row per idea with these columns:

================  ==========================================================================
column            meaning
================  ==========================================================================
response_id       the input id of the response the idea came from
idea_id           ``<response_id>-<k>``, k = 1.. within the response
idea_index        k
n_ideas           number of ideas the response was split into
source_row        row of the input file (as a spreadsheet shows it)
text              the idea as written (span of the raw response)
text_clean        Unicode NFC, whitespace, quotes and list markers cleaned up
text_normalised   ``text_clean`` with Latvian diacritics restored where they were missing
text_folded       lower case, diacritics stripped, punctuation removed: a matching key
diacritics_restored  whether restoration changed anything
language          lv, ru, en, ltg (Latgalian) or und (no letters)
language_confidence  0..1
lemmas            lower-case lemmas of the word tokens
content_lemmas    ``lemmas`` without stop words, numbers and one-letter tokens
non_answer        "nav", "-", "nezinu", ... (kept, not clustered)
duplicate_of      idea_id of the first idea this one repeats, else <NA>
duplicate_kind    "exact" (same text but for case and spacing), "near" or <NA>
territory, group, source, date, votes, text_too_long, formula_like: carried from the response
================  ==========================================================================
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from pipeline.lang import lv as latvian
from pipeline.params import NormaliseParams

logger = logging.getLogger(__name__)

CARRIED_COLUMNS = (
    "source_row",
    "territory",
    "group",
    "source",
    "date",
    "votes",
    "text_too_long",
    "formula_like",
)

# ---------------------------------------------------------------------------------------------
# Clean-up

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u0060": "'",
        "\u00b4": "'",
    }
)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(text: str, *, keep_newlines: bool = False) -> str:
    """Unicode NFC, typographic quotes to plain ones, invisible characters out, spaces folded.

    Args:
        text: Raw text.
        keep_newlines: Keep line breaks (used before splitting lists); else they become spaces.

    Returns:
        The cleaned text. ``clean_text`` is idempotent.
    """
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n")
    text = _CONTROL.sub(" ", text)
    text = text.translate(_QUOTES)
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    if keep_newlines:
        return "\n".join(line for line in lines if line)
    return " ".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------
# Splitting a response into ideas

_BULLET = re.compile(r"^\s*(?:[-\u2013\u2014\u2022*\u00b7\u25aa>]+|\d{1,2}\s*[.)]|[a-h]\))\s*")
_INLINE_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\s*[.)]\s+(?=\S)")
_JOINERS = re.compile(
    r"\s*(?:[,;]\s*)?\b(?:un arī|kā arī|un vēl|un ari|ka ari|un vel|а также|и ещё|и еще|"
    r"and also|as well as)\b\s*",
    re.IGNORECASE,
)
_DIRECTIVE_START = re.compile(
    r"^(?:vajag|vajadzētu|vajadzetu|nepieciešams|nepieciesams|jā\w+|ja(?:sa|iz|uz|at|pie|no)\w+|"
    r"būtu|butu|varētu|varetu|trūkst|trukst|нужно|надо|необходимо|хотелось|need|please)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _strip_marker(item: str) -> str:
    return _BULLET.sub("", item, count=1).strip(" ;,")


def _split_numbered(text: str) -> list[str] | None:
    """Split "1) a 2) b" / "1. a 2. b" when the numbers run 1, 2, 3 ... in order."""
    matches = list(_INLINE_NUMBER.finditer(text))
    if len(matches) < 2:
        return None
    numbers = [int(m.group(1)) for m in matches]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))) or numbers[0] > 1:
        return None
    parts = []
    head = text[: matches[0].start()].strip()
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        parts.append(text[match.end() : end].strip(" ;,"))
    parts = [p for p in parts if p]
    if head and _words(head) > 3 and parts:
        parts.insert(0, head.rstrip(":"))
    return parts if len(parts) > 1 else None


def split_ideas(text: str, *, min_chars: int = 3) -> list[str]:
    """Split one response into ideas: bullet or numbered lists, semicolons, "un arī"-style joins.

    Args:
        text: A response as written (line breaks matter for lists).
        min_chars: Parts shorter than this are glued back onto the previous idea.

    Returns:
        The ideas, in order, each a span of the cleaned response. Never empty for non-empty
        input: a response that is not a list is one idea.
    """
    text = clean_text(text, keep_newlines=True)
    if not text:
        return [""]
    lines = text.split("\n")
    parts: list[str]
    if len(lines) > 1 and sum(bool(_BULLET.match(line)) for line in lines) >= len(lines) - 1:
        parts = [_strip_marker(line) for line in lines]
        if not _BULLET.match(lines[0]) and lines[0].rstrip().endswith(":"):
            # "Mūsu ciematā:" introduces the list: it belongs to the first item.
            parts = [f"{lines[0].strip()} {parts[1]}", *parts[2:]]
    else:
        flat = " ".join(lines)
        parts = _split_numbered(flat) or [flat]
        if len(parts) == 1:
            parts = _split_on(parts[0], re.compile(r"\s*;\s*"), min_words=2)
        if len(parts) == 1:
            parts = _split_on(parts[0], _JOINERS, min_words=2)
        if len(parts) == 1:
            parts = _split_directives(parts[0])
    merged: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if merged and (len(part) < min_chars or not _WORD.search(part)):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged or [text.replace("\n", " ")]


def _split_on(text: str, pattern: re.Pattern[str], *, min_words: int) -> list[str]:
    pieces = [p.strip(" ,;") for p in pattern.split(text)]
    pieces = [p for p in pieces if p]
    if len(pieces) > 1 and all(_words(p) >= min_words for p in pieces):
        return pieces
    return [text]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĀČĒĢĪĶĻŅŠŪŽА-ЯЁ])")


_ALSO_START = re.compile(r"^(?:arī|un arī|kā arī|un vēl|также|а также|also)\b", re.IGNORECASE)


def _split_directives(text: str) -> list[str]:
    """Split sentences that are separate requests: "Vajag X. Vajag arī Y." or "... . Arī Y."."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2 or any(_words(s) < 3 for s in sentences):
        return [text]
    if all(_DIRECTIVE_START.match(s) for s in sentences):
        return sentences
    parts = [sentences[0]]
    for sentence in sentences[1:]:
        if _ALSO_START.match(sentence):
            parts.append(sentence)
        else:
            parts[-1] = f"{parts[-1]} {sentence}"
    return parts


# ---------------------------------------------------------------------------------------------
# Non-answers

# A response says nothing when every word of it comes from this vocabulary (diacritics folded):
# "nav", "Pagaidām nav viedokļa", "nekas nenāk prātā", "всё устраивает", "N/A". A word outside
# it ("Nav ietves", "nav ko darīt") makes the response an answer.
_NON_ANSWER_WORDS = frozenset(
    latvian.fold(word)
    for word in """
    nav nekā nekas neko nezinu nezin nav nenāk neienāk prātā pagaidām viedokļa viedokļu
    viedoklis ko teikt piebilst piedāvāt pateikt grūti viss ok okey apmierina kārtībā labi
    paldies nē ne x xx xxx n a na nd atbildes komentāru bez komentāriem idejas ieteikumu
    priekšlikumu man es šobrīd vēl
    нет не знаю всё все устраивает ничего нечего сказать затрудняюсь ответить без
    комментариев ок пока идей предложений
    no none nothing idea ideas comment comments dont don t know to add i have yet
    """.split()
)
_NON_ANSWER_STRIP = re.compile(r"[\W_]+", re.UNICODE)


def is_non_answer(text: str) -> bool:
    """Whether a response or idea says nothing: empty, no letters, or a stock "nav"/"nezinu"."""
    if not any(ch.isalpha() for ch in text):
        return True
    words = _NON_ANSWER_STRIP.sub(" ", latvian.fold(text)).split()
    if not words:
        return True
    return len(words) <= 6 and all(word in _NON_ANSWER_WORDS for word in words)


# ---------------------------------------------------------------------------------------------
# Language

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LV_LETTERS = re.compile(r"[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ]")
# Latgalian spelling differs from standard Latvian in ways a short text already shows: y and ō,
# the digraph uo ("vairuok"), -eit(s) for -īt(s) ("taiseit"), -ys endings ("školys"), and
# function words such as i (un), iz (uz), nu (no), jei (jā), navar (nevar).
_LTG_WORDS = frozenset(
    "i iz nu jei kai navar navā myusu myus jyus cīms cīmā cīmu pogosts "
    "pogostā pogosta dorbs dorba lobs lobi lobu vysi vysu vysā jaunīši "
    "jaunīšim cylvāki bārni bārnu vacīm dīnys školys "
    "školuo sarunys voi cytaid cytaiž taipat tīpat".split()
)
_LTG_SPELLING = re.compile(r"y|\u014d|uo|(?<!\u0161)(?<!s)eits?$|ys$")


def _latgalian_score(tokens: Sequence[str]) -> int:
    """How many tokens look Latgalian by spelling or as Latgalian function words."""
    return sum(t in _LTG_WORDS or bool(_LTG_SPELLING.search(t)) for t in tokens)


def _looks_latvian(tokens: Sequence[str]) -> bool:
    """Whether any token is a common Latvian word (diacritics folded), for texts too short for
    a statistical guess ("nav", "parks")."""
    return any(len(token) > 1 and latvian.is_known_word(token) for token in tokens)


@lru_cache(maxsize=1)
def _langid() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["lv", "en", "lt", "et", "de", "ru"])
    return identifier


def detect_language(text: str, *, default: str = "lv") -> tuple[str, float]:
    """Guess the language of a short text: lv, ru, en or ltg (Latgalian); ``und`` if no letters.

    Script decides Russian; Latgalian is recognised by its spelling (y, ō) and function words;
    Latvian versus English comes from py3langid's shipped model restricted to nearby languages.
    Texts too short to tell fall back to ``default`` with a low confidence.

    Returns:
        ``(language, confidence)`` with confidence in [0, 1].
    """
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if cyrillic + latin == 0:
        return "und", 0.0
    if cyrillic > latin:
        return "ru", round(cyrillic / (cyrillic + latin), 3)
    tokens = [t.lower() for t in _WORD.findall(text) if not t.isdigit()]
    if not any(len(t) > 1 and t.isalpha() for t in tokens):
        return "und", 0.0
    identifier = _langid()
    guess, prob = identifier.classify(text)  # type: ignore[attr-defined]
    prob = float(prob)
    if guess == "en" and prob >= 0.9 and len(tokens) >= 4:
        return "en", round(prob, 3)
    ltg_hits = _latgalian_score(tokens)
    if ltg_hits >= 2 and ltg_hits / len(tokens) >= 0.15:
        return "ltg", round(min(1.0, 0.5 + ltg_hits / len(tokens)), 3)
    if _LV_LETTERS.search(text):
        return "lv", round(max(prob if guess == "lv" else 0.0, 0.9), 3)
    if guess == "en" and prob >= 0.9 and len(tokens) >= 2:
        return "en", round(prob, 3)
    if guess == "lv" or _looks_latvian(tokens):
        return "lv", round(prob if guess == "lv" else 0.6, 3)
    if guess == "en":
        return "en", round(prob, 3)
    return default, round(min(prob, 0.5), 3)


# ---------------------------------------------------------------------------------------------
# Duplicates


def _trigram_matrix(keys: Sequence[str]) -> sparse.csr_matrix:
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, key in enumerate(keys):
        padded = f"  {key} "
        grams = {padded[j : j + 3] for j in range(len(padded) - 2)}
        for gram in grams:
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            rows.append(i)
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(keys), max(1, len(vocabulary))))
    norms = np.sqrt(np.asarray(matrix.sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def find_duplicates(
    exact_keys: Sequence[str],
    fuzzy_keys: Sequence[str],
    *,
    threshold: float,
    skip: Sequence[bool] | None = None,
    chunk: int = 2000,
) -> tuple[list[int | None], list[str | None]]:
    """Find exact and near duplicates; each points at the first item of its group.

    Args:
        exact_keys: Keys that are equal for exact duplicates (e.g. case-folded text).
        fuzzy_keys: Keys compared by character-trigram cosine for near duplicates
            (lexical similarity of short strings, so a fixed threshold is meaningful here).
        threshold: Minimum trigram cosine for a near duplicate.
        skip: Items never marked nor used as originals (non-answers).
        chunk: Rows compared at once (bounds memory on large corpora).

    Returns:
        ``(duplicate_of, kind)``: per item the position of the first item it repeats (or None)
        and "exact"/"near"/None.
    """
    n = len(exact_keys)
    skip = list(skip) if skip is not None else [False] * n
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first_seen: dict[str, int] = {}
    exact_of: list[int | None] = [None] * n
    for i, key in enumerate(exact_keys):
        if skip[i] or not key:
            continue
        if key in first_seen:
            exact_of[i] = first_seen[key]
            union(first_seen[key], i)
        else:
            first_seen[key] = i

    candidates = [i for i in range(n) if not skip[i] and fuzzy_keys[i] and exact_of[i] is None]
    if len(candidates) > 1:
        matrix = _trigram_matrix([fuzzy_keys[i] for i in candidates])
        for start in range(0, len(candidates), chunk):
            block = matrix[start : start + chunk] @ matrix.T
            block = block.tocoo()
            for r, c, v in zip(block.row, block.col, block.data, strict=True):
                if v >= threshold and start + r > c:
                    union(candidates[start + r], candidates[c])

    duplicate_of: list[int | None] = [None] * n
    kinds: list[str | None] = [None] * n
    for i in range(n):
        if skip[i]:
            continue
        root = find(i)
        if root != i:
            duplicate_of[i] = root
            kinds[i] = "exact" if exact_keys[i] == exact_keys[root] else "near"
    return duplicate_of, kinds


# ---------------------------------------------------------------------------------------------
# The whole step

_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)


def folded_key(text: str) -> str:
    """Lower case, no diacritics, no punctuation, single spaces: the matching key."""
    return " ".join(_PUNCT.sub(" ", latvian.fold(text)).split())


def normalise_text(
    text: str, language: str, restorer: latvian.DiacriticsRestorer | None = None
) -> str:
    """Clean a text and, for Latvian typed without any diacritics, restore them.

    Text that already has Latvian diacritics is trusted as typed: restoring word by word there
    would only risk turning a correct "ka" into "kā".
    """
    cleaned = clean_text(text)
    if language == "lv" and restorer is not None and not _LV_LETTERS.search(cleaned):
        return restorer.restore(cleaned)
    return cleaned


def normalise_responses(
    responses: pd.DataFrame,
    params: NormaliseParams | None = None,
    *,
    restorer: latvian.DiacriticsRestorer | None = None,
) -> pd.DataFrame:
    """Turn the responses table (from :func:`pipeline.ingest.responses.ingest`) into the ideas table.

    Args:
        responses: One row per response with at least ``response_id`` and ``text``.
        params: Normalisation parameters (defaults if None).
        restorer: A diacritics restorer; by default one fitted on this corpus.

    Returns:
        One row per idea; columns as in the module docstring. Every response yields at least one
        row, so ``set(ideas.response_id) == set(responses.response_id)``.
    """
    params = params or NormaliseParams()
    records: list[dict[str, object]] = []
    for response in responses.itertuples(index=False):
        raw = str(response.text) if isinstance(response.text, str) else ""
        ideas = split_ideas(raw, min_chars=params.min_idea_chars) if params.split_ideas else [raw]
        if is_non_answer(clean_text(raw)):
            ideas = [raw]
        for k, idea in enumerate(ideas, start=1):
            record: dict[str, object] = {
                "response_id": response.response_id,
                "idea_id": f"{response.response_id}-{k}",
                "idea_index": k,
                "n_ideas": len(ideas),
                "text": idea if len(ideas) > 1 else raw,
                "text_clean": clean_text(idea),
            }
            for column in CARRIED_COLUMNS:
                if column in responses.columns:
                    record[column] = getattr(response, column)
            records.append(record)
    ideas_table = pd.DataFrame.from_records(records)
    if ideas_table.empty:
        raise ValueError("normalise: the responses table has no rows")

    detected = [detect_language(t) for t in ideas_table["text_clean"]]
    ideas_table["language"] = [lang for lang, _ in detected]
    ideas_table["language_confidence"] = [conf for _, conf in detected]
    allowed = set(params.languages) | {"und"}
    unknown = ~ideas_table["language"].isin(allowed)
    if unknown.any():
        ideas_table.loc[unknown, "language_confidence"] = 0.0
        ideas_table.loc[unknown, "language"] = params.languages[0]

    if params.restore_diacritics and restorer is None:
        is_lv = ideas_table["language"].eq("lv")
        restorer = latvian.DiacriticsRestorer().fit(ideas_table.loc[is_lv, "text_clean"])
    ideas_table["text_normalised"] = [
        normalise_text(text, lang, restorer if params.restore_diacritics else None)
        for text, lang in zip(ideas_table["text_clean"], ideas_table["language"], strict=True)
    ]
    ideas_table["diacritics_restored"] = ideas_table["text_normalised"].ne(
        ideas_table["text_clean"]
    )
    ideas_table["text_folded"] = [folded_key(t) for t in ideas_table["text_normalised"]]

    lemma_lists, content_lists = [], []
    for text, lang in zip(ideas_table["text_normalised"], ideas_table["language"], strict=True):
        lemma_lang = "lv" if lang in ("ltg", "und") else lang
        lemmas = latvian.lemmas(text, lemma_lang)
        stops = latvian.stop_words(lemma_lang)
        lemma_lists.append(lemmas)
        content_lists.append(
            [w for w in lemmas if w not in stops and len(w) > 1 and not w.isdigit()]
        )
    ideas_table["lemmas"] = lemma_lists
    ideas_table["content_lemmas"] = content_lists

    ideas_table["non_answer"] = [is_non_answer(t) for t in ideas_table["text_clean"]]
    exact_keys = [" ".join(t.casefold().split()) for t in ideas_table["text_clean"]]
    dup_of, kinds = find_duplicates(
        exact_keys,
        list(ideas_table["text_folded"]),
        threshold=params.near_duplicate_threshold,
        skip=list(ideas_table["non_answer"]),
    )
    idea_ids = ideas_table["idea_id"].tolist()
    ideas_table["duplicate_of"] = pd.array(
        [idea_ids[j] if j is not None else None for j in dup_of], dtype="string"
    )
    ideas_table["duplicate_kind"] = pd.array(kinds, dtype="string")

    logger.info(
        "normalise: %d responses -> %d ideas (%d non-answers, %d duplicates, %d restored)",
        len(responses),
        len(ideas_table),
        int(ideas_table["non_answer"].sum()),
        int(ideas_table["duplicate_of"].notna().sum()),
        int(ideas_table["diacritics_restored"].sum()),
    )
    column_order = [
        "response_id",
        "idea_id",
        "idea_index",
        "n_ideas",
        "source_row",
        "text",
        "text_clean",
        "text_normalised",
        "text_folded",
        "diacritics_restored",
        "language",
        "language_confidence",
        "lemmas",
        "content_lemmas",
        "non_answer",
        "duplicate_of",
        "duplicate_kind",
        "territory",
        "group",
        "source",
        "date",
        "votes",
        "text_too_long",
        "formula_like",
    ]
    return ideas_table[[c for c in column_order if c in ideas_table.columns]]
