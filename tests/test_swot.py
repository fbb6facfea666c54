"""Tests for pipeline.swot: cues, classifier, fallback, assignment; real-model tests are slow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pipeline.errors import BalsisError
from pipeline.evaluate import swot_scores
from pipeline.lang.codes import grammar_language
from pipeline.lang.lv.lemmatizer import lemmas, lemmatize
from pipeline.lang.lv.morphology import ud_features
from pipeline.lang.lv.tokens import tokenize
from pipeline.params import SwotParams, load_params
from pipeline.swot.assign import SWOT_COLUMNS, assign_swot, evidence_text
from pipeline.swot.classifier import SwotClassifier
from pipeline.swot.cues import Cue, CueMatcher
from pipeline.swot.persist import (
    CV_REPORT_FILE,
    library_versions,
    load_swot_model,
    save_swot_model,
    swot_model_from_params,
)
from pipeline.swot.priors import reweight_to_corpus_prior
from pipeline.swot.prototypes import CueSwot, PrototypeSwot
from pipeline.swot.quadrants import QUADRANTS
from pipeline.swot.train import prepare_statements, train_swot

LABELLED = Path(__file__).resolve().parent.parent / "data" / "reference" / "svid_labelled.csv"


@pytest.fixture(scope="module")
def matcher() -> CueMatcher:
    return CueMatcher()


def cues_of(matcher: CueMatcher, text: str, language: str) -> list[Cue]:
    """Cues of a text lemmatised the way the ideas table is."""
    code = grammar_language(language)
    tokens = tokenize(text, code)
    return matcher.match([lemmatize(t, code) for t in tokens], tokens, language)


def ids_of(matcher: CueMatcher, text: str, language: str) -> list[str]:
    return [cue.id for cue in cues_of(matcher, text, language)]


def evidence_of(matcher: CueMatcher, text: str, language: str) -> str:
    return evidence_text(cues_of(matcher, text, language))


# ---------------------------------------------------------------------------------------------
# Cues


def test_every_cue_fires_on_its_own_examples(matcher: CueMatcher) -> None:
    missed = [
        (definition.id, language, example)
        for definition in matcher.definitions
        for language, examples in definition.examples.items()
        for example in examples
        if definition.id not in ids_of(matcher, example, language)
    ]
    assert missed == []


def test_every_cue_has_a_latvian_label_and_latvian_patterns(matcher: CueMatcher) -> None:
    for definition in matcher.definitions:
        assert definition.label
        assert definition.patterns.get("lv"), definition.id
        assert definition.examples.get("lv"), definition.id


@pytest.mark.parametrize(
    ("text", "language", "cue_id", "evidence"),
    [
        # W: needs and lacks
        ("Pagastā trūkst ģimenes ārsta", "lv", "lack", "trūkums: trūkst"),
        ("Ceļš ir briesmīgā stāvoklī", "lv", "bad_state", "negatīvs vērtējums: briesmīgā"),
        ("В посёлке нет аптеки", "ru", "lack", "trūkums: нет"),
        ("Дороги разбитые, нужен ремонт", "ru", "need", "vajadzība: нужен"),
        # O: ideas to use something
        ("Varētu attīstīt laivu nomu", "lv", "conditional", "vēlējuma izteiksme: Varētu"),
        ("Piesaistīt fondus jaunai estrādei", "lv", "funding", "finansējuma piesaiste: fondus"),
        ("Izmantot ezeru tūrismam", "lv", "develop_use", "attīstība, izmantošana: Izmantot"),
        ("Можно использовать озеро для туризма", "ru", "possibility", "iespēja: Можно"),
        # S: praise of what works
        ("Skaista daba un aktīva kopiena", "lv", "positive", "pozitīvs vērtējums: Skaista, aktīva"),
        ("Paldies par jauno laukumu", "lv", "praise", "pateicība, uzslava: Paldies"),
        ("Спасибо за новые скамейки", "ru", "praise", "pateicība, uzslava: Спасибо"),
        # T: harmful external trends
        ("Jaunieši aizbrauc uz ārzemēm", "lv", "trend_decline", "tendence: aizbrauc"),
        ("Iedzīvotāju skaits samazinās", "lv", "trend_decline", "tendence: samazinās"),
        ("Ap ciemu izcērt mežus", "lv", "trend_decline", "tendence: izcērt"),
        ("Молодёжь уезжает в Ригу", "ru", "trend_decline", "tendence: уезжает"),
    ],
)
def test_cues_per_quadrant(
    matcher: CueMatcher, text: str, language: str, cue_id: str, evidence: str
) -> None:
    assert cue_id in ids_of(matcher, text, language)
    assert evidence in evidence_of(matcher, text, language)


def test_latgalian_uses_the_latvian_cues(matcher: CueMatcher) -> None:
    assert "lack" in ids_of(matcher, "Myusu pogostā nav veikala", "ltg")


def test_english_has_a_few_cues(matcher: CueMatcher) -> None:
    assert "lack" in ids_of(matcher, "There is no pharmacy in the village", "en")
    assert "trend_decline" in ids_of(matcher, "Young people are leaving", "en")


def test_debitive_is_found_on_the_surface_form(matcher: CueMatcher) -> None:
    assert evidence_of(matcher, "jāsalabo tilts", "lv").startswith("jā- forma: jāsalabo")
    assert "debitive" in ids_of(matcher, "Jāuzlabo ielu apgaismojums", "lv")
    # the midsummer feast is not a debitive
    assert "debitive" not in ids_of(matcher, "Jāņos rīkot zaļumballi", "lv")


def test_debitive_typed_without_diacritics_is_restored_first(matcher: CueMatcher) -> None:
    prepared = prepare_statements(["jasalabo tilts pie skolas"])
    row = prepared.iloc[0]
    assert row["text_normalised"].startswith("jāsalabo")
    cues = matcher.match(list(row["lemmas"]), list(row["tokens"]), row["language"])
    assert "debitive" in [c.id for c in cues]


@pytest.mark.parametrize(
    ("word", "lemma", "features"),
    [
        ("jāsalabo", "salabot", "Mood=Nec"),
        ("varētu", "varēt", "Mood=Cnd"),
        ("slēgs", "slēgt", "Tense=Fut"),
        ("attīstīt", "attīstīt", "VerbForm=Inf"),
        ("izbūvēts", "izbūvēt", "VerbForm=Part"),
        ("nav", "būt", "Polarity=Neg"),
        ("nestrādā", "strādāt", "Polarity=Neg"),
        ("neattīstīt", "attīstīt", "Polarity=Neg|VerbForm=Inf"),
        ("nedēļa", "nedēļa", ""),  # "ne-" that negates nothing
    ],
)
def test_latvian_morphology_from_form_and_lemma(word: str, lemma: str, features: str) -> None:
    assert ud_features(word, lemma) == features


def test_negation_of_a_verb(matcher: CueMatcher) -> None:
    assert "negation" in ids_of(matcher, "Ūdens sūknis nestrādā", "lv")
    assert "noliegums: не горят" in evidence_of(matcher, "Фонари не горят", "ru")


def test_negated_praise_is_not_praise(matcher: CueMatcher) -> None:
    ids = ids_of(matcher, "Ceļš nav labs", "lv")
    assert "negated_positive" in ids
    assert "positive" not in ids
    assert "lack" not in ids


def test_no_problem_is_not_a_lack(matcher: CueMatcher) -> None:
    ids = ids_of(matcher, "Ar ūdeni nav problēmu", "lv")
    assert ids == ["no_problem"]
    assert ids_of(matcher, "Проблем с водой нет", "ru") == ["no_problem"]


@pytest.mark.parametrize(
    ("text", "language", "cue_id"),
    [
        ("Steidzami jāsalabo tilts", "lv", "urgent"),
        ("Pāri iet ir bīstami", "lv", "danger"),
        ("Ceļš katru gadu sliktāk", "lv", "worsening"),
        ("Tilts avārijas stāvoklī", "lv", "emergency_state"),
        ("Срочно отремонтировать мост", "ru", "urgent"),
        ("Мост в аварийном состоянии", "ru", "emergency_state"),
    ],
)
def test_urgency_cues(matcher: CueMatcher, text: str, language: str, cue_id: str) -> None:
    cues = cues_of(matcher, text, language)
    assert cue_id in [c.id for c in cues]
    assert any(c.urgency for c in cues if c.id == cue_id)


def test_no_urgency_in_a_calm_idea(matcher: CueMatcher) -> None:
    assert not any(c.urgency for c in cues_of(matcher, "Varētu sarīkot tirdziņu", "lv"))


def test_features_are_one_hot_per_cue(matcher: CueMatcher) -> None:
    tokens = ["trūkst", "ārsta"]
    vector = matcher.features(["trūkt", "ārsts"], tokens, "lv")
    assert vector.shape == (len(matcher.cue_ids),)
    assert vector[matcher.cue_ids.index("lack")] == 1
    assert vector.sum() == 1


def test_misaligned_lemmas_are_an_error(matcher: CueMatcher) -> None:
    with pytest.raises(ValueError, match="align"):
        matcher.match(["a"], ["a", "b"], "lv")


def test_empty_idea_has_no_cues(matcher: CueMatcher) -> None:
    assert matcher.match([], [], "lv") == []


def test_hint_rows_sum_to_one(matcher: CueMatcher) -> None:
    hints = matcher.hint_matrix()
    assert hints.shape == (len(matcher.cue_ids), 4)
    np.testing.assert_allclose(hints.sum(axis=1), 1.0)
    assert hints[matcher.cue_ids.index("lack"), QUADRANTS.index("W")] == 1.0


def test_a_broken_cue_file_says_which_cue(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(
        "cues:\n  - id: x\n    label: x\n    quadrants: {X: 1}\n    patterns: {lv: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(BalsisError, match="cue 1 \\(x\\)"):
        CueMatcher(path)


def test_matcher_survives_pickling(matcher: CueMatcher) -> None:
    import pickle

    copy = pickle.loads(pickle.dumps(matcher))
    assert ids_of(copy, "Pagastā trūkst ārsta", "lv") == ids_of(
        matcher, "Pagastā trūkst ārsta", "lv"
    )


# ---------------------------------------------------------------------------------------------
# Classifier on synthetic data


def synthetic(n_per_class: int = 30, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Embeddings clustered by quadrant plus one informative cue feature per quadrant."""
    rng = np.random.default_rng(seed)
    centres = np.eye(4, 16) * 3
    embeddings, cues, labels = [], [], []
    for k, quadrant in enumerate(QUADRANTS):
        block = centres[k] + rng.normal(size=(n_per_class, 16))
        embeddings.append(block / np.linalg.norm(block, axis=1, keepdims=True))
        cue = np.zeros((n_per_class, 5))
        cue[:, k] = rng.random(n_per_class) < 0.7
        cue[:, 4] = rng.random(n_per_class) < 0.5  # noise
        cues.append(cue)
        labels += [quadrant] * n_per_class
    return np.vstack(embeddings), np.vstack(cues), np.array(labels, dtype=object)


def test_classifier_learns_the_synthetic_quadrants() -> None:
    embeddings, cues, labels = synthetic()
    test_embeddings, test_cues, test_labels = synthetic(seed=1)
    classifier = SwotClassifier(C=10, random_state=0).fit(embeddings, cues, labels)
    predicted = classifier.predict(test_embeddings, test_cues)
    assert np.mean(predicted == test_labels) > 0.9
    assert list(classifier.classes_) == list(QUADRANTS)
    assert classifier.n_cue_features_ == 5


def test_classifier_columns_follow_s_w_o_t() -> None:
    embeddings, cues, labels = synthetic()
    classifier = SwotClassifier(random_state=0).fit(embeddings, cues, labels)
    proba = classifier.predict_proba(embeddings[labels == "T"], cues[labels == "T"])
    assert np.mean(proba.argmax(axis=1) == QUADRANTS.index("T")) > 0.9


def test_classifier_keeps_its_arguments_and_prior() -> None:
    classifier = SwotClassifier(C=3.0, class_weight="balanced", cue_weight=0.5)
    assert classifier.get_params()["C"] == 3.0
    assert not hasattr(classifier, "model_")
    embeddings, cues, labels = synthetic()
    weights = np.where(labels == "S", 3.0, 1.0)
    fitted = SwotClassifier().fit(embeddings, cues, labels, sample_weight=weights)
    np.testing.assert_allclose(fitted.class_prior_, [0.5, 1 / 6, 1 / 6, 1 / 6])


def test_classifier_rejects_unknown_labels_and_wrong_widths() -> None:
    embeddings, cues, labels = synthetic()
    with pytest.raises(ValueError, match="unknown quadrant"):
        SwotClassifier().fit(embeddings, cues, np.where(labels == "S", "X", labels))
    fitted = SwotClassifier().fit(embeddings, cues, labels)
    with pytest.raises(ValueError, match="retrain"):
        fitted.predict_proba(embeddings, cues[:, :3])
    with pytest.raises(RuntimeError, match="not fitted"):
        SwotClassifier().predict_proba(embeddings, cues)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    embeddings, cues, labels = synthetic()
    classifier = SwotClassifier(random_state=0).fit(embeddings, cues, labels)
    report = {"cv": {"macro_f1": 0.9}, "versions": library_versions()}
    save_swot_model(classifier, report, tmp_path / "swot")
    loaded = load_swot_model(tmp_path / "swot")
    np.testing.assert_allclose(
        loaded.predict_proba(embeddings, cues), classifier.predict_proba(embeddings, cues)
    )
    saved = json.loads((tmp_path / "swot" / CV_REPORT_FILE).read_text(encoding="utf-8"))
    assert saved["cv"]["macro_f1"] == 0.9
    assert saved["versions"]["scikit-learn"]
    assert (tmp_path / "swot" / "versions.json").exists()


def test_loading_a_missing_model_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(BalsisError, match="train_swot"):
        load_swot_model(tmp_path / "nothing")


# ---------------------------------------------------------------------------------------------
# Training with a fake encoder

_WORDS = {
    "S": ("skaist", "paldies", "lab", "aktīv", "tīr"),
    "W": ("nav", "trūkst", "slikt", "bedr", "jāsalabo"),
    "O": ("varētu", "attīst", "izmanto", "piesaist", "rīko"),
    "T": ("aizbrauc", "samazin", "izcērt", "slēgs", "noveco"),
}


class KeywordEncoder:
    """A stand-in sentence model: one dimension per quadrant's keywords plus a constant."""

    def encode(self, sentences: list[str], **kwargs: object) -> np.ndarray:
        rows = []
        for sentence in sentences:
            words = re.findall(r"\w+", sentence.lower())
            row = [sum(w.startswith(k) for w in words for k in _WORDS[q]) for q in QUADRANTS]
            rows.append([*row, 0.3])
        vectors = np.asarray(rows, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def tiny_labelled() -> pd.DataFrame:
    texts = {
        "S": ["skaista daba", "paldies par parku", "laba skola", "aktīva kopiena", "tīrs ezers"],
        "W": ["nav ārsta", "trūkst darba", "slikti ceļi", "bedres uz ceļa", "jāsalabo tilts"],
        "O": [
            "varētu rīkot tirgu",
            "attīstīt tūrismu",
            "izmantot skolu",
            "piesaistīt fondus",
            "rīkot talkas",
        ],  # fmt: skip
        "T": [
            "jaunieši aizbrauc",
            "skaits samazinās",
            "izcērt mežus",
            "skolu slēgs",
            "sabiedrība noveco",
        ],  # fmt: skip
    }
    rows = [(text, q) for q, items in texts.items() for text in items]
    return pd.DataFrame(rows, columns=["text", "quadrant"])


def test_train_swot_reports_cross_validated_scores() -> None:
    params = SwotParams(cv_folds=3, C=10.0)
    classifier, report = train_swot(tiny_labelled(), KeywordEncoder(), params, seed=0)
    cv = report["cv"]
    assert cv["macro_f1"] > 0.8
    assert len(cv["fold_macro_f1"]) == 3
    assert np.asarray(cv["confusion"]["matrix"]).shape == (4, 4)
    assert {f"precision_{q}" for q in QUADRANTS} <= set(cv)
    assert report["quadrant_counts"] == {"S": 5, "W": 5, "O": 5, "T": 5}
    assert report["versions"]["scikit-learn"]
    json.dumps(report)  # JSON-able
    assert classifier.n_cue_features_ == len(report["cue_ids"])


def test_train_swot_is_deterministic() -> None:
    params = SwotParams(cv_folds=3)
    first = train_swot(tiny_labelled(), KeywordEncoder(), params, seed=7)
    second = train_swot(tiny_labelled(), KeywordEncoder(), params, seed=7)
    assert first[1]["cv"] == second[1]["cv"]


def test_train_swot_names_the_bad_row() -> None:
    labelled = tiny_labelled()
    labelled.loc[3, "quadrant"] = "X"
    with pytest.raises(BalsisError, match="row 5"):
        train_swot(labelled, KeywordEncoder(), SwotParams(cv_folds=3), seed=0)


def test_train_swot_needs_enough_per_quadrant() -> None:
    with pytest.raises(BalsisError, match="at least 10"):
        train_swot(tiny_labelled(), KeywordEncoder(), SwotParams(cv_folds=10), seed=0)


# ---------------------------------------------------------------------------------------------
# Fallback


def test_fallback_gives_sensible_quadrants(matcher: CueMatcher) -> None:
    fallback = PrototypeSwot(cue_weight=0.0).fit(KeywordEncoder(), matcher)
    ideas = ["skaista daba pie ezera", "nav apgaismojuma", "varētu attīstīt laivu nomu",
             "jaunieši aizbrauc"]  # fmt: skip
    predicted = fallback.predict(
        KeywordEncoder().encode(ideas), np.zeros((4, len(matcher.cue_ids)))
    )
    assert list(predicted) == ["S", "W", "O", "T"]


def test_fallback_cues_shift_an_undecided_idea(matcher: CueMatcher) -> None:
    fallback = PrototypeSwot().fit(KeywordEncoder(), matcher)
    neutral = KeywordEncoder().encode(["ciems"])
    lack = np.zeros((1, len(matcher.cue_ids)))
    lack[0, matcher.cue_ids.index("lack")] = 1
    proba = fallback.predict_proba(neutral, lack)[0]
    assert QUADRANTS[int(proba.argmax())] == "W"


def test_cues_alone_follow_the_hints(matcher: CueMatcher) -> None:
    model = CueSwot().fit(matcher)
    features = np.zeros((2, len(matcher.cue_ids)))
    features[0, matcher.cue_ids.index("praise")] = 1
    assert list(model.predict(np.zeros((2, 1)), features)) == ["S", "W"]  # no cue: W


def test_params_choose_the_fallback(matcher: CueMatcher) -> None:
    model = swot_model_from_params(
        SwotParams(use_classifier=False), matcher, encoder=KeywordEncoder()
    )
    assert isinstance(model, PrototypeSwot)
    with pytest.raises(BalsisError, match="classifier directory"):
        swot_model_from_params(SwotParams(use_classifier=True), matcher)


def test_params_refuse_a_classifier_trained_with_other_cues(
    matcher: CueMatcher, tmp_path: Path
) -> None:
    n_cues = len(matcher.cue_ids)
    embeddings, _, labels = synthetic()
    classifier = SwotClassifier().fit(embeddings, np.zeros((len(labels), n_cues)), labels)
    cue_ids = list(matcher.cue_ids)
    save_swot_model(classifier, {"cue_ids": cue_ids}, tmp_path / "ok")
    loaded = swot_model_from_params(SwotParams(), matcher, model_dir=tmp_path / "ok")
    assert isinstance(loaded, SwotClassifier)
    save_swot_model(classifier, {"cue_ids": cue_ids[::-1]}, tmp_path / "stale")
    with pytest.raises(BalsisError, match="retrain"):
        swot_model_from_params(SwotParams(), matcher, model_dir=tmp_path / "stale")


def test_params_yaml_has_a_swot_section() -> None:
    params = load_params()
    assert params.swot.cv_folds == 5
    assert params.swot.use_classifier is True


# ---------------------------------------------------------------------------------------------
# Assigning quadrants


def ideas_table(texts: list[str], non_answer: list[bool]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "idea_id": [f"r{i}-1" for i in range(len(texts))],
            "text_normalised": texts,
            "language": ["lv"] * len(texts),
            "lemmas": [lemmas(t, "lv") for t in texts],
            "non_answer": non_answer,
        }
    )


def test_assign_swot_leaves_non_answers_empty(matcher: CueMatcher) -> None:
    ideas = ideas_table(
        ["Nav", "Pagastā trūkst ārsta, steidzami jāsalabo tilts", "Paldies par parku"],
        [True, False, False],
    )
    embeddings = KeywordEncoder().encode(list(ideas["text_normalised"]))
    embeddings[0] = 0.0
    fallback = PrototypeSwot().fit(KeywordEncoder(), matcher)
    result = assign_swot(ideas, embeddings, fallback, matcher)
    assert list(result.columns) == list(SWOT_COLUMNS)
    assert list(result["idea_id"]) == list(ideas["idea_id"])
    assert result.loc[0, "swot"] == ""
    assert np.isnan(result.loc[0, "swot_confidence"])
    assert result.loc[0, "swot_evidence"] == ""
    assert result.loc[0, "swot_cues"] == []
    assert result.loc[0, "urgency"] == 0
    assert list(result["swot"][1:]) == ["W", "S"]
    assert "trūkums: trūkst" in result.loc[1, "swot_evidence"]
    assert "jā- forma: jāsalabo" in result.loc[1, "swot_evidence"]
    assert result.loc[1, "urgency"] == 1
    assert {"lack", "urgent", "debitive"} <= set(result.loc[1, "swot_cues"])
    probabilities = result.loc[1:, [f"swot_p_{q}" for q in QUADRANTS]].to_numpy()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.loc[1:, "swot_confidence"], probabilities.max(axis=1))


def test_assign_swot_adapts_the_classifier_to_the_corpus_shares(
    matcher: CueMatcher,
) -> None:
    rng = np.random.default_rng(0)
    n_cues = len(matcher.cue_ids)
    embeddings, _, labels = synthetic()
    # strongly regularised: its raw probabilities are too flat; calibration must fix that
    classifier = SwotClassifier(C=0.3).fit(embeddings, np.zeros((len(labels), n_cues)), labels)
    assert classifier.temperature_ < 1
    # a corpus of needs with a few of each other kind, embedded near the training clusters
    corpus_embeddings, _, corpus_labels = synthetic(n_per_class=60, seed=2)
    keep = (corpus_labels == "W") | (rng.random(len(corpus_labels)) < 0.15)
    truth_w = float(np.mean(corpus_labels[keep] == "W"))
    ideas = ideas_table(["x"] * int(keep.sum()), [False] * int(keep.sum()))
    adapted = assign_swot(ideas, corpus_embeddings[keep], classifier, matcher)
    plain = assign_swot(ideas, corpus_embeddings[keep], classifier, matcher, adapt_priors=False)
    assert abs(adapted.attrs["swot_prior"]["W"] - truth_w) < 0.1
    assert abs(adapted["swot_p_W"].mean() - truth_w) < abs(plain["swot_p_W"].mean() - truth_w)
    assert "swot_prior" not in plain.attrs
    few = assign_swot(ideas.head(10), corpus_embeddings[keep][:10], classifier, matcher)
    assert "swot_prior" not in few.attrs  # too few ideas to estimate shares from


def test_assign_swot_checks_alignment(matcher: CueMatcher) -> None:
    ideas = ideas_table(["Nav ārsta"], [False])
    with pytest.raises(ValueError, match="embedding rows"):
        assign_swot(ideas, np.zeros((2, 5)), CueSwot().fit(matcher), matcher)


# ---------------------------------------------------------------------------------------------
# Probabilities: properties


_FEATURES = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(
        arrays(np.float64, (n, 5), elements=st.floats(-1, 1, allow_nan=False)),
        arrays(np.float64, (n, 3), elements=st.sampled_from([0.0, 1.0])),
    )
)


@pytest.fixture(scope="module")
def fitted_models() -> list[object]:
    rng = np.random.default_rng(0)
    embeddings = rng.normal(size=(40, 5))
    cues = (rng.random((40, 3)) < 0.3).astype(float)
    labels = np.array(list(QUADRANTS) * 10, dtype=object)
    hints = np.array([[0, 1, 0, 0], [0.5, 0, 0.5, 0], [0, 0, 0, 1.0]])
    return [
        SwotClassifier(random_state=0).fit(embeddings, cues, labels),
        PrototypeSwot(temperature=0.1).fit_vectors(embeddings[:8], labels[:8], hints),
    ]


@settings(max_examples=60, deadline=None)
@given(data=_FEATURES)
def test_probabilities_sum_to_one(fitted_models: list[object], data: tuple) -> None:
    embeddings, cues = data
    for model in fitted_models:
        proba = model.predict_proba(embeddings, cues)  # type: ignore[attr-defined]
        assert proba.shape == (len(embeddings), 4)
        assert np.all(proba >= 0)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
        adapted, prior = reweight_to_corpus_prior(proba)
        np.testing.assert_allclose(adapted.sum(axis=1), 1.0, atol=1e-9)
        np.testing.assert_allclose(prior.sum(), 1.0, atol=1e-9)


def test_reweighting_keeps_a_corpus_that_matches_the_training_prior() -> None:
    proba = np.tile([0.7, 0.1, 0.1, 0.1], (4, 1))
    proba[1], proba[2], proba[3] = np.roll(proba[0], 1), np.roll(proba[0], 2), np.roll(proba[0], 3)
    adapted, prior = reweight_to_corpus_prior(proba)
    np.testing.assert_allclose(prior, 0.25)
    np.testing.assert_allclose(adapted, proba)


# ---------------------------------------------------------------------------------------------
# The metric


def test_swot_scores() -> None:
    gold = ["S", "W", "O", "T", "W", ""]
    perfect = swot_scores(gold, gold)
    assert perfect["macro_f1"] == 1.0 and perfect["n"] == 5
    worse = swot_scores(["S", "W", "O", "T", "", "W"], gold)
    assert worse["recall_W"] == 0.5
    assert worse["precision_W"] == 1.0
    assert worse["confusion"]["matrix"][1] == [0, 1, 0, 0]
    assert worse["macro_f1"] < 1.0


# ---------------------------------------------------------------------------------------------
# The real model (slow)


@pytest.fixture(scope="session")
def e5_model(e5_model_dir: Path) -> object:
    from pipeline.embed.encoder import load_sentence_model

    return load_sentence_model(e5_model_dir)


@pytest.mark.slow
def test_classifier_on_the_labelled_set_meets_the_target(e5_model: object) -> None:
    params = load_params()
    labelled = pd.read_csv(LABELLED)
    classifier, report = train_swot(labelled, e5_model, params.swot, params.seed)
    assert report["cv"]["macro_f1"] >= 0.80
    matcher = CueMatcher()
    ideas = ideas_table(
        [
            "Pagastā nav zobārsta, jābrauc uz pilsētu",
            "Varētu attīstīt laivu nomu uz ezera",
            "Paldies bibliotekārei, bibliotēka strādā lieliski",
            "Jaunieši aizbrauc uz ārzemēm un neatgriežas",
        ],
        [False] * 4,
    )
    from pipeline.embed.texts import embed_texts

    embeddings, _ = embed_texts(list(ideas["text_normalised"]), e5_model, progress=False)
    result = assign_swot(ideas, embeddings, classifier, matcher)
    assert list(result["swot"]) == ["W", "O", "S", "T"]


@pytest.mark.slow
def test_fallback_with_the_real_model(e5_model: object) -> None:
    matcher = CueMatcher()
    fallback = PrototypeSwot().fit(e5_model, matcher)
    ideas = ideas_table(
        [
            "Ielas apgaismojums nedarbojas, vakaros tumšs",
            "Pie ezera varētu ierīkot kempingu",
            "Mums ir ļoti atsaucīgi kaimiņi",
            "Iedzīvotāju skaits ar katru gadu sarūk",
        ],
        [False] * 4,
    )
    from pipeline.embed.texts import embed_texts

    embeddings, _ = embed_texts(list(ideas["text_normalised"]), e5_model, progress=False)
    result = assign_swot(ideas, embeddings, fallback, matcher)
    assert list(result["swot"]) == ["W", "O", "S", "T"]
