"""Non-answers: responses that say nothing ("nav", "-", "nezinu", "не знаю", "no idea", "N/A").

Found by pattern (``data/non_answer_patterns.txt``), not by a list of whole responses: the text is
lower-cased, diacritics folded, punctuation dropped and repeated letters cut to one, and it must
then consist only of stock units ("nav idejas", "grūti pateikt", "нет идей", "don't know") and
fillers ("nu", "šobrīd", "paldies"). One word outside them ("Nav ceļu", "Nezinu, kur pieteikties
pulciņiem") makes the response an answer.
"""

from __future__ import annotations

import functools
import re

from pipeline.lang.lv.alphabet import fold
from pipeline.normalise.wordlists import data_lines

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_REPEATED = re.compile(r"(\w)\1+", re.UNICODE)
_MAX_WORDS = 10  # "Nu, šobrīd man īsti nav nekādu ideju, paldies" is 9 words


def non_answer_key(text: str) -> str:
    """The text as the patterns see it: folded, words only, runs of a repeated letter cut to one."""
    words = _NON_WORD.sub(" ", fold(text)).split()
    return " ".join(_REPEATED.sub(r"\1", word) for word in words)


@functools.cache
def _non_answer_pattern() -> re.Pattern[str]:
    """One regex: optional fillers, then a core unit, then core units or fillers, whole text."""
    units: dict[str, list[str]] = {"core": [], "filler": []}
    for line in data_lines("non_answer_patterns.txt"):
        kind, _, regex = line.partition(":")
        plain = _REPEATED.sub(r"\1", regex.strip())  # cut like the text: "viss" -> "vis"
        units[kind.strip()].append(f"(?:{plain})")
    core = "|".join(units["core"])
    any_unit = "|".join(units["core"] + units["filler"])
    fillers = "|".join(units["filler"])
    return re.compile(rf"(?:(?:{fillers}) )*(?:{core})(?: (?:{any_unit}))*")


def is_non_answer(text: str) -> bool:
    """Whether a response or idea says nothing: empty, no letters, or only stock non-answer phrases.

    Args:
        text: A response or idea, raw or cleaned.

    Returns:
        True for "", "-", "...", "Nav idejas", "nezinu", "Grūti pateikt", "Затрудняюсь ответить",
        "no idea", "N/A" and their variants without diacritics or with repeated letters; False for
        a need phrased the same way ("Nav ceļu", "Нет врача", "No idea where to report potholes").
    """
    if not any(ch.isalpha() for ch in text):
        return True
    key = non_answer_key(text)
    if not key:
        return True
    if len(key.split()) > _MAX_WORDS:
        return False
    return _non_answer_pattern().fullmatch(key) is not None
