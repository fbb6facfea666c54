"""Tests for pipeline.publish.redact: personal identifiers out, everything else untouched."""

from __future__ import annotations

import csv
import html
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.publish.redact import PLACEHOLDERS, leaked_identifiers, redact_frame, redact_text

CORPUS_PATH = Path(__file__).parent / "data" / "pii_corpus.csv"


def _load_corpus() -> list[dict[str, str]]:
    with CORPUS_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CORPUS = _load_corpus()
PII_ROWS = [row for row in CORPUS if row["identifiers"]]
CLEAN_ROWS = [row for row in CORPUS if not row["identifiers"]]


def _counts(cell: str) -> dict[str, int]:
    return {kind: int(n) for kind, n in (part.split(":") for part in cell.split(";") if part)}


def test_corpus_covers_every_kind_and_enough_clean_rows() -> None:
    kinds = set()
    for row in PII_ROWS:
        kinds |= set(_counts(row["counts"]))
    assert kinds == set(PLACEHOLDERS)
    assert len(CLEAN_ROWS) >= 20


@pytest.mark.parametrize("row", PII_ROWS, ids=[row["row_id"] for row in PII_ROWS])
def test_corpus_identifiers_replaced_by_their_placeholders(row: dict[str, str]) -> None:
    redacted, counts = redact_text(row["text"])
    assert redacted == row["redacted"]
    assert counts == _counts(row["counts"])
    identifiers = row["identifiers"].split("|")
    assert leaked_identifiers(row["text"], identifiers) == identifiers
    assert leaked_identifiers(redacted, identifiers) == []


@pytest.mark.parametrize("row", CLEAN_ROWS, ids=[row["row_id"] for row in CLEAN_ROWS])
def test_corpus_text_without_identifiers_unchanged(row: dict[str, str]) -> None:
    assert redact_text(row["text"]) == (row["text"], {})


@pytest.mark.parametrize("row", CORPUS, ids=[row["row_id"] for row in CORPUS])
def test_redacting_twice_changes_nothing_more(row: dict[str, str]) -> None:
    once, _ = redact_text(row["text"])
    assert redact_text(once) == (once, {})


@pytest.mark.parametrize(
    "phone",
    [
        "29123456",
        "29 123 456",
        "2912 3456",
        "29-123-456",
        "67 123 456",
        "+371 29123456",
        "+371-29-123-456",
        "(+371) 67 123 456",
        "00371 29123456",
        "+37129123456",
        "371 29123456",
        "6712-3456",
        "2912-3456",
    ],
)
def test_latvian_phone_forms(phone: str) -> None:
    assert redact_text(f"Zvaniet {phone}, lūdzu.") == ("Zvaniet [tālrunis], lūdzu.", {"phone": 1})


@pytest.mark.parametrize(
    "text",
    [
        "Numurs 12345678 nav tālrunis.",  # 8 digits, not starting with 2 or 6
        "Bezmaksas 80001234 ir uzziņu dienests.",
        "Rādījums 29123456789 ir par lielu.",  # a phone-like start of a longer run
        "Rādījums 129123456 ir par lielu.",  # a phone-like end of a longer run
        "Summa 29123456,50 EUR.",
        "Ceļa remontam 26000000 EUR.",
        "Periodā 2026 2027 jāuzbūvē tilts.",
        "Pieteikumu termiņš 25032026, vēlāk nepieņem.",  # a date without dots
        "Atskaite 20260315 iesniegta.",
        "Plānošanas periods 2021-2027.",
        "Ciemā 2000-3000 iedzīvotāju.",
        "Līgums 2026-0412 (gads un datums).",
    ],
)
def test_numbers_that_are_not_phones_stay(text: str) -> None:
    assert redact_text(text) == (text, {})


def test_words_after_a_phone_that_only_start_like_a_currency_do_not_hide_it() -> None:
    text = "Zvaniet 29 123 456 Eiropas dienā vai 26718493 eurovīzijas laikā."
    assert redact_text(text) == (
        "Zvaniet [tālrunis] Eiropas dienā vai [tālrunis] eurovīzijas laikā.",
        {"phone": 2},
    )


def test_personal_code_needs_a_real_date() -> None:
    assert redact_text("Kods 010190-12345") == ("Kods [personas kods]", {"personal_code": 1})
    assert redact_text("Kods 320190-12345") == ("Kods [personas kods]", {"personal_code": 1})
    for impossible in ("Kods 310290-12345", "Kods 011390-12345", "Kods 010190-52345"):
        assert redact_text(impossible) == (impossible, {})


def test_card_needs_luhn_check() -> None:
    assert redact_text("4532 0177 6603 4816") == ("[kartes nr.]", {"card": 1})
    # the failed card is left whole: its "6603 4817" tail is not taken for a phone either
    assert redact_text("4532 0177 6603 4817") == ("4532 0177 6603 4817", {})


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, 12345678])
def test_non_text_returned_unchanged(value: object) -> None:
    redacted, counts = redact_text(value)  # type: ignore[arg-type]
    assert counts == {}
    if isinstance(value, float):
        assert math.isnan(redacted)
    else:
        assert redacted is value


def test_placeholders_are_plain_text_that_survives_html_escaping() -> None:
    for placeholder in PLACEHOLDERS.values():
        assert html.escape(placeholder) == placeholder
        assert redact_text(placeholder) == (placeholder, {})


@given(st.text())
def test_any_unicode_redacts_idempotently(text: str) -> None:
    once, _ = redact_text(text)
    assert redact_text(once) == (once, {})


IDENTIFIER_PIECES = [
    "29123456", "26 718 493", "+371", "(", ")", " ", "-", ".", "4532 0177 6603 4816", "a@b.lv",
    "[at]", "inbox", ".lv", "LV98HABA0551038472915", "120385-10347", "32", "2026", "EUR", "1", "x",
]  # fmt: skip


@given(st.text(alphabet="0123456789 -+().,@[]atdoLVlvEUR", max_size=60))
def test_number_like_text_redacts_idempotently(text: str) -> None:
    once, counts = redact_text(text)
    assert redact_text(once) == (once, {})
    assert all(n > 0 for n in counts.values())


@example("29123456LV98HABA0551038472915")
@given(st.lists(st.sampled_from(IDENTIFIER_PIECES), max_size=12).map("".join))
def test_identifiers_glued_together_redact_idempotently(text: str) -> None:
    once, _ = redact_text(text)
    assert redact_text(once) == (once, {})


def test_redact_frame_handles_strings_lists_arrays_and_missing_values() -> None:
    ideas = pd.DataFrame(
        {
            "text": pd.Series(["Zvaniet 26718493", None, "Ceļš 2026. gadā", None], dtype=object),
            "quotes": [
                ["a@inbox.lv", "bez datiem"],
                np.array(["Tālr. 27 384 615"], dtype=object),
                [],
                None,
            ],
            "internal": ["a@inbox.lv"] * 4,
        }
    )
    redacted, counts = redact_frame(ideas, ["text", "quotes", "not_a_column"])

    assert counts == {"phone": 2, "email": 1}
    assert redacted["text"].iloc[0] == "Zvaniet [tālrunis]"
    assert redacted["text"].iloc[1] is None
    assert redacted["text"].iloc[2] == "Ceļš 2026. gadā"
    assert redacted["quotes"].iloc[0] == ["[e-pasts]", "bez datiem"]
    assert list(redacted["quotes"].iloc[1]) == ["Tālr. [tālrunis]"]
    assert redacted["internal"].tolist() == ["a@inbox.lv"] * 4
    assert ideas["text"].iloc[0] == "Zvaniet 26718493"  # the input is not modified
    assert ideas["quotes"].iloc[0] == ["a@inbox.lv", "bez datiem"]


@pytest.mark.parametrize("dtype", ["str", "string", "category"])
def test_redact_frame_keeps_text_columns_text_and_missing_missing(dtype: str) -> None:
    ideas = pd.DataFrame({"text": pd.Series(["LV98HABA0551038472915", None, "Nav"], dtype=dtype)})
    redacted, counts = redact_frame(ideas, ["text"])
    assert counts == {"iban": 1}
    assert redacted["text"].tolist()[::2] == ["[konta nr.]", "Nav"]
    assert pd.isna(redacted["text"].iloc[1])
    assert redacted["text"].dtype == (object if dtype == "category" else ideas["text"].dtype)


def test_redact_frame_without_identifiers_reports_nothing() -> None:
    ideas = pd.DataFrame({"text": ["Ceļš 2026. gadā", "20 km"]})
    redacted, counts = redact_frame(ideas, ["text"])
    assert counts == {}
    pd.testing.assert_frame_equal(redacted, ideas)


def test_leaked_identifiers_compares_digits_across_spacing() -> None:
    phones = ["29 123 456", "+371 67 123 456"]
    assert leaked_identifiers("Zvaniet 29123456", phones) == ["29 123 456"]
    assert leaked_identifiers("Zvaniet 67-123-456", phones) == ["+371 67 123 456"]
    assert leaked_identifiers("Zvaniet (+371) 2912 3456", phones) == ["29 123 456"]
    assert leaked_identifiers("Zvaniet [tālrunis]", phones) == []
    assert leaked_identifiers("2912 kWh un 3456 eiro", phones) == []


def test_leaked_identifiers_compares_emails_and_ibans_without_case_or_spaces() -> None:
    identifiers = ["ILZE.K@INBOX.LV", "janis [at] inbox.lv", "LV86 UNLA 0050 0174 6328 0"]
    text = "ilze.k@inbox.lv, janis@inbox.lv, lv86unla0050017463280"
    assert leaked_identifiers(text, identifiers) == identifiers
    assert leaked_identifiers("[e-pasts], [e-pasts], [konta nr.]", identifiers) == []


def test_leaked_identifiers_finds_emails_in_folded_text() -> None:
    identifiers = ["pēteris(at)gmail.com", "ilze.kalnina@inbox.lv"]
    folded = "rakstiet peteris gmail com vai ilze kalnina inbox lv"
    assert leaked_identifiers(folded, identifiers) == identifiers
    assert leaked_identifiers("rakstiet peteris vai ilze", identifiers) == []
