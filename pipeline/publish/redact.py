"""Replace personal identifiers in text meant for publication with Latvian placeholders.

Residents sometimes leave e-mails, phone numbers, personal codes or account numbers in their
proposals (and in the territory, group or source columns). Everything published passes
:mod:`pipeline.publish.boundary`, which calls :func:`redact_text` on every text cell; internal
artefacts keep the raw text.

False positives destroy a proposal, so every pattern is narrow: a number becomes a phone only
in a Latvian phone layout, a card only when it passes the Luhn check, a personal code only when
it starts with a real date (or with 32, the newer form). Vehicle plates and addresses are left
alone on purpose: "ES 2027" or "LV-1050" look like plates, and street names are content.
Names of people are not detected.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial

import numpy as np
import pandas as pd

__all__ = ["PLACEHOLDERS", "leaked_identifiers", "redact_frame", "redact_text"]

log = logging.getLogger(__name__)

PLACEHOLDERS: dict[str, str] = {
    "email": "[e-pasts]",
    "phone": "[tālrunis]",
    "personal_code": "[personas kods]",
    "iban": "[konta nr.]",
    "card": "[kartes nr.]",
}

# "@" or an obfuscated one: "[at]", "(at)", "{at}", "(@)", with optional spaces around. Diacritics
# restoration may have turned "(at)" into "(āt)" in a derived text, which is published too.
_AT = r"(?:\s*[\[({]\s*(?:[aā]t|@)\s*[\])}]\s*|@)"
# "." or an obfuscated one: "[dot]", "(punkts)".
_DOT = r"(?:\s*[\[({]\s*(?:d[oō]t|punkts)\s*[\])}]\s*|\.)"
# local@label.label.tld; \w keeps "vārds" and Cyrillic locals; the TLD is letters only.
_EMAIL = re.compile(rf"[\w.+-]*\w{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,24}}\b", re.I)

# Latvian IBAN: LV + 2 check digits + 4-letter bank code + 13 characters, in groups of 4 or not.
_IBAN_LV = re.compile(r"\bLV\d{2} ?[A-Z]{4}(?: ?[A-Z0-9]{4}){3} ?[A-Z0-9](?![A-Z0-9])", re.I)
# Any other IBAN (upper case, grouped in 4 or not); accepted only if it passes mod-97.
_IBAN_OTHER = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?\d{1,3})?\b")

# Card numbers: 13-19 digits in one run, or 4-4-4-4(-3) / 4-6-5 with one kind of separator.
_CARD = re.compile(
    r"(?<!\d)(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{4}([ -])\d{6}\2\d{5})(?!\d)"
)
_CARD_ISSUER = re.compile(r"[3-6]|2[2-7]")  # Amex/Visa/Mastercard/Discover/Mastercard 2-series

# Personal codes: DDMMYY-CNNNN (C = century: 0 1800s, 1 1900s, 2 2000s) or 32NNNN-NNNNN.
_DASH = r"[-‐‑–]"
_PERSONAL_CODE = re.compile(
    rf"(?<!\d)(?<!\d[.,/-])(?:32\d{{4}}(?:{_DASH}| )?\d{{5}}"
    rf"|(\d{{2}})(\d{{2}})(\d{{2}})(?:{_DASH}| )?([012])\d{{4}})(?![\d]|[.,/-]\d)"
)

# Phones. Latvian with a country code: (+371), +371, 00371 or a bare 371 before 2/6, then 8 digits
# in any grouping; any other "+" number of 8-15 digits. Without a country code only 8 digits
# starting with 2 (mobile) or 6 (landline) in the usual layouts count: 29123456, 29 123 456,
# 29-123-456, 2912 3456, 2912-3456, 29 12 34 56.
_LV_PREFIX = r"(?:\(\s*(?:\+|00)\s?371\s*\)|(?<!\d)(?:\+|00)\s?371|(?<!\d)371(?=[ -]?[26]))"
_PHONE_INTL = re.compile(
    rf"{_LV_PREFIX}[ -]?\d(?:[ -]?\d){{7}}(?!\d)|\+(?!\s?371)\d(?:[ ()-]{{0,2}}\d){{7,14}}(?!\d)"
)
_PHONE_LOCAL = re.compile(
    r"(?<!\d)(?<!\d[.,/:-])(?<!\+)[26]"
    r"(?:\d{7}|\d[ -]\d{3}[ -]\d{3}|\d{3}[ -]\d{4}|\d(?:[ -]\d\d){3})"
    r"(?![\d]|[.,/:-]\d)"
)
# Numbers followed by a currency or "%" are amounts ("25 000 000 EUR"), not phones.
_CURRENCY_AFTER = re.compile(r"\s*(?:€|%|\$|(?:eur|eiro|euro|usd|евро|руб\w*)\b)", re.I)
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\D+(?:19|20)\d\d")  # "2026 2027" is two years
_EIGHT_DIGITS = re.compile(r"\d{4}[ -]?\d{4}")
# Two round hundreds ("2000-3000 iedzīvotāju", "2500 3000") are a range or two amounts.
_ROUND_PAIR = re.compile(r"\d\d00[ -]\d\d00")
# A short digit group just before means the match is the tail of a longer grouped number
# ("4532 0177 6603 4817", a card number that failed the Luhn check), not a phone.
_GROUP_BEFORE = re.compile(r"(?<!\d)\d{1,4}[ -]$")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _iban_ok(compact: str) -> bool:
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _is_iban(match: re.Match[str]) -> bool:
    return _iban_ok(match.group().replace(" ", "").upper())


def _is_card(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group())
    return bool(_CARD_ISSUER.match(digits)) and _luhn_ok(digits)


def _is_personal_code(match: re.Match[str]) -> bool:
    if match.group(1) is None:  # the 32NNNN form carries no date
        return True
    day, month, year, century = (int(match.group(i)) for i in range(1, 5))
    try:
        dt.date(1800 + 100 * century + year, month, day)
    except ValueError:
        return False
    return True


def _is_date(digits: str) -> bool:
    """True for 8 digits that read as DDMMYYYY or YYYYMMDD with a year 1900-2099."""
    for layout in ("%d%m%Y", "%Y%m%d"):
        try:
            if 1900 <= dt.datetime.strptime(digits, layout).year < 2100:
                return True
        except ValueError:
            pass
    return False


def _is_local_phone(match: re.Match[str]) -> bool:
    found = match.group()
    if _CURRENCY_AFTER.match(match.string, match.end()):
        return False
    if _GROUP_BEFORE.search(match.string, 0, match.start()):
        return False
    if _EIGHT_DIGITS.fullmatch(found) and _is_date(re.sub(r"\D", "", found)):
        return False  # 25032026, 2026-0412: a date or a number made of one
    return not (_YEAR_RANGE.fullmatch(found) or _ROUND_PAIR.fullmatch(found))


def _always(match: re.Match[str]) -> bool:
    return True


# Order matters: longer identifiers first, so a phone pattern never bites into an IBAN or card.
_RULES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool]], ...] = (
    ("email", _EMAIL, _always),
    ("iban", _IBAN_LV, _always),
    ("iban", _IBAN_OTHER, _is_iban),
    ("card", _CARD, _is_card),
    ("personal_code", _PERSONAL_CODE, _is_personal_code),
    ("phone", _PHONE_INTL, _always),
    ("phone", _PHONE_LOCAL, _is_local_phone),
)


def redact_text(text: str) -> tuple[str, dict[str, int]]:
    """Replace personal identifiers in one text with placeholders.

    Args:
        text: Any text; a non-string (None, NaN) is returned unchanged.

    Returns:
        The redacted text and the number of replacements per kind (kinds with none left out).
    """
    if not isinstance(text, str):
        return text, {}
    counts: Counter[str] = Counter()
    # A placeholder can change what a later rule sees next to it ("29123456LV98HABA..." hides the
    # IBAN's word boundary until the phone is gone), so passes repeat until nothing is found.
    # Every replacement removes digits, an "@" or an "(at)" and adds none, so this ends.
    while True:
        found_before = counts.total()
        for kind, pattern, accept in _RULES:
            text = pattern.sub(partial(_replace, kind=kind, accept=accept, counts=counts), text)
        if counts.total() == found_before:
            return text, dict(counts)


def _replace(
    match: re.Match[str],
    kind: str,
    accept: Callable[[re.Match[str]], bool],
    counts: Counter[str],
) -> str:
    if not accept(match):
        return match.group()
    counts[kind] += 1
    return PLACEHOLDERS[kind]


def _redact_cell(value: object, counts: Counter[str]) -> object:
    if isinstance(value, str):
        redacted, found = redact_text(value)
        counts.update(found)
        return redacted
    if isinstance(value, list | tuple | np.ndarray):
        items = [_redact_cell(item, counts) for item in value]
        if isinstance(value, np.ndarray):
            return np.array(items, dtype=object)
        return type(value)(items)
    return value


def redact_frame(
    frame: pd.DataFrame, columns: Iterable[str]
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Return a copy of ``frame`` with personal identifiers redacted in ``columns``.

    Cells may be strings or lists/arrays of strings (e.g. quotes); other values are kept.
    Columns missing from ``frame`` are skipped.

    Returns:
        The redacted copy and the replacements per kind summed over all cells.
    """
    redacted = frame.copy()
    counts: Counter[str] = Counter()
    for column in columns:
        if column not in redacted.columns:
            log.debug("redact_frame: no column %r, skipped", column)
            continue
        series = redacted[column]
        values = [_redact_cell(value, counts) for value in series]
        dtype = object if isinstance(series.dtype, pd.CategoricalDtype) else series.dtype
        redacted[column] = pd.Series(values, index=series.index, dtype=dtype)
    return redacted, {kind: n for kind, n in counts.items() if n}


def _compact(text: str) -> str:
    """Lower-case letters and digits only, diacritics and e-mail obfuscations dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"[\[({]\s*(?:at|dot|punkts)\s*[\])}]", "", plain)
    return "".join(char for char in plain if char.isalnum())


def leaked_identifiers(text: str, identifiers: Iterable[str]) -> list[str]:
    """Return the identifiers that still occur in ``text``, whatever their spacing or case.

    Identifiers without letters (phones, codes, cards) are looked for digit by digit in the
    digit runs of ``text``, so "29 123 456" is found as "29123456" or "29-123-456" (a leading
    371/00371 country code is ignored). Others (e-mails, IBANs) are compared as lower-case letters
    and digits only, so "ilze.k@inbox.lv" is also found in its folded form "ilze k inbox lv".
    """
    runs = [re.sub(r"\D", "", run) for run in re.findall(r"\d(?:[\s().+/-]{0,3}\d)*", text)]
    compact_text = _compact(text)
    leaked = []
    for identifier in identifiers:
        if re.search(r"[^\W\d_]", identifier):
            compact = _compact(identifier)
            found = bool(compact) and compact in compact_text
        else:
            digits = re.sub(r"\D", "", identifier)
            if len(digits) > 8:
                digits = re.sub(r"^(?:00)?371", "", digits)
            found = bool(digits) and any(digits in run for run in runs)
        if found:
            leaked.append(identifier)
    return leaked
