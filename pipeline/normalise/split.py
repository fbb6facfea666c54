"""Splitting one response into its ideas: lists, semicolons, "un arī" joins, separate requests."""

from __future__ import annotations

import re

from pipeline.lang.lv.alphabet import MODERN_DIACRITIC_LETTERS
from pipeline.normalise.clean import WORD, clean_text

_BULLET = re.compile(r"^\s*(?:[-\u2013\u2014\u2022*\u00b7\u25aa>]+|\d{1,2}\s*[.)]|[a-h]\))\s*")
_INLINE_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\s*[.)]\s+(?=\S)")
# "a) ... b) ...", also "а) ... б) ..." in Russian: the letter starts the text or follows a
# space or a separator, so "(a)" and "3.b)" in running text are no markers.
_LETTERS = ("abcdefgh", "абвгдежз")
_INLINE_LETTER = re.compile(r"(?:(?<=[\s;,])|^)([a-hа-з])\)\s*(?=\S)", re.IGNORECASE)
# "a) x un b) y": the word that joins two items is no part of either; an item that is only
# such a word ("variants a) vai b)") means the letters are named in running text.
_CONNECTIVES = frozenset({"un", "vai", "arī", "ar", "kā", "and", "or", "и", "или", "а"})
_INLINE_BULLET = re.compile(r"\s*[\u2022\u25aa\u25cf\u25e6\u2023]\s*")
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
_SENTENCE_END = re.compile(rf"(?<=[.!?])\s+(?=[A-Z{MODERN_DIACRITIC_LETTERS.upper()}А-ЯЁ])")
_ALSO_START = re.compile(r"^(?:arī|un arī|kā arī|un vēl|также|а также|also)\b", re.IGNORECASE)


def _words(text: str) -> int:
    return len(WORD.findall(text))


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


def _with_head(head: str, items: list[str]) -> list[str]:
    """Put the words before an inline list back: a long one is an idea of its own, a short
    introduction ("Vajag:") belongs to the first item."""
    head = head.strip(" ;,")
    if not head:
        return items
    if _words(head) > 3:
        return [head.rstrip(":"), *items]
    return [f"{head} {items[0]}", *items[1:]]


def _split_lettered(text: str) -> list[str] | None:
    """Split "a) x b) y" / "a) x; b) y" when the letters run a, b, c ... from "a" in order."""
    matches = list(_INLINE_LETTER.finditer(text))
    if len(matches) < 2:
        return None
    letters = [m.group(1).lower() for m in matches]
    alphabet = next((abc for abc in _LETTERS if letters[0] in abc), "")
    if "".join(letters) != alphabet[: len(letters)]:
        return None
    items = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        words = text[match.end() : end].strip(" ;,").split(" ")
        if len(words) > 1 and words[-1].casefold() in _CONNECTIVES:
            words.pop()
        items.append(" ".join(words).strip(" ;,"))
    if any(item.casefold() in _CONNECTIVES for item in items):
        return None
    items = [item for item in items if WORD.search(item)]
    if len(items) < 2:
        return None
    return _with_head(text[: matches[0].start()], items)


def _split_bullets(text: str) -> list[str] | None:
    """Split "• x • y" (and "x • y") written on one line; a lone leading "•" is no list."""
    head, *items = (piece.strip(" ;,") for piece in _INLINE_BULLET.split(text))
    items = [item for item in items if WORD.search(item)]
    if not items or (len(items) < 2 and not WORD.search(head)):
        return None
    if head.endswith(":"):
        return _with_head(head, items)
    return [head, *items] if WORD.search(head) else items


def split_ideas(text: str, *, min_chars: int = 3) -> list[str]:
    """Split one response into ideas: bullet, numbered or lettered lists (also within a line),
    semicolons, "un arī"-style joins.

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
        parts = _split_numbered(flat) or _split_lettered(flat) or _split_bullets(flat) or [flat]
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
        if merged and (len(part) < min_chars or not WORD.search(part)):
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
