from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.normalise.ideas import normalise_responses
from pipeline.topics.keyword_filters import (
    is_readable,
    keyword_lemma,
    name_lemmas,
    restored_lemma,
)
from pipeline.topics.keywords import ClusterKeywords
from pipeline.topics.terms import Terms


def _ideas(clusters: list[list[str]]) -> tuple[pd.DataFrame, np.ndarray]:
    texts = [text for group in clusters for text in group]
    responses = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(1, len(texts) + 1)],
            "source_row": range(2, len(texts) + 2),
            "text": texts,
        }
    )
    ideas = normalise_responses(responses)
    assert len(ideas) == len(texts)
    return ideas, np.array([k for k, group in enumerate(clusters) for _ in group])


BUS_TEXTS = [
    "Autobuss kursē pārāk reti",
    "Vajag vakara autobusu uz pilsētu",
    "Autobusa pietura bez nojumes",
    "Autobusu saraksts nav ērts",
]
ROAD_TEXTS = [
    "Ceļu remonts ir vajadzīgs steidzami",
    "Bedres uz ceļiem pēc ziemas",
    "Ceļš uz skolu ir bedrains",
    "Asfalts uz ceļa saplaisājis",
]


def test_punctuation_addresses_and_numbers_are_no_keywords() -> None:
    assert is_readable("ceļš") and is_readable("sociāli-ekonomisks")
    for fragment in ("-gan", "gan-", "2024", "15km", "info@pagasts.lv", "www", "http", "com"):
        assert not is_readable(fragment), fragment


def test_function_words_are_no_keywords() -> None:
    for word in ("pati", "pašas", "cituviet", "die", "und", "сам", "свой", "nav", "и"):
        assert keyword_lemma(word, "lv" if word.isascii() or "ā" in word else "ru") is None, word
    assert keyword_lemma("bibliotēka", "lv") == "bibliotēka"
    assert keyword_lemma("библиотека", "ru") == "библиотека"


def test_a_lemma_typed_without_diacritics_is_restored() -> None:
    assert restored_lemma("gimenem") == "ģimene"
    assert keyword_lemma("udens", "lv") == "ūdens"
    assert keyword_lemma("ģimene", "lv") == "ģimene"
    # a word no dictionary knows, in any spelling, is no keyword
    assert restored_lemma("beerfest") is None
    assert keyword_lemma("kvazibrumbulis", "lv") is None


def test_terms_count_an_unrestored_lemma_with_its_restored_form() -> None:
    ideas = pd.DataFrame(
        {
            "idea_id": ["1-1", "2-1"],
            "content_lemmas": [["gimenem", "atbalsts"], ["ģimene", "atbalsts"]],
            "language": ["lv", "lv"],
        }
    )
    terms = Terms(ideas, 1, lambda _: False)
    assert terms.per_idea == [["ģimene", "atbalsts"], ["ģimene", "atbalsts"]]


def test_people_are_found_by_capitals_lexicon_and_surname_endings() -> None:
    texts = [
        "Par ceļu runāja Pēteris Kalniņš un kāds Brumbulovskis no Rēzeknes.",
        "Ceļu remontēja Ozoliņa kundze, bet Rēzeknē ceļi ir labi.",
        "Позвонил Иванов насчёт дороги.",
        "Kalniņš ir mazs kalns.",  # sentence-initial: no evidence either way
    ]
    names = name_lemmas(texts, ["lv", "lv", "ru", "lv"])
    assert {"kalniņš", "ozoliņa", "brumbulovskis", "иванов"} <= names
    assert not {"rēzekne", "ceļš", "runāt", "kundze", "дорога"} & names


def test_a_word_in_one_idea_is_no_keyword() -> None:
    texts = [*BUS_TEXTS, "Autobusā vajag vietu ratiņiem un velosipēdam"]
    ideas, labels = _ideas([texts, ROAD_TEXTS])
    keywords = ClusterKeywords(n_keywords=10).fit(ideas, labels).keywords_[0]
    assert "autobuss" in keywords
    assert not {"rats", "velosipēds", "vieta"} & set(keywords)
    # with a single idea enough, the rare words are keywords again
    loose = ClusterKeywords(n_keywords=10, min_keyword_ideas=1, min_keyword_share=0.0)
    assert {"rats", "velosipēds"} <= set(loose.fit(ideas, labels).keywords_[0])


def test_a_keyword_occurs_in_a_share_of_its_themes_ideas() -> None:
    texts = [*BUS_TEXTS, "Pieturā vajag nojumi no lietus"]  # "nojume" in 2 of 5 ideas
    ideas, labels = _ideas([texts, ROAD_TEXTS])
    counts = ClusterKeywords(n_keywords=10).fit(ideas, labels)
    assert "nojume" in counts.keywords_[0]
    shares = ClusterKeywords(n_keywords=10, min_keyword_share=0.5).fit(ideas, labels)
    assert "nojume" not in shares.keywords_[0]  # 2 < 50% of 5
    assert "autobuss" in shares.keywords_[0]  # 4 of 5


def test_a_surname_mentioned_by_several_residents_is_no_keyword() -> None:
    texts = [
        "Autobuss kursē reti, jautājiet deputātei Ozoliņai",
        "Autobusa pieturā deputāte Ozoliņa solīja nojumi",
        "Vajag vakara autobusu, raksta arī Bērziņš",
        "Autobusu saraksts nav ērts, saka Bērziņš",
    ]
    ideas, labels = _ideas([texts, ROAD_TEXTS])
    keywords = ClusterKeywords(n_keywords=10).fit(ideas, labels).keywords_[0]
    assert "autobuss" in keywords
    assert not [k for k in keywords if "ozoliņ" in k or "bērziņ" in k]


def test_keywords_of_a_large_cluster_counted_on_a_sample_are_its_keywords() -> None:
    from pipeline.topics.keywords import sampled_rows

    labels = np.array([0] * 50 + [1] * 5 + [-1] * 3)
    rows = sampled_rows(labels, 10)
    assert len(rows) == 10 + 5 + 3 and np.all(np.diff(rows) > 0)
    assert (labels[rows] == 0).sum() == 10  # only the large label is cut
    np.testing.assert_array_equal(rows, sampled_rows(labels, 10))  # seeded

    ideas, labels = _ideas([BUS_TEXTS * 6, ROAD_TEXTS])  # 24 bus ideas, 4 road ideas
    whole = ClusterKeywords(n_keywords=3).fit(ideas, labels).keywords_
    sampled = ClusterKeywords(n_keywords=3, max_cluster_ideas=8).fit(ideas, labels).keywords_
    assert "autobuss" in whole[0] and "autobuss" in sampled[0]
    assert sampled[1] == whole[1]  # a cluster under the cap is counted whole
