from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.errors import InputError
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmas
from pipeline.lang.lv.stopwords import is_stop
from pipeline.normalise.ideas import normalise_responses
from pipeline.params import ThemesParams
from pipeline.topics.crosslingual import language_centred
from pipeline.topics.encoder import as_encoder
from pipeline.topics.keyword_quality import keyword_quality
from pipeline.topics.keywords import ClusterKeywords
from pipeline.topics.membership import join_nearest_theme, keep_new_theme_members
from pipeline.topics.naming import ThemeNamer, idea_places
from pipeline.topics.representatives import representative_ideas
from pipeline.topics.taxonomy import Theme, load_taxonomy
from pipeline.topics.terms import Terms, keyword_name, new_theme_name
from pipeline.topics.themes import ASSIGNMENT_COLUMNS, THEME_COLUMNS, build_themes

REPO = Path(__file__).resolve().parent.parent
DIM = 1024


def _bucket(key: str) -> int:
    return int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16) % DIM


class HashingEncoder:
    """A stand-in sentence model: a bag of content lemmas hashed into buckets.

    Texts that share lemmas are similar, texts that share none are orthogonal, and
    ``synonyms`` maps a lemma onto another so both embed alike.
    """

    def __init__(self, synonyms: dict[str, str] | None = None) -> None:
        self.synonyms = synonyms or {}

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            lang = "ru" if re.search("[\u0400-\u04ff]", text) else "lv"
            for lemma in lemmas(text, lang):
                if len(lemma) > 1 and not is_stop(lemma, lang):
                    rows[row, _bucket(fold(self.synonyms.get(lemma, lemma)))] += 1.0
            if not rows[row].any():
                rows[row, _bucket(text)] = 1.0
        return rows


def _ideas(clusters: list[list[str]], **columns: list[object]) -> tuple[pd.DataFrame, np.ndarray]:
    """An ideas table from texts grouped by cluster (one response each) and its labels."""
    texts = [text for group in clusters for text in group]
    responses = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(1, len(texts) + 1)],
            "source_row": range(2, len(texts) + 2),
            "text": texts,
            **columns,
        }
    )
    ideas = normalise_responses(responses)
    assert len(ideas) == len(texts), "fixture texts must not split into several ideas"
    labels = np.array([k for k, group in enumerate(clusters) for _ in group])
    return ideas, labels


def _embed(ideas: pd.DataFrame, model: object) -> np.ndarray:
    return as_encoder(model)(list(ideas["text_normalised"]))


ROAD_TEXTS = [
    "Ceļu remonts ir vajadzīgs steidzami",
    "Bedres uz ceļiem pēc ziemas",
    "Ceļš uz skolu ir bedrains",
    "Lauku ceļus vajag greiderēt",
    "Asfalts uz ceļa saplaisājis",
]
# A theme the toy taxonomy lacks.
DOG_TEXTS = [
    "Suņu pastaigu laukums parkā",
    "Vieta, kur suņiem skraidīt",
    "Suņu pastaigas pa parku",
    "Suņiem vajag pastaigu vietu",
]
BUS_TEXTS = [
    "Autobuss kursē pārāk reti",
    "Vajag vakara autobusu uz pilsētu",
    "Autobusa pietura bez nojumes",
    "Autobusu saraksts nav ērts",
]
DOCTOR_TEXTS = [
    "Ģimenes ārsts pieņem reti",
    "Pie ārsta rinda trīs mēneši",
    "Vajag zobārstu pagastā",
    "Ārsti brauc prom uz Rīgu",
]

# The hashing encoder's similarities carry no meaning, so these tests name by seed words more
# than the defaults tuned for the real model do, and no absolute similarity is asked for.
TOY_PARAMS = ThemesParams(keyword_weight=0.7, min_confidence=0.3, min_similarity=0.0)

TAXONOMY = [
    Theme(
        "roads",
        "Ceļi un ielas",
        "Roads and streets",
        "Ceļu un ielu stāvoklis, bedres, asfalts, remonts.",
        ("ceļš", "iela", "bedre", "asfalts", "remonts"),
    ),
    Theme(
        "public_transport",
        "Sabiedriskais transports",
        "Public transport",
        "Autobusi, reisi, pieturas un saraksts.",
        ("autobuss", "reiss", "pietura", "saraksts"),
    ),
    Theme(
        "healthcare",
        "Veselības aprūpe",
        "Health care",
        "Ģimenes ārsts, zobārsts, rindas pie ārsta.",
        ("ārsts", "zobārsts", "aptieka", "rinda"),
    ),
]


# --- keywords --------------------------------------------------------------------------------


def test_keywords_are_lemmas_not_forms() -> None:
    ideas, labels = _ideas([ROAD_TEXTS, BUS_TEXTS])
    keywords = ClusterKeywords(ngram_max=1, mmr_diversity=0.0).fit(ideas, labels).keywords_
    assert keywords[0][0] == "ceļš"
    assert keywords[0].count("ceļš") == 1
    assert not {"ceļu", "ceļiem", "ceļus", "ceļa"} & set(keywords[0])
    assert "autobuss" in keywords[1]
    assert keyword_quality(keywords) == 0.0


def test_keywords_have_no_stop_words() -> None:
    texts = [
        "Nav ceļa, vajag ļoti labu ceļu",
        "Būtu labi, ja ceļš nebūtu tik slikts, vajag remontu",
        "Arī ceļš uz mājām nav labs, vajadzētu vairāk remontēt",
    ]
    ideas, labels = _ideas([texts, BUS_TEXTS])
    keywords = ClusterKeywords(n_keywords=20, mmr_diversity=0.0).fit(ideas, labels).keywords_[0]
    assert "ceļš" in keywords
    for keyword in keywords:
        assert not all(is_stop(word, "lv") for word in keyword.split()), keyword
    assert not {"nav", "vajag", "ļoti", "būtu", "arī", "vairāk"} & set(keywords)


def test_frequent_bigram_replaces_its_parts() -> None:
    texts = [
        "Sporta laukums pie skolas ir sabojāts",
        "Jauns sporta laukums bērniem",
        "Vajag sporta laukumu ar basketbola grozu",
        "Sporta laukums Lejasmalā būtu lieliski",
        "Futbola vārti sporta laukumam",
    ]
    ideas, labels = _ideas([texts, BUS_TEXTS])
    with_bigrams = ClusterKeywords(mmr_diversity=0.0).fit(ideas, labels).keywords_[0]
    assert with_bigrams[0] == "sporta laukums"
    assert "laukums" not in with_bigrams
    assert "sports" not in with_bigrams
    unigrams = ClusterKeywords(ngram_max=1, mmr_diversity=0.0).fit(ideas, labels).keywords_[0]
    assert {"sports", "laukums"} <= set(unigrams[:3])


@pytest.mark.parametrize(
    ("written", "term", "shown"),
    [
        (["sporta laukumu", "sporta laukums"], "sports laukums", "sporta laukums"),
        (["šķirošanas konteineru", "šķirošanas konteineriem"], "šķirošana konteiners",
         "šķirošanas konteiners"),
        (["sociālo darbinieku", "sociālajiem darbiniekiem"], "sociāls darbinieks",
         "sociālais darbinieks"),
        (["ātrās palīdzības"], "ātrs palīdzība", "ātrā palīdzība"),
        # an adjective the dictionary lacks is known by its definite ending
        (["vientuļajiem pensionāriem"], "vientuļš pensionārs", "vientuļais pensionārs"),
        # a noun modifier in another case than the genitive stays as written
        (["bērniem laukumu"], "bērns laukums", "bērniem laukumu"),
        (["доме культуры", "дома культуры"], "дом культура", "дом культуры"),
        (["детском саду"], "детский сад", "детский сад"),
    ],
)  # fmt: skip
def test_bigrams_read_as_latvian_phrases(written: list[str], term: str, shown: str) -> None:
    ideas = pd.DataFrame({"content_lemmas": [[]], "text_normalised": [""], "language": ["lv"]})
    terms = Terms(ideas, 2, lambda _: False)
    for phrase in written:
        first, second = phrase.split()
        terms.surfaces[term][(first, second)] += 1
    assert terms.display(term) == shown


def test_given_names_are_never_keywords() -> None:
    texts = [f"{text}, zvaniet Andrim vai Ilzei" for text in BUS_TEXTS]
    ideas, labels = _ideas([texts, ROAD_TEXTS])
    keywords = ClusterKeywords().fit(ideas, labels).keywords_[0]
    assert "autobuss" in keywords
    assert not {"andris", "ilze"} & {w for k in keywords for w in k.split()}


def test_rare_bigram_is_not_a_keyword() -> None:
    texts = ["Basketbola grozs pie skolas", *BUS_TEXTS]
    ideas, labels = _ideas([texts, ROAD_TEXTS])
    keywords = ClusterKeywords(bigram_min_count=2).fit(ideas, labels).keywords_[0]
    assert not [k for k in keywords if " " in k]


def test_mmr_reduces_near_synonym_repetition() -> None:
    texts = [
        "Ceļš un šoseja bedrēs",
        "Šoseja un ceļš ar bedrēm",
        "Ceļš, šoseja, bedres",
        "Šosejas un ceļa malas",
        "Ceļš ar šoseju krustojas",
    ]
    ideas, labels = _ideas([texts, BUS_TEXTS])
    model = HashingEncoder(synonyms={"šoseja": "ceļš"})
    plain = ClusterKeywords(ngram_max=1, mmr_diversity=0.0, model=model).fit(ideas, labels)
    diverse = ClusterKeywords(ngram_max=1, mmr_diversity=0.7, model=model).fit(ideas, labels)
    assert set(plain.keywords_[0][:2]) == {"ceļš", "šoseja"}
    assert diverse.keywords_[0][0] in {"ceļš", "šoseja"}
    assert diverse.keywords_[0][1] == "bedre"


def test_duplicates_do_not_inflate_keywords() -> None:
    copies = ["Kanalizācija smird pie mājas"] * 6
    texts = [*copies, "Ūdens ir dzeltens", "Ūdens spiediens mazs", "Ūdens dārgs"]
    ideas, labels = _ideas([texts, BUS_TEXTS])
    assert ideas["duplicate_of"].notna().sum() == 5
    keywords = ClusterKeywords(ngram_max=1, mmr_diversity=0.0).fit(ideas, labels).keywords_[0]
    assert keywords[0] == "ūdens"


def test_latvian_keywords_come_first_in_a_mixed_cluster() -> None:
    texts = [
        "Автобус ходит редко, автобус старый",
        "Автобус по выходным не ходит",
        "Автобусная остановка без крыши, автобус опаздывает",
        "Autobuss uz pilsētu",
        "Autobusa pietura",
    ]
    ideas, labels = _ideas([texts, ROAD_TEXTS])
    keywords = ClusterKeywords(ngram_max=1, mmr_diversity=0.0).fit(ideas, labels).keywords_[0]
    assert "автобус" in keywords
    latvian_positions = [i for i, k in enumerate(keywords) if not re.search("[а-я]", k)]
    russian_positions = [i for i, k in enumerate(keywords) if re.search("[а-я]", k)]
    assert max(latvian_positions) < min(russian_positions)


def test_territory_names_are_not_keywords() -> None:
    texts = [
        "Valmierā ceļš bedrains",
        "Valmieras ceļi sliktā stāvoklī",
        "Ceļš uz Valmieru jāremontē",
    ]
    territories = ["Valmieras pagasts"] * len(texts) + ["Ezerkalne"] * len(BUS_TEXTS)
    ideas, labels = _ideas([texts, BUS_TEXTS], territory=territories)
    kept = ClusterKeywords(exclude_territory_names=False).fit(ideas, labels).keywords_[0]
    assert "valmiera" in kept
    keywords = ClusterKeywords().fit(ideas, labels).keywords_[0]
    assert keywords[0] == "ceļš"
    assert not [k for k in keywords if "valmier" in fold(k)]


def test_keyword_quality_counts_stop_words_and_repeated_lemmas() -> None:
    assert keyword_quality({"roads": ["ceļš", "ceļu", "nav", "bedre"]}) == 0.5
    assert keyword_quality([["sporta laukums", "sports"], ["и", "автобус"]]) == 0.25
    assert keyword_quality({}) == 0.0


# --- representatives ------------------------------------------------------------------------


def test_representatives_exclude_duplicates_and_prefer_distinct_responses() -> None:
    texts = [
        "Bedres uz ceļa",
        "Bedres uz ceļa",
        "1. Ceļš bedrains 2. Ceļš ar bedrēm",
        "Asfalts uz ceļa saplaisājis",
    ]
    responses = pd.DataFrame(
        {"response_id": ["A", "B", "C", "D"], "source_row": [2, 3, 4, 5], "text": texts}
    )
    ideas = normalise_responses(responses)
    assert list(ideas["idea_id"]) == ["A-1", "B-1", "C-1", "C-2", "D-1"]
    labels = np.zeros(len(ideas), dtype=int)
    embeddings = _embed(ideas, HashingEncoder())
    chosen = representative_ideas(ideas, embeddings, labels, n=3)[0]
    assert "B-1" not in chosen
    assert len({idea.split("-")[0] for idea in chosen}) == 3
    everything = representative_ideas(ideas, embeddings, labels, n=10)[0]
    assert sorted(everything) == ["A-1", "C-1", "C-2", "D-1"]


# --- naming ---------------------------------------------------------------------------------


def test_namer_picks_the_right_theme() -> None:
    ideas, labels = _ideas([ROAD_TEXTS, BUS_TEXTS, DOCTOR_TEXTS])
    model = HashingEncoder()
    namer = ThemeNamer().fit(TAXONOMY, model)
    names = namer.name_clusters(ideas, _embed(ideas, model), labels)
    assert list(names["theme"]) == ["roads", "public_transport", "healthcare"]
    assert not names["is_new"].any()
    assert names["confidence"].between(0.3, 1.0).all()
    assert names.loc[0, "name_lv"] == "Ceļi un ielas"


def test_a_seed_word_used_as_a_place_counts_less() -> None:
    ideas, _ = _ideas([["Autobusa pietura pie ceļa", "Autobusa pietura un ceļš"]])
    model = HashingEncoder()
    vectors = _embed(ideas, model)  # with keyword_weight 1 only seed words count
    lemmas = ideas["content_lemmas"].tolist()
    places = idea_places(ideas)
    assert places[0] == {"cels"} and places[1] == frozenset()
    roads, bus = 0, 1
    for weight in (0.0, 0.5, 1.0):
        namer = ThemeNamer(keyword_weight=1.0, place_weight=weight).fit(TAXONOMY, model)
        scores = namer.idea_scores(vectors, lemmas, places)
        assert scores[0, roads] == pytest.approx(weight)  # "pie ceļa": where the stop is
        assert scores[1, roads] == pytest.approx(1.0)  # "ceļš" is what it is about
        assert scores[0, bus] == scores[1, bus] == pytest.approx(1.0)
    # without place words every seed word counts in full
    namer = ThemeNamer(keyword_weight=1.0, place_weight=0.0).fit(TAXONOMY, model)
    assert namer.idea_scores(vectors, lemmas)[0, roads] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="place lists"):
        namer.idea_scores(vectors, lemmas, places[:1])


def test_unmatched_cluster_is_new_with_a_keyword_name() -> None:
    ideas, labels = _ideas([ROAD_TEXTS, DOG_TEXTS])
    model = HashingEncoder()
    themes, assignments = build_themes(
        ideas, _embed(ideas, model), labels, TAXONOMY, model, TOY_PARAMS
    )
    new = themes[themes["is_new"]]
    assert list(new["theme"]) == ["new-1"]
    # named by what the dog ideas share: the dogs, alone or in a phrase ("suņu pastaiga")
    assert new.iloc[0]["name_lv"].split(", ")[0] in {"Suns", "Suņu pastaiga"}
    assert set(assignments.loc[labels == 1, "theme"]) == {"new-1"}
    assert set(assignments.loc[labels == 0, "theme"]) == {"roads"}


def test_a_new_theme_is_named_by_the_ideas_it_keeps() -> None:
    roads = ["Ceļa asfalts un bedres uz ceļa"]
    ideas, labels = _ideas([ROAD_TEXTS, DOG_TEXTS + roads])  # the road ideas sit in the dog cluster
    model = HashingEncoder()
    themes, assignments = build_themes(
        ideas, _embed(ideas, model), labels, TAXONOMY, model, TOY_PARAMS
    )
    moved = ideas["text"].isin(roads).to_numpy()
    assert set(assignments.loc[moved, "theme"]) == {"roads"}
    new = themes[themes["is_new"]].iloc[0]
    assert new["n_ideas"] == len(DOG_TEXTS)
    assert new["name_lv"].split(", ")[0] == new["keywords"][0].capitalize()
    assert "ceļš" not in new["name_lv"]


def test_what_is_left_of_a_mixed_cluster_is_no_new_theme() -> None:
    roads = ["Ceļa asfalts un bedres uz ceļa"]
    ideas, labels = _ideas([ROAD_TEXTS, DOG_TEXTS + roads])  # 4 of the cluster's 5 ideas stay
    model = HashingEncoder()
    vectors = _embed(ideas, model)
    kept = ideas["text"].isin(DOG_TEXTS).to_numpy()
    for share, expected in ((0.8, {"new-1"}), (0.9, {"", "roads"})):
        params = dataclasses.replace(TOY_PARAMS, min_new_theme_share=share)
        themes, assignments = build_themes(ideas, vectors, labels, TAXONOMY, model, params)
        assert set(assignments.loc[kept, "theme"]) <= expected
        assert themes["is_new"].sum() == (share == 0.8)


def test_a_new_cluster_with_too_few_ideas_is_no_theme() -> None:
    dogs = ["Suņu pastaigu laukums parkā", "Vieta, kur suņiem skraidīt"]
    ideas, labels = _ideas([ROAD_TEXTS, dogs])
    model = HashingEncoder()
    vectors = _embed(ideas, model)
    for minimum, expected in ((3, ""), (2, "new-1")):
        params = dataclasses.replace(TOY_PARAMS, min_new_theme_ideas=minimum)
        themes, assignments = build_themes(ideas, vectors, labels, TAXONOMY, model, params)
        assert set(assignments.loc[labels == 1, "theme"]) == {expected}
        assert themes["is_new"].sum() == (expected != "")
        assert set(assignments.loc[labels == 0, "theme"]) == {"roads"}


def test_a_keyword_name_puts_things_before_actions() -> None:
    keywords = ["lepoties", "maiznīca", "piens", "pastaigāt", "vakcinācija"]
    assert keyword_name(keywords, 3) == "maiznīca, piens, vakcinācija"
    # nouns, then adjectives, then verbs; a keyword already in the name is not repeated
    assert keyword_name(["skaists", "braukt", "tūrists", "muiža"], 3) == "tūrists, muiža, skaists"
    assert keyword_name(["laukums", "sporta laukums", "laukums"], 3) == "laukums, sporta laukums"
    assert keyword_name(["новый", "школа"], 2) == "школа, новый"


def test_a_new_theme_name_is_capitalised_nouns_first() -> None:
    keywords = ["balsot", "vēlēšanas", "jauns", "partija", "valdība"]
    assert new_theme_name(keywords, 3) == "Vēlēšanas, partija, valdība"
    assert new_theme_name(["ģimene", "braukt"], 3) == "Ģimene, braukt"
    assert new_theme_name([], 3) == ""
    assert keyword_name(["braukt", "strādāt"], 3) == "braukt, strādāt"
    assert keyword_name(["sporta laukums", "sportot"], 2) == "sporta laukums, sportot"


def test_noise_no_theme_fits_joins_the_new_theme_it_sits_in_or_stays_an_outlier() -> None:
    odd = ["Kaut kas pavisam cits", "Vēl viena doma", "Un vēl kaut kas"]
    ideas, labels = _ideas([ROAD_TEXTS, DOG_TEXTS, odd])
    labels = np.where(labels == 2, -1, labels)
    model = HashingEncoder()
    vectors = _embed(ideas, model)
    vectors[-3] = vectors[labels == 1].mean(axis=0)  # in the middle of the dog ideas
    vectors[-2] = vectors[labels == 0].mean(axis=0)  # in the middle of the road ideas
    vectors[-1] = -vectors[labels >= 0].mean(axis=0)  # far from every theme
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    _, assignments = build_themes(ideas, vectors, labels, TAXONOMY, model, TOY_PARAMS)
    # the new theme takes what sits among its ideas; a taxonomy theme only what fits it
    # (no seed word here), so an idea merely near the road ideas gets no road name
    assert list(assignments["theme"].iloc[-3:]) == ["new-1", "", ""]
    joined = assignments["theme_confidence"].iloc[-3]
    assert 0 < joined <= TOY_PARAMS.min_confidence  # min_confidence times its closeness


def test_an_idea_of_a_too_small_cluster_joins_a_theme_only_when_close() -> None:
    rng = np.random.default_rng(0)
    axes = np.eye(8)
    roads = axes[0] + 0.1 * rng.standard_normal((20, 8))
    buses = axes[1] + 0.1 * rng.standard_normal((20, 8))
    orphans = np.stack([axes[0] + 0.02 * axes[2], axes[3], axes[1] + 0.6 * axes[4]])
    vectors = np.vstack([roads, buses, orphans])
    theme_ids = np.array(["roads"] * 20 + ["transport"] * 20 + [""] * 3, dtype=object)
    joined, closeness = join_nearest_theme(vectors, theme_ids, np.arange(40, 43), 0.95)
    # near the roads centroid: joins it; far from both, or beyond the buses' spread: stays out
    assert list(joined) == ["roads", "", ""]
    assert 0.5 < closeness[0] <= 1.0
    assert list(closeness[1:]) == [0.0, 0.0]


def test_a_member_of_a_new_theme_leaves_it_only_for_a_nearer_taxonomy_theme() -> None:
    rng = np.random.default_rng(0)
    axes = np.eye(8)
    roads = axes[0] + 0.1 * rng.standard_normal((20, 8))
    topic = axes[1] + 0.1 * rng.standard_normal((20, 8))
    # members of the new cluster named "roads" word by word: one sits among the road ideas,
    # one among its own cluster's; a member of a taxonomy-named cluster is left alone
    topic[0] = axes[0] + 0.2 * axes[1]
    topic[1] = axes[1] + 0.2 * axes[0]
    roads[0] = axes[1]
    vectors = np.vstack([roads, topic])
    labels = np.array([0] * 20 + [1] * 20)
    named = np.array(["roads"] * 20 + ["roads", "roads"] + [""] * 18, dtype=object)
    named[0] = "roads"
    confidence = np.full(40, 0.6)
    theme_of = {0: "roads", 1: "new-1"}
    kept, kept_confidence = keep_new_theme_members(
        vectors, labels, named, confidence, theme_of, {0: 0.6, 1: 0.25}
    )
    assert list(kept[20:22]) == ["roads", ""]
    assert kept_confidence[20] == 0.6 and kept_confidence[21] == 0.25
    assert kept[0] == "roads" and (kept[22:] == "").all()
    assert named[21] == "roads"  # the input is not changed
    # no new theme (the cluster was a mix, or too small): nothing to keep
    kept, _ = keep_new_theme_members(vectors, labels, named, confidence, {0: "roads"}, {0: 0.6})
    assert list(kept) == list(named)


def test_clusters_with_the_same_theme_become_subthemes() -> None:
    potholes = ["Bedres uz ceļa", "Ceļš pilns ar bedrēm", "Bedrains ceļš", "Ceļa bedres dziļas"]
    asphalt = ["Asfalts ceļam", "Ceļš bez asfalta", "Asfaltēt ceļu", "Jauns asfalts ceļam"]
    ideas, labels = _ideas([potholes, asphalt, BUS_TEXTS])
    model = HashingEncoder()
    themes, assignments = build_themes(
        ideas, _embed(ideas, model), labels, TAXONOMY, model, TOY_PARAMS
    )
    roads = themes.set_index("theme").loc["roads"]
    assert sorted(roads["clusters"]) == [0, 1]
    assert roads["n_ideas"] == 8
    assert roads["subtheme_labels"] == ["roads/1", "roads/2"]
    assert len(set(roads["subthemes"])) == 2
    assert "bedre" in roads["subthemes"][0] or "bedre" in roads["subthemes"][1]
    assert set(assignments.loc[labels < 2, "subtheme"]) == {"roads/1", "roads/2"}
    assert set(assignments.loc[labels == 2, "subtheme"]) == {""}
    assert themes.set_index("theme").loc["public_transport", "subthemes"] == []


def test_member_with_clear_evidence_for_another_theme_is_named_apart() -> None:
    # One bus idea that the clustering put among the road ideas.
    ideas, labels = _ideas([[*ROAD_TEXTS, "Autobusa pietura bez nojumes"], DOCTOR_TEXTS])
    model = HashingEncoder()
    embeddings = _embed(ideas, model)
    themes, assignments = build_themes(ideas, embeddings, labels, TAXONOMY, model, TOY_PARAMS)
    assert list(assignments["theme"].iloc[:5]) == ["roads"] * 5
    assert assignments["theme"].iat[5] == "public_transport"
    assert assignments["cluster"].iat[5] == 0  # the cluster itself is kept
    table = themes.set_index("theme")
    # A theme only ideas named apart belong to: a taxonomy theme without clusters of its own.
    assert table.loc["public_transport", "n_ideas"] == 1
    assert table.loc["public_transport", "clusters"] == []
    assert not table.loc["public_transport", "is_new"]
    assert table.loc["public_transport", "name_lv"] == "Sabiedriskais transports"
    assert table.loc["roads", "n_ideas"] == 5

    # With the whole weight on the cluster's vote every member is named like its cluster.
    namer = ThemeNamer(cluster_weight=1.0, min_similarity=0.0).fit(TAXONOMY, model)
    _, same = build_themes(ideas, embeddings, labels, TAXONOMY, model, TOY_PARAMS, namer=namer)
    assert list(same["theme"].iloc[:6]) == ["roads"] * 6


PLANET_TEXTS = [
    "Saturnam ir gredzeni no ledus un akmeņiem",
    "Jupitera pavadoņus atklāja Galilejs",
    "Marsa atmosfēra ir ļoti reta",
]


def test_an_idea_far_from_every_theme_gets_no_taxonomy_name() -> None:
    far, near = PLANET_TEXTS[0], "Ceļš pilns ar bedrēm un asfalts saplaisājis"
    ideas, labels = _ideas([ROAD_TEXTS, BUS_TEXTS, [far, near]])
    labels = np.where(labels == 2, -1, labels)  # both are outliers, named on their own
    model = HashingEncoder()
    vectors = _embed(ideas, model)
    # with no score asked for, the relative score alone would name even the planet idea
    loose = dataclasses.replace(TOY_PARAMS, min_confidence=0.0, min_similarity=0.0)
    _, named = build_themes(ideas, vectors, labels, TAXONOMY, model, loose)
    assert named["theme"].iat[-2] != "" and named["theme"].iat[-1] == "roads"
    # it is nowhere near any theme's seed words: no theme fits it, so it keeps no name
    honest = dataclasses.replace(loose, min_similarity=0.2)
    _, named = build_themes(ideas, vectors, labels, TAXONOMY, model, honest)
    assert named["theme"].iat[-2] == "" and named["theme_confidence"].iat[-2] == 0.0
    assert named["theme"].iat[-1] == "roads"
    assert set(named["theme"].iloc[: len(ROAD_TEXTS)]) == {"roads"}


def test_a_big_mixed_cluster_is_not_named_after_a_minority() -> None:
    mixed = [*ROAD_TEXTS[:3], *DOG_TEXTS, *PLANET_TEXTS]  # 3 of 10 ideas about roads
    ideas, labels = _ideas([mixed, BUS_TEXTS])
    model = HashingEncoder()
    vectors = _embed(ideas, model)
    # the members' mean score still puts roads first, and once that named the cluster
    old = dataclasses.replace(TOY_PARAMS, min_fit_share=0.0)
    themes, named = build_themes(ideas, vectors, labels, TAXONOMY, model, old)
    assert themes.set_index("theme").loc["roads", "clusters"] == [0]
    assert not themes["is_new"].any()
    assert (named["theme"].iloc[: len(mixed)] == "roads").sum() >= 8
    themes, named = build_themes(ideas, vectors, labels, TAXONOMY, model, TOY_PARAMS)
    # the road ideas fit roads on their own, but no cluster is about roads: they stay
    assert set(named["theme"].iloc[: len(mixed)]) == {"new-1"}
    new = themes.set_index("theme").loc["new-1"]
    assert new["is_new"] and new["n_ideas"] == 10 and new["clusters"] == [0]
    assert "roads" not in set(themes["theme"])


def test_members_of_a_new_cluster_are_named_apart_only_with_a_theme_a_cluster_took() -> None:
    mixed = [
        "Suņu pastaigu laukums parkā",
        "Vieta, kur suņiem skraidīt",
        "Suņu pastaigas pa parku",
        "Ģimenes ārsts pieņem tikai divas dienas nedēļā",
        "Suņiem vajag pastaigu vietu",
        "Suņu īpašniekiem sava vieta",
        "Suņu laukums ar žogu",
    ]
    doctor = len(ROAD_TEXTS) + 3
    dogs = [len(ROAD_TEXTS) + i for i in (0, 1, 2, 4, 5, 6)]
    ideas, labels = _ideas([ROAD_TEXTS, mixed])
    model = HashingEncoder()
    vectors = _embed(ideas, model)
    themes, assignments = build_themes(ideas, vectors, labels, TAXONOMY, model, TOY_PARAMS)
    # healthcare fits the doctor idea, but no cluster is about it: it stays with the dogs
    assert set(assignments["theme"].iloc[[*dogs, doctor]]) == {"new-1"}
    new = themes.set_index("theme").loc["new-1"]
    assert new["is_new"] and new["n_ideas"] == 7 and new["clusters"] == [1]
    # an outlier has no cluster to stay in: a theme that fits it names it
    labels = np.asarray(labels).copy()
    labels[doctor] = -1
    themes, assignments = build_themes(ideas, vectors, labels, TAXONOMY, model, TOY_PARAMS)
    assert assignments["theme"].iat[doctor] == "healthcare"
    assert set(assignments["theme"].iloc[dogs]) == {"new-1"}
    # a member of a new cluster that a clustered theme fits, nearer to it: named with it
    stray = "Bedres un atkal bedres uz ceļa, jāasfaltē"
    ideas, labels = _ideas([ROAD_TEXTS, [*mixed, stray]])
    themes, assignments = build_themes(
        ideas, _embed(ideas, model), labels, TAXONOMY, model, TOY_PARAMS
    )
    assert assignments["theme"].iat[len(ideas) - 1] == "roads"
    assert assignments["theme"].iat[doctor] == "new-1"


def test_idea_named_apart_joins_the_nearest_subtheme_of_its_theme() -> None:
    potholes = ["Bedres uz ceļa", "Ceļš pilns ar bedrēm", "Bedrains ceļš", "Ceļa bedres dziļas"]
    asphalt = ["Asfalts ceļam", "Ceļš bez asfalta", "Asfaltēt ceļu", "Jauns asfalts ceļam"]
    stray = "Bedres un atkal bedres uz ceļa"  # clustered with the buses
    ideas, labels = _ideas([potholes, asphalt, [*BUS_TEXTS, stray]])
    model = HashingEncoder()
    themes, assignments = build_themes(
        ideas, _embed(ideas, model), labels, TAXONOMY, model, TOY_PARAMS
    )
    last = len(ideas) - 1
    assert assignments["theme"].iat[last] == "roads"
    pothole_subtheme = assignments["subtheme"].iat[0]
    assert pothole_subtheme.startswith("roads/")
    assert assignments["subtheme"].iat[last] == pothole_subtheme
    assert assignments["subtheme_name"].iat[last] == assignments["subtheme_name"].iat[0]
    assert themes.set_index("theme").loc["roads", "n_ideas"] == 9


def test_same_input_same_themes() -> None:
    ideas, labels = _ideas([[*ROAD_TEXTS, "Autobusa pietura bez nojumes"], BUS_TEXTS])
    model = HashingEncoder()
    embeddings = _embed(ideas, model)
    first = build_themes(ideas, embeddings, labels, TAXONOMY, model, TOY_PARAMS)
    second = build_themes(ideas, embeddings, labels, TAXONOMY, model, TOY_PARAMS)
    pd.testing.assert_frame_equal(first[0], second[0])
    pd.testing.assert_frame_equal(first[1], second[1])


def test_cluster_votes_are_weighted_means_of_member_scores() -> None:
    namer = ThemeNamer().fit(TAXONOMY, HashingEncoder())
    scores = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])
    votes = namer.cluster_votes(scores, [0, 0, -1, 1], weights=np.array([3.0, 1.0, 1.0, 1.0]))
    assert set(votes) == {0, 1}
    assert np.allclose(votes[0], [0.75, 0.25, 0.0])
    assert np.allclose(votes[1], [0.5, 0.5, 0.0])


def test_assign_mixes_the_cluster_vote_with_the_idea_score() -> None:
    namer = ThemeNamer(cluster_weight=0.3, min_confidence=0.4).fit(TAXONOMY, HashingEncoder())
    votes = {0: np.array([0.9, 0.1, 0.0]), 1: np.array([0.2, 0.2, 0.2])}
    scores = np.array(
        [
            [0.8, 0.2, 0.0],  # agrees with its cluster
            [0.0, 1.0, 0.0],  # 0.27 + 0 < 0.03 + 0.7: public transport
            [0.0, 0.0, 0.9],  # new cluster (no vote), fits healthcare on its own: 0.9 >= 0.4
            [0.3, 0.3, 0.35],  # new cluster, fits nothing well: stays new
            [0.9, 0.1, 0.0],  # outlier that fits a theme on its own
            [0.35, 0.3, 0.35],  # outlier that fits none: no theme
            [0.0, 0.0, 0.5],  # the healthcare cluster's member
        ]
    )
    labels = [0, 0, 1, 1, -1, -1, 2]
    votes[2] = np.array([0.0, 0.0, 0.8])
    named = {0: "roads", 1: "", 2: "healthcare"}
    themes, confidence = namer.assign(scores, labels, named, votes)
    assert list(themes[:3]) == ["roads", "public_transport", "healthcare"]
    assert list(themes[3:]) == ["", "roads", "", "healthcare"]
    assert np.allclose(confidence, [0.83, 0.73, 0.9, 0.2, 0.9, 0.0, 0.59])
    namer.name_outliers = False
    themes, _ = namer.assign(scores, labels, named, votes)
    assert list(themes[4:6]) == ["", ""]
    # a theme no cluster was named with does not take a new cluster's members (an outlier
    # still takes it): the best theme that fits and that a cluster took, else none
    namer.name_outliers = True
    themes, confidence = namer.assign(scores, labels, {**named, 2: "roads"}, votes)
    assert list(themes[2:5]) == ["", "", "roads"]
    assert confidence[2] == pytest.approx(0.2)  # its cluster's best vote, as for idea 3
    scores[2, 0] = 0.5  # roads fits it too: the one a cluster took
    themes, _ = namer.assign(scores, labels, {**named, 2: "roads"}, votes)
    assert themes[2] == "roads"
    scores[2, 0] = 0.0
    scores = scores[:6]
    labels = labels[:6]
    del votes[2]
    # a theme that does not fit an idea (far from its seed words) never names it on its own,
    # however it scores against the others; a named cluster's members still follow its vote
    namer.name_outliers = True
    fits = scores >= 0.4
    fits[[2, 4], :] = False
    themes, _ = namer.assign(scores, labels, {0: "roads", 1: ""}, votes, fits)
    assert list(themes) == ["roads", "public_transport", "", "", "", ""]


def test_namer_rejects_weights_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="cluster_weight"):
        ThemeNamer(cluster_weight=1.5).fit(TAXONOMY, HashingEncoder())
    with pytest.raises(ValueError, match="keyword_weight"):
        ThemeNamer(keyword_weight=-0.1).fit(TAXONOMY, HashingEncoder())
    with pytest.raises(ValueError, match="place_weight"):
        ThemeNamer(place_weight=2.0).fit(TAXONOMY, HashingEncoder())
    with pytest.raises(ValueError, match="min_fit_share"):
        ThemeNamer(min_fit_share=1.5).fit(TAXONOMY, HashingEncoder())


def test_language_centring_moves_each_language_onto_the_corpus_mean() -> None:
    rng = np.random.default_rng(0)
    theme = rng.normal(size=(2, 16))
    offset = {"lv": rng.normal(size=16) * 3, "ru": rng.normal(size=16) * 3}
    rows, languages = [], []
    for language in ("lv", "ru"):
        for k in range(12):
            rows.append(theme[k % 2] + offset[language] + 0.1 * rng.normal(size=16))
            languages.append(language)
    embeddings = np.asarray(rows, dtype=np.float32)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    ideas = pd.DataFrame(
        {"idea_id": [f"i{k}" for k in range(24)], "language": languages, "non_answer": False}
    )
    centred = language_centred(embeddings, ideas)
    assert centred.shape == embeddings.shape and centred.dtype == np.float32
    same_theme_other_language = float(centred[0] @ centred[12])
    other_theme_same_language = float(centred[0] @ centred[1])
    assert same_theme_other_language > other_theme_same_language
    assert float(embeddings[0] @ embeddings[12]) < float(embeddings[0] @ embeddings[1])
    one_language = ideas.assign(language="lv")
    assert np.array_equal(language_centred(embeddings, one_language), embeddings)


def test_votes_count_once_per_response() -> None:
    responses = pd.DataFrame(
        {
            "response_id": ["R1", "R2", "R3"],
            "source_row": [2, 3, 4],
            "text": [
                "1. Bedres uz ceļa pie skolas 2. Ceļš uz mājām jāremontē",
                "Asfalts uz ceļa saplaisājis",
                "Autobuss kursē reti",
            ],
            "votes": [5, 3, 7],
        }
    )
    ideas = normalise_responses(responses)
    labels = np.array([0, 0, 0, 1])
    model = HashingEncoder()
    themes, _ = build_themes(ideas, _embed(ideas, model), labels, TAXONOMY, model, TOY_PARAMS)
    roads = themes.set_index("theme").loc["roads"]
    assert (roads["n_ideas"], roads["n_responses"], roads["votes"]) == (3, 2, 8.0)


def test_build_themes_tables_outliers_and_non_answers() -> None:
    ideas, labels = _ideas([ROAD_TEXTS, BUS_TEXTS, ["nav", "Nezinu"], ["Skaisti saulrieti"]])
    labels = np.where(labels == 3, -1, labels)
    labels[labels == 2] = 0  # a caller that clustered non-answers too
    membership = np.linspace(0.5, 1.0, len(ideas))
    model = HashingEncoder()
    params = dataclasses.replace(TOY_PARAMS, n_keywords=5, n_representatives=2)
    themes, assignments = build_themes(
        ideas, _embed(ideas, model), labels, TAXONOMY, model, params, membership=membership
    )
    assert list(themes.columns) == list(THEME_COLUMNS)
    assert list(assignments.columns) == list(ASSIGNMENT_COLUMNS)
    assert list(assignments["idea_id"]) == list(ideas["idea_id"])
    assert list(assignments["cluster"]) == list(labels)
    quiet = ideas["non_answer"].to_numpy() | (labels == -1)
    assert set(assignments.loc[quiet, "theme"]) == {""}
    assert (assignments.loc[quiet, "theme_confidence"] == 0).all()
    assert themes.set_index("theme").loc["roads", "n_ideas"] == len(ROAD_TEXTS)
    roads = assignments["theme"].eq("roads").to_numpy()
    own = assignments.loc[roads, "theme_confidence"] / membership[roads]
    assert own.between(0.3, 1.0).all()  # each idea's naming confidence, times its membership
    assert np.isclose(themes.set_index("theme").loc["roads", "confidence"], own.mean())
    assert all(len(k) <= 5 for k in themes["keywords"])
    assert all(len(r) == 2 for r in themes["representatives"])


def test_build_themes_without_clusters() -> None:
    ideas, labels = _ideas([ROAD_TEXTS])
    model = HashingEncoder()
    embeddings = _embed(ideas, model)
    outliers = np.full(len(ideas), -1)
    namer = ThemeNamer(name_outliers=False).fit(TAXONOMY, model)
    themes, assignments = build_themes(
        ideas, embeddings, outliers, TAXONOMY, model, TOY_PARAMS, namer=namer
    )
    assert themes.empty and list(themes.columns) == list(THEME_COLUMNS)
    assert set(assignments["theme"]) == {""}
    # By default each outlier that fits a theme on its own is named with it.
    themes, assignments = build_themes(ideas, embeddings, outliers, TAXONOMY, model, TOY_PARAMS)
    assert set(assignments["theme"]) == {"roads"}
    assert list(themes["theme"]) == ["roads"] and themes["clusters"].iat[0] == []


def test_as_encoder_accepts_callables_and_normalises() -> None:
    encode = as_encoder(lambda texts: np.full((len(texts), 3), 2.0))
    rows = encode(["a", "b"])
    assert rows.shape == (2, 3)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)
    with pytest.raises(TypeError):
        as_encoder(42)


# --- taxonomy -------------------------------------------------------------------------------


def test_shipped_taxonomy_loads() -> None:
    themes = load_taxonomy(REPO / "data" / "reference" / "themes.yaml")
    assert len(themes) == 16
    assert len({t.id for t in themes}) == 16
    assert all(t.seeds and t.description for t in themes)


THEME_YAML = """themes:
  - id: roads
    name_lv: Ceļi
    name_en: Roads
    description: Ceļi un ielas.
    seeds: [ceļš]
"""


@pytest.mark.parametrize(
    ("second_entry", "message"),
    [
        (
            "  - id: bus\n    name_lv: Autobusi\n    name_en: Buses\n    seeds: [autobuss]\n",
            "theme entry 2 (id 'bus'): missing field(s) description",
        ),
        (
            "  - id: roads\n    name_lv: Ielas\n    name_en: Streets\n"
            "    description: Ielas.\n    seeds: [iela]\n",
            "theme entry 2 (id 'roads'): duplicate id 'roads' (first used by entry 1)",
        ),
        (
            "  - id: bus\n    name_lv: Autobusi\n    name_en: Buses\n"
            "    description: Autobusi.\n    seeds: autobuss\n",
            "theme entry 2 (id 'bus'): field 'seeds' must be a non-empty list",
        ),
        (
            "  - id: bus\n    name_lv: ''\n    name_en: Buses\n"
            "    description: Autobusi.\n    seeds: [autobuss]\n",
            "theme entry 2 (id 'bus'): field 'name_lv' must be non-empty text",
        ),
        (
            "  - id: new-1\n    name_lv: Jauns\n    name_en: New\n"
            "    description: Jauns.\n    seeds: [jauns]\n",
            "theme entry 2 (id 'new-1'): id 'new-1' is not allowed",
        ),
    ],
)
def test_taxonomy_errors_name_the_file_and_entry(
    tmp_path: Path, second_entry: str, message: str
) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text(THEME_YAML + second_entry, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_taxonomy(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_taxonomy_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_taxonomy(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("themes: [", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_taxonomy(broken)
    empty = tmp_path / "empty.yaml"
    empty.write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="no themes"):
        load_taxonomy(empty)


# --- the real model ---------------------------------------------------------------------------


@pytest.mark.slow
def test_real_model_names_latvian_and_russian_clusters(e5_model_dir: Path) -> None:
    from pipeline.embed.encoder import load_sentence_model

    model = load_sentence_model(e5_model_dir)
    russian_bus = ["Автобус ходит редко", "Нет автобуса вечером в город", "Остановка без крыши"]
    ideas, labels = _ideas([ROAD_TEXTS, BUS_TEXTS + russian_bus, DOCTOR_TEXTS])
    taxonomy = load_taxonomy(REPO / "data" / "reference" / "themes.yaml")
    themes, _ = build_themes(ideas, _embed(ideas, model), labels, taxonomy, model, TOY_PARAMS)
    by_cluster = {
        c: t for t, cs in zip(themes["theme"], themes["clusters"], strict=True) for c in cs
    }
    assert by_cluster == {0: "roads", 1: "public_transport", 2: "healthcare"}
    bus_keywords = themes.set_index("theme").loc["public_transport", "keywords"]
    assert bus_keywords[0] == "autobuss"
