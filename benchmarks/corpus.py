"""Large benchmark corpora: the bundled sample scaled up with edits.

:func:`scaled_responses` repeats the sample with small edits (a dropped word, diacritics off):
most copies are near duplicates of an original, so a run embeds and clusters about as many
distinct ideas as the sample has. :func:`varied_responses` frames every copy with a lead-in and
a closing phrase of its language and drops or swaps words, so that near-duplicate detection
keeps most of them apart: a corpus of 100,000 ideas is then about 100,000 distinct texts, as a
national consultation would be. The phrases below were written for this benchmark. Used for
timing and for the quality cost of fitting on a sample, never for quality targets.
"""

from __future__ import annotations

import random

import pandas as pd

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.script import CYRILLIC

LEADS = {
    "lv": (
        "Manuprāt,",
        "Ļoti gribētos, lai",
        "Būtu labi, ja",
        "Iesaku:",
        "Mūsu ģimene domā, ka",
        "Pēc manām domām",
        "Jau sen runājam, ka",
        "Lūdzu padomājiet:",
        "Kā seniors saku:",
        "Kā jaunietis redzu, ka",
        "Kaimiņi piekrīt:",
        "Svarīgākais ir tas, ka",
        "Vēlreiz atgādinu:",
        "Es ierosinātu, ka",
        "No savas pieredzes:",
        "Domāju, ka",
        "Pagastā visi zina:",
        "Atklāti sakot,",
        "Ja godīgi,",
        "Sapulcē runājām:",
    ),
    "ru": (
        "По-моему,",
        "Хотелось бы, чтобы",
        "Было бы хорошо, если",
        "Предлагаю:",
        "Наша семья считает, что",
        "Давно говорим, что",
        "Прошу подумать:",
        "Как пенсионер скажу:",
        "Соседи согласны:",
        "Честно говоря,",
    ),
    "en": ("In my view,", "I would suggest:", "Honestly,", "Our family thinks", "Please note:"),
}
CLOSINGS = {
    "lv": (
        "Paldies!",
        "Tas ir steidzami.",
        "To vajag jau šogad.",
        "Tā domā arī kaimiņi.",
        "Ceru uz atbalstu.",
        "Tas attiecas uz visu novadu.",
        "Īpaši ciemata centrā.",
        "Vismaz vasaras sezonā.",
        "Citādi jaunieši aizbrauks.",
        "Par to jau rakstīju pērn.",
        "Un ne tikai pilsētā.",
        "Lūdzu, ņemiet vērā.",
        "Tas būtu godīgi.",
        "Lai būtu kā citur.",
        "Gaidām jau vairākus gadus.",
        "",
    ),
    "ru": (
        "Спасибо!",
        "Это срочно.",
        "Нужно уже в этом году.",
        "Так думают и соседи.",
        "Надеюсь на поддержку.",
        "Ждём уже несколько лет.",
        "",
    ),
    "en": ("Thank you!", "It is urgent.", "Neighbours agree.", ""),
}
# English among the sample's answers: the few that use only ASCII letters and these words.
_ENGLISH = {"the", "and", "for", "please", "need", "more", "should", "would", "is", "are"}


def _language(text: str) -> str:
    if CYRILLIC.search(text):
        return "ru"
    if any(word in _ENGLISH for word in text.lower().split()):
        return "en"
    return "lv"


def scaled_responses(responses: pd.DataFrame, n_ideas: int, seed: int = 0) -> pd.DataFrame:
    """The sample repeated with small edits (a dropped word, diacritics off) to ``n_ideas`` rows.

    Each copy gets fresh ids. Used for timing only.
    """
    rng = random.Random(seed)
    rows = []
    copy = 0
    while len(rows) < n_ideas:
        for record in responses.to_dict("records"):
            text = str(record["text"])
            words = text.split(" ")
            if copy and len(words) > 3 and rng.random() < 0.5:
                del words[rng.randrange(len(words))]
            text = " ".join(words)
            if copy and rng.random() < 0.2:
                text = fold(text)
            rows.append({**record, "response_id": f"{record['response_id']}-c{copy}", "text": text})
            if len(rows) >= n_ideas:
                break
        copy += 1
    return pd.DataFrame(rows)


def varied_text(text: str, rng: random.Random) -> str:
    """``text`` cut to a random span of its words (at least 70% of them), a word dropped or two
    words swapped, framed by a lead-in and a closing of its language; a fifth of the Latvian
    ones typed without diacritics."""
    language = _language(text)
    words = text.split(" ")
    if len(words) > 6:
        keep = rng.randint(max(5, int(0.7 * len(words) + 0.5)), len(words))
        start = rng.randint(0, len(words) - keep)
        words = words[start : start + keep]
    if len(words) > 4 and rng.random() < 0.6:
        del words[rng.randrange(len(words))]
    if len(words) > 4 and rng.random() < 0.4:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    body = " ".join(words)
    lead = rng.choice(LEADS[language]) if rng.random() < 0.9 else ""
    if lead and lead[-1] not in ":,":  # a clause follows: lower-case its first letter
        body = body[:1].lower() + body[1:]
    closing = rng.choice(CLOSINGS[language])
    if closing and body[-1:] not in ".!?":
        body += "."
    varied = " ".join(filter(None, [lead, body, closing]))
    if language == "lv" and rng.random() < 0.2:
        varied = fold(varied)
    return varied


def varied_responses(responses: pd.DataFrame, n_responses: int, seed: int = 0) -> pd.DataFrame:
    """``n_responses`` copies of the sample's responses, each one edited by :func:`varied_text`
    (the first copy unchanged), with fresh ids."""
    rng = random.Random(seed)
    records = responses.to_dict("records")
    rows = []
    copy = 0
    while len(rows) < n_responses:
        for record in records:
            text = str(record["text"])
            if copy:
                text = varied_text(text, rng)
            rows.append({**record, "response_id": f"{record['response_id']}-v{copy}", "text": text})
            if len(rows) >= n_responses:
                break
        copy += 1
    return pd.DataFrame(rows)
