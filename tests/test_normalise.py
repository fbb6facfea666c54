from __future__ import annotations

import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.normalise.clean import clean_text, folded_key
from pipeline.normalise.duplicates import find_duplicates
from pipeline.normalise.ideas import normalise_responses, normalise_text
from pipeline.normalise.language import detect_language
from pipeline.normalise.nonanswers import is_non_answer
from pipeline.normalise.split import split_ideas
from pipeline.params import NormaliseParams


def _responses(texts: list[str], **extra: list[object]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(1, len(texts) + 1)],
            "source_row": range(2, len(texts) + 2),
            "text": texts,
        }
    )
    for column, values in extra.items():
        frame[column] = values
    return frame


# --- clean_text ---------------------------------------------------------------------------------


def test_clean_text_composes_unicode_and_plain_quotes() -> None:
    decomposed = "Cel\u0327s? ce\u013c\u0161 ar a\u0304"  # combining marks
    assert clean_text(decomposed) == "Cel\u0327s? ceļš ar ā".replace("l\u0327", "ļ")
    assert clean_text("„Jauns” «parks»  \t un\u200b\u00a0viss") == '"Jauns" "parks" un viss'


def test_clean_text_keeps_newlines_only_when_asked() -> None:
    assert clean_text("a\r\n\n b ") == "a b"
    assert clean_text("a\r\n\n b ", keep_newlines=True) == "a\nb"


@given(st.text())
@settings(max_examples=300)
def test_clean_text_is_idempotent_and_never_crashes(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\n" not in once and "\u200b" not in once


# --- split_ideas --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1) Salabot ceļu uz skolu 2) Apgaismojums parkā",
            ["Salabot ceļu uz skolu", "Apgaismojums parkā"],
        ),
        (
            "1. Ietves Skolas ielā.\n2. Autobuss vakarā.\n3. Bērnudārzs",
            ["Ietves Skolas ielā.", "Autobuss vakarā.", "Bērnudārzs"],
        ),
        (
            "- vairāk soliņu\n- atkritumu urnas\n- suņu pastaigu laukums",
            ["vairāk soliņu", "atkritumu urnas", "suņu pastaigu laukums"],
        ),
        (
            "Jāsalabo tilts; vajag arī soliņus pie ezera",
            ["Jāsalabo tilts", "vajag arī soliņus pie ezera"],
        ),
        (
            "Vajag sporta laukumu, un arī skeitparku jauniešiem",
            ["Vajag sporta laukumu", "skeitparku jauniešiem"],
        ),
        ("Нужен врач, а также аптека в посёлке", ["Нужен врач", "аптека в посёлке"]),
        (
            "Vajag jaunu bērnudārzu. Vajag arī ietvi līdz skolai.",
            ["Vajag jaunu bērnudārzu.", "Vajag arī ietvi līdz skolai."],
        ),
    ],
)
def test_split_ideas_splits_lists(text: str, expected: list[str]) -> None:
    assert split_ideas(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a) remontēt ceļu b) uzlikt soliņus", ["remontēt ceļu", "uzlikt soliņus"]),
        ("a) remontēt ceļu; b) uzlikt soliņus", ["remontēt ceļu", "uzlikt soliņus"]),
        ("a)ceļš b)skola c)parks", ["ceļš", "skola", "parks"]),
        ("a) salabot ceļu, un b) uzlikt soliņus", ["salabot ceļu", "uzlikt soliņus"]),
        ("A) Ceļš uz skolu B) Bērnudārzs", ["Ceļš uz skolu", "Bērnudārzs"]),
        ("а) нужен врач б) аптека", ["нужен врач", "аптека"]),
        ("Mūsu ciemā vajag: a) ceļu b) soliņus", ["Mūsu ciemā vajag: ceļu", "soliņus"]),
        (
            "Esmu šeit dzīvojis desmit gadus un iesaku: a) ietvi b) apgaismojumu",
            ["Esmu šeit dzīvojis desmit gadus un iesaku", "ietvi", "apgaismojumu"],
        ),
        ("• ceļi • apgaismojums", ["ceļi", "apgaismojums"]),
        ("• ceļi • apgaismojums • suņu laukums", ["ceļi", "apgaismojums", "suņu laukums"]),
        ("ceļi • apgaismojums", ["ceļi", "apgaismojums"]),
        ("Vajag: • ceļus • apgaismojumu", ["Vajag: ceļus", "apgaismojumu"]),
        ("•ceļi•apgaismojums", ["ceļi", "apgaismojums"]),
    ],
)
def test_split_ideas_splits_inline_lettered_and_bullet_lists(
    text: str, expected: list[str]
) -> None:
    assert split_ideas(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ceļš uz Dzērvju skolu ir šausmīgs, bedres un dubļi.",
        "Saskaņā ar punktu (a) un punktu (b) ceļš jāremontē",
        "Skatīt b) punktu un c) punktu plānā",
        "Kā teikts 3.b) un 3.c) punktā, vajag ceļu",
        "Labākais ir variants a) vai b) no aptaujas",
        "Vajag a) un b) variantu kopā ar c) risinājumu",
        "a) tikai viens punkts ir minēts",
        "• Vajag salabot ceļu uz skolu",
        "A/S Latvijas Gāze jāsalabo caurule pie skolas",
        "Vajag soliņus, urnas u.c. lietas parkā",
        "Tas ir labi :) un vajag vēl b) ... nezinu",
    ],
)
def test_split_ideas_does_not_split_letters_or_bullets_in_running_text(text: str) -> None:
    assert split_ideas(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Ceļš uz Dzērvju skolu ir šausmīgs, bedres un dubļi.",
        "Ceļš ir briesmīgs. Vajag remontu.",
        "Svētki 1. maijā bija lieliski",
        "Autobuss no 7:30 līdz 8.15 ir par vēlu",
        "Apgaismojums!!!",
        "",
        "Vajag gan ceļu; gan",
    ],
)
def test_split_ideas_keeps_single_ideas_whole(text: str) -> None:
    assert len(split_ideas(text)) == 1


# --- non-answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "nav",
        "Nav.",
        "NEZINU",
        "-",
        "---",
        "...",
        "?",
        "Pagaidām nav viedokļa",
        "нет",
        "Не знаю",
        "n/a",
        "x",
        "",
        "   ",
        "Grūti pateikt",
        "paldies, nekas",
    ],
)
def test_non_answers_are_recognised(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    ["Nav ietves", "nav ārsta", "Apgaismojums!", "Bedres", "Нет врача", "parks", "Nav ko darīt"],
)
def test_answers_are_not_non_answers(text: str) -> None:
    assert not is_non_answer(text)


# --- language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Vajag jaunu bērnudārzu Rudzupē", "lv"),
        ("celu remonts vajadzigs pie skolas", "lv"),
        ("nav", "lv"),
        ("Нужно отремонтировать дороги в посёлке", "ru"),
        ("We need a proper cycle path to the lake", "en"),
        ("Myusu cīmā vajag lobu ceļu i školu", "ltg"),
        ("Jaunīšim nav kur īt vakarā, vysi brauc prūm", "ltg"),
        ("!!!", "und"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    detected, confidence = detect_language(text)
    assert detected == language
    assert 0.0 <= confidence <= 1.0


# --- duplicates ----------------------------------------------------------------------------------


def test_find_duplicates_points_at_first_of_group() -> None:
    texts = [
        "Vajag apgaismojumu",
        "Parks pie ezera",
        "vajag apgaismojumu",
        "Vajag apgaismojumu!!",
        "nav",
        "nav",
        "Vajag apgaismojumu Skolas ielā un parkā un visur citur",
    ]
    exact = [" ".join(t.casefold().split()) for t in texts]
    fuzzy = [folded_key(t) for t in texts]
    dup_of, kinds = find_duplicates(
        exact, fuzzy, threshold=0.85, skip=[False, False, False, False, True, True, False]
    )
    assert dup_of == [None, None, 0, 0, None, None, None]
    assert kinds == [None, None, "exact", "near", None, None, None]


def _all_pairs_duplicates(exact: list[str], fuzzy: list[str], threshold: float) -> list[int | None]:
    """Every pair compared, groups joined, each repeat -> the first of its group."""
    import numpy as np

    from pipeline.normalise.duplicates import _trigram_matrix

    n = len(exact)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        parent[max(a, b)] = min(a, b)

    for i in range(n):
        for j in range(i):
            if exact[i] == exact[j]:
                union(i, j)
    similarity = (_trigram_matrix(fuzzy) @ _trigram_matrix(fuzzy).T).toarray()
    for i, j in zip(*np.nonzero(similarity >= threshold - 1e-6), strict=True):
        if i != j:
            union(int(i), int(j))
    return [None if find(i) == i else find(i) for i in range(n)]


@pytest.mark.parametrize("threshold", [0.6, 0.85, 0.95])
def test_find_duplicates_equals_comparing_every_pair(threshold: float) -> None:
    import random

    rng = random.Random(7)
    words = "ceļš skola parks bērni apgaismojums ietve vajag jauns remonts ezers laipa sols".split()
    texts = []
    for _ in range(300):
        sentence = rng.sample(words, rng.randint(2, 6))
        if texts and rng.random() < 0.5:  # an edit of an earlier text
            sentence = rng.choice(texts).split(" ")
            if len(sentence) > 2:
                del sentence[rng.randrange(len(sentence))]
            sentence.append(rng.choice(words))
        texts.append(" ".join(sentence))
    exact = [" ".join(t.casefold().split()) for t in texts]
    fuzzy = [folded_key(t) for t in texts]
    dup_of, kinds = find_duplicates(exact, fuzzy, threshold=threshold)
    assert dup_of == _all_pairs_duplicates(exact, fuzzy, threshold)
    assert sum(kind == "near" for kind in kinds) >= 5  # the comparison has near pairs to find


def test_near_duplicate_candidates_do_not_depend_on_the_string_hash_seed() -> None:
    import subprocess
    import sys

    code = (
        "from pipeline.normalise.duplicates import _minhash, _trigram_matrix\n"
        "keys = ['celu remonts', 'cela remonts pie skolas', 'parks ezera krasta']\n"
        "print(_minhash(_trigram_matrix(keys).tocsr(), 100, 0).tolist())\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(("threshold", "rows"), [(0.6, 2), (0.85, 4), (0.95, 8)])
def test_lsh_bands_follow_the_threshold(threshold: float, rows: int) -> None:
    from pipeline.normalise.duplicates import MAX_MISS, N_HASHES, band_rows

    assert band_rows(threshold) == rows
    jaccard = threshold**2  # the least a trigram cosine at the threshold allows
    assert (1 - jaccard**rows) ** (N_HASHES // rows) <= MAX_MISS
    assert (1 - jaccard ** (rows + 1)) ** (N_HASHES // (rows + 1)) > MAX_MISS


def test_find_duplicates_rejects_a_threshold_outside_0_1() -> None:
    with pytest.raises(ValueError, match="threshold"):
        find_duplicates(["a", "b"], ["a", "b"], threshold=1.5)


# --- the whole step ------------------------------------------------------------------------------


def test_normalise_responses_one_row_per_idea_and_nothing_lost() -> None:
    responses = _responses(
        [
            "1) Salabot ceļu uz skolu 2) Apgaismojums parkā",
            "nav",
            "celu remonts vajadzigs",
            "Нужен семейный врач",
            "Nav ietves Skolas ielā",
            "nav ietves skolas ielā",
        ],
        territory=["Ezerkalne"] * 6,
        votes=pd.array([3, None, 1, None, 5, 2], dtype="Int64"),
    )
    ideas = normalise_responses(responses, NormaliseParams())
    assert set(ideas["response_id"]) == set(responses["response_id"])
    assert ideas["idea_id"].is_unique
    first = ideas[ideas["response_id"] == "R1"]
    assert first["idea_id"].tolist() == ["R1-1", "R1-2"]
    assert first["n_ideas"].tolist() == [2, 2]
    assert first["text"].tolist() == ["Salabot ceļu uz skolu", "Apgaismojums parkā"]

    by_id = ideas.set_index("idea_id")
    assert bool(by_id.loc["R2-1", "non_answer"])
    assert by_id.loc["R3-1", "text"] == "celu remonts vajadzigs"
    assert by_id.loc["R3-1", "text_normalised"] == "ceļu remonts vajadzīgs"
    assert "ceļš" in by_id.loc["R3-1", "lemmas"]
    assert by_id.loc["R4-1", "language"] == "ru"
    assert by_id.loc["R6-1", "duplicate_of"] == "R5-1"
    assert by_id.loc["R6-1", "duplicate_kind"] == "exact"
    assert by_id.loc["R1-2", "territory"] == "Ezerkalne"
    assert by_id.loc["R1-2", "votes"] == 3
    assert "nav" not in by_id.loc["R5-1", "content_lemmas"]


@given(st.lists(st.text(max_size=80), min_size=1, max_size=5))
@settings(max_examples=60, deadline=None)
def test_normalise_never_crashes_and_keeps_every_response(texts: list[str]) -> None:
    ideas = normalise_responses(_responses(texts))
    assert set(ideas["response_id"]) == {f"R{i}" for i in range(1, len(texts) + 1)}
    assert ideas["idea_id"].is_unique


@pytest.fixture(scope="module")
def restorer() -> DiacriticsRestorer:
    return DiacriticsRestorer().fit(["Ceļu remonts ir vajadzīgs", "bērniem un skolai"])


@given(text=st.text(max_size=120), language=st.sampled_from(["lv", "ru", "en", "ltg"]))
@settings(max_examples=300, deadline=None)
def test_normalise_text_is_idempotent(
    restorer: DiacriticsRestorer, text: str, language: str
) -> None:
    once = normalise_text(text, language, restorer)
    assert normalise_text(once, language, restorer) == once


def test_normalise_text_restores_only_latvian_without_diacritics(
    restorer: DiacriticsRestorer,
) -> None:
    assert normalise_text("celu remonts  berniem", "lv", restorer) == "ceļu remonts bērniem"
    assert normalise_text("celu remonts", "en", restorer) == "celu remonts"
    # Typed with diacritics: trusted as typed.
    assert normalise_text("Skola ir tā, ka celu", "lv", restorer) == "Skola ir tā, ka celu"
