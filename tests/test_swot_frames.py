"""Question frames, the frame prior, the praise rule and the evidence they leave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.errors import BalsisError
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.tokens import tokenize
from pipeline.params import params_from_dict
from pipeline.swot.assign import assign_swot, idea_frames
from pipeline.swot.combine import (
    apply_frame_prior,
    frame_evidence,
    frame_priors,
    praise_by_question,
    require_praise,
    rule_out_strength,
    strength_by_question,
)
from pipeline.swot.cues import (
    CueMatcher,
    load_deficiency_cues,
    load_negative_cues,
    load_strength_cues,
)
from pipeline.swot.files import FRAMES_PATH
from pipeline.swot.frames import FRAMES, detect_frame, load_frames, question_frames
from pipeline.swot.quadrants import QUADRANTS


@pytest.mark.parametrize(
    ("question", "frame"),
    [
        ("Kas jūsu ciemā visvairāk pietrūkst?", "lack"),
        ("Kas jusu ciema visvairak pietrukst?", "lack"),
        ("Kādas ir lielākās problēmas pagastā?", "lack"),
        ("Kas traucē dzīvot jūsu ciemā?", "lack"),
        ("Kas jauzlabo pagasta?", "lack"),
        ("Jūsu galvenā vēlme pagasta nākotnei?", "wish"),
        ("Jusu galvena velme pagasta nakotnei", "wish"),
        ("Kādu jaunu pakalpojumu jūs vēlētos?", "wish"),
        ("Jūsu priekšlikumi un idejas", "wish"),
        ("Ar ko jūs lepojaties savā novadā?", "pride"),
        ("Kas jums patik jusu pagasta?", "pride"),
        ("Kādas ir pagasta vērtības?", "pride"),
        ("Kas jūs satrauc par pagasta nākotni?", "worry"),
        ("No ka jus baidaties?", "worry"),
        ("Kādus draudus un riskus redzat?", "worry"),
        ("Чего не хватает в вашем посёлке?", "lack"),
        ("Какие проблемы мешают жить?", "lack"),
        ("Что вам не нравится?", "lack"),
        ("Ваши предложения и пожелания", "wish"),
        ("Что бы вам хотелось изменить?", "wish"),
        ("Чем вы гордитесь?", "pride"),
        ("Что вам нравится в посёлке?", "pride"),
        ("Чего вы опасаетесь?", "worry"),
        ("What is missing in your village?", "lack"),
        ("What would you like to see here?", "wish"),
        ("Any suggestions?", "wish"),
        ("What are you proud of?", "pride"),
        ("What do you like about living here?", "pride"),
        ("What worries you most?", "worry"),
        ("Jūsu vecums", "neutral"),
        ("Kas jums patīk un kas nepatīk?", "neutral"),
    ],
)
def test_detect_frame(question: str, frame: str) -> None:
    assert detect_frame(question) == frame


def test_a_word_takes_its_longest_stem_so_a_negated_like_is_a_lack() -> None:
    # "nepatīk" lemmatises to "patikt" (pride): the form decides, not the lemma
    assert lemmatize("nepatīk", "lv") == "patikt"
    assert detect_frame("Kas jums nepatīk?") == "lack"


def test_question_frames_overrides_win_and_empty_question_is_neutral() -> None:
    questions = ["Kas pietrūkst?", "Jūsu vecums", "", "Kas pietrūkst?"]
    frames = question_frames(questions, {"Jūsu vecums": "worry"})
    assert frames == {"Kas pietrūkst?": "lack", "Jūsu vecums": "worry", "": "neutral"}


def test_an_unknown_override_frame_is_an_error_naming_the_question() -> None:
    with pytest.raises(BalsisError, match="Kas pietrūkst.*'need'"):
        question_frames(["Kas pietrūkst?"], {"Kas pietrūkst?": "need"})


def test_params_carry_question_frames() -> None:
    params = params_from_dict({"swot": {"question_frames": {"Kas pietrūkst?": "lack"}}})
    assert params.swot.question_frames == {"Kas pietrūkst?": "lack"}
    with pytest.raises(BalsisError, match="s_without_praise"):
        params_from_dict({"swot": {"s_without_praise": 2}})


def test_frame_file_follows_the_wish_rule() -> None:
    frames = load_frames()
    assert set(frames) == set(FRAMES)
    for definition in frames.values():
        assert definition.prior.sum() == pytest.approx(1.0)
    s, w, o, t = (QUADRANTS.index(q) for q in "SWOT")
    wish = frames["wish"].prior
    # a wish is a need (W) or an opportunity (O), never a strength
    assert wish[w] > 0.25 and wish[o] > 0.25 and wish[s] < 0.1
    assert frames["lack"].prior.argmax() == w
    assert frames["pride"].prior.argmax() == s
    assert frames["worry"].prior.argmax() == t
    assert np.allclose(frames["neutral"].prior, 0.25)


def _priors(*frames: str) -> np.ndarray:
    return frame_priors(list(frames), load_frames())


def test_the_frame_decides_an_undecided_answer() -> None:
    undecided = np.array([[0.28, 0.24, 0.30, 0.18]])  # O by a hair
    combined, decided = apply_frame_prior(undecided, _priors("lack"))
    assert QUADRANTS[int(combined.argmax())] == "W"
    assert decided.tolist() == [True]
    assert combined.sum() == pytest.approx(1.0)


def test_an_answers_strong_opposite_cue_overturns_the_frame() -> None:
    praise = np.array([[0.93, 0.03, 0.03, 0.01]])  # "Paldies par jauno estrādi!"
    combined, decided = apply_frame_prior(praise, _priors("lack"))
    assert QUADRANTS[int(combined.argmax())] == "S"
    assert decided.tolist() == [False]


def test_the_neutral_frame_changes_nothing() -> None:
    proba = np.array([[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1]])
    combined, decided = apply_frame_prior(proba, _priors("neutral", "neutral"))
    assert np.allclose(combined, proba)
    assert not decided.any()


def test_require_praise_cuts_s_only_without_a_strength_cue() -> None:
    proba = np.array([[0.6, 0.2, 0.15, 0.05], [0.6, 0.2, 0.15, 0.05]])
    cut = require_praise(proba, np.array([False, True]), 0.2)
    assert QUADRANTS[int(cut[0].argmax())] == "W"
    assert cut[0, 0] == pytest.approx(0.12 / 0.52)
    assert np.allclose(cut[1], proba[1])
    assert np.allclose(require_praise(proba, np.array([False, False]), 1.0), proba)


def test_evidence_names_the_frame() -> None:
    frames = load_frames()
    assert frame_evidence("lack", frames) == "jautājums: trūkums"
    assert frame_evidence("wish", frames) == "jautājums: vēlme"
    assert frame_evidence("neutral", frames) == ""


def test_strength_cues_are_cues_of_the_file(tmp_path) -> None:
    assert set(load_strength_cues()) >= {"praise", "positive"}
    bad = tmp_path / "cues.yaml"
    bad.write_text("strength_cues: [praise]\ncues: [{id: lack}]\n", encoding="utf-8")
    with pytest.raises(BalsisError, match="unknown cue"):
        load_strength_cues(bad)


class _FixedModel:
    """A SWOT model that gives every answer the same probabilities."""

    def __init__(self, proba: list[float]) -> None:
        self.proba = np.array(proba)

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        return np.tile(self.proba, (len(embeddings), 1))


def _ideas(texts: list[str], questions: list[str] | None = None) -> pd.DataFrame:
    tokens = [tokenize(t, "lv") for t in texts]
    ideas = pd.DataFrame(
        {
            "idea_id": [f"i{n}" for n in range(len(texts))],
            "text_normalised": texts,
            "language": "lv",
            "lemmas": [[lemmatize(w, "lv") for w in words] for words in tokens],
            "non_answer": False,
        }
    )
    if questions is not None:
        ideas["question"] = questions
    return ideas


def _assign(ideas: pd.DataFrame, proba: list[float], factor: float = 0.2) -> pd.DataFrame:
    return assign_swot(
        ideas,
        np.zeros((len(ideas), 4)),
        _FixedModel(proba),
        CueMatcher(),
        adapt_priors=False,
        s_without_praise=factor,
    )


def test_a_bare_noun_phrase_is_never_s_without_a_question() -> None:
    # the model leans to S, as it did for short answers that look like SVID-table strengths
    ideas = _ideas(["Pasākumi jauniešiem", "Darbavietas", "Skaista daba un tīri ezeri"])
    result = _assign(ideas, [0.55, 0.25, 0.15, 0.05])
    assert result["swot"].tolist() == ["W", "W", "S"]
    assert result.loc[0, "swot_p_S"] < 0.3


def test_frame_decides_and_says_so_in_the_evidence() -> None:
    lack = "Kas jūsu ciemā visvairāk pietrūkst?"
    ideas = _ideas(["Peldvietas", "Paldies par jauno estrādi, tā ir lieliska"], [lack, lack])
    result = _assign(ideas, [0.2, 0.3, 0.4, 0.1])
    assert result.loc[0, "swot"] == "W"
    assert result.loc[0, "swot_evidence"] == "jautājums: trūkums"
    # without the question the same answer stays O and the evidence says nothing of a question
    alone = _assign(_ideas(["Peldvietas"]), [0.2, 0.3, 0.4, 0.1])
    assert alone.loc[0, "swot"] == "O"
    assert "jautājums" not in str(alone.loc[0, "swot_evidence"])


def test_praise_overturns_a_lack_question() -> None:
    lack = "Kas jūsu ciemā visvairāk pietrūkst?"
    ideas = _ideas(["Paldies par jauno estrādi, tā ir lieliska"], [lack])
    result = _assign(ideas, [0.9, 0.05, 0.04, 0.01])
    assert result.loc[0, "swot"] == "S"
    assert "jautājums" not in str(result.loc[0, "swot_evidence"])
    assert "pateicība" in str(result.loc[0, "swot_evidence"])


def test_missing_question_column_is_all_neutral() -> None:
    ideas = _ideas(["Peldvietas", "Darbavietas"])
    assert idea_frames(ideas) == ["neutral", "neutral"]
    ideas["question"] = ["Ar ko jūs lepojaties?", None]
    assert idea_frames(ideas) == ["pride", "neutral"]
    assert idea_frames(ideas, {"Ar ko jūs lepojaties?": "wish"}) == ["wish", "neutral"]


def test_corpus_prior_adaptation_does_not_pull_needs_into_s() -> None:
    # 60 short answers without praise that the model leans to S; the EM adaptation of the
    # quadrant shares would make all of them S if the praise rule came after it
    model = _FixedModel([0.45, 0.25, 0.2, 0.1])
    model.class_prior_ = np.full(4, 0.25)  # type: ignore[attr-defined]
    ideas = _ideas(["Pasākumi jauniešiem", "Darbavietas", "Kultūras pasākumi"] * 20)
    matcher = CueMatcher()
    without_rule = assign_swot(
        ideas, np.zeros((60, 4)), model, matcher, adapt_min_ideas=50, s_without_praise=1.0
    )
    assert (without_rule["swot"] == "S").all()
    with_rule = assign_swot(
        ideas, np.zeros((60, 4)), model, matcher, adapt_min_ideas=50, s_without_praise=0.2
    )
    assert (with_rule["swot"] != "S").all()
    assert with_rule.attrs["swot_prior"]["S"] < 0.1


PRIDE = "Ar ko jūs lepojaties savā ciemā?"
WISH = "Jūsu ieteikumi: ko ciemā vajadzētu izveidot?"


def test_negative_cues_are_cues_of_the_file(tmp_path) -> None:
    assert set(load_negative_cues()) >= {"lack", "closed", "bad_state"}
    assert not set(load_negative_cues()) & set(load_strength_cues())
    bad = tmp_path / "cues.yaml"
    bad.write_text(
        "strength_cues: [lack]\nnegative_cues: [praise]\ncues: [{id: lack}]\n", encoding="utf-8"
    )
    with pytest.raises(BalsisError, match="negative_cues names unknown cue"):
        load_negative_cues(bad)


def test_only_the_pride_frame_answers_praise() -> None:
    assert [f for f, d in load_frames().items() if d.answers_praise] == ["pride"]


def test_praise_by_question_licenses_pride_answers_without_a_negative_cue() -> None:
    strength = np.array([False, False, True, True, False])
    negative = np.array([False, True, True, False, False])
    asks = np.array([True, True, True, False, False])
    has_praise, frame_applies = praise_by_question(strength, negative, asks)
    # a bare answer to a pride question is praised; with a negative cue it is not, even
    # with a praise word (the question's own word, echoed), and the frame does not apply
    assert has_praise.tolist() == [True, False, False, True, False]
    assert frame_applies.tolist() == [True, False, False, True, True]


def test_strength_by_question_makes_s_the_most_probable() -> None:
    proba = np.array([[0.06, 0.85, 0.06, 0.03], [0.9, 0.05, 0.04, 0.01]])
    lifted = strength_by_question(proba)
    assert [QUADRANTS[int(i)] for i in lifted.argmax(axis=1)] == ["S", "S"]
    assert lifted.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert lifted[0, 0] == pytest.approx(0.85 / 1.79)
    assert np.allclose(lifted[1], proba[1])


def test_bare_answers_to_a_pride_question_are_strengths() -> None:
    # the model reads bare noun phrases as needs, as it does without a question
    answers = ["Mūsu kora dziedātāji", "Vecais parks ar liepām", "Ugunsdzēsēju brīvprātīgie"]
    result = _assign(_ideas(answers, [PRIDE] * 3), [0.05, 0.8, 0.1, 0.05])
    assert result["swot"].tolist() == ["S", "S", "S"]
    assert (result["swot_evidence"].str.endswith("jautājums: stiprā puse")).all()
    # the same answers with no question stay needs, and without a frame nothing says so
    alone = _assign(_ideas(answers), [0.05, 0.8, 0.1, 0.05])
    assert (alone["swot"] == "W").all()
    assert not alone["swot_evidence"].str.contains("jautājums").any()


def test_a_pride_answer_with_a_negative_cue_is_not_praise() -> None:
    answers = ["Lepoties vairs nav ar ko", "Bibliotēku slēdza, skola slēgta"]
    result = _assign(_ideas(answers, [PRIDE] * 2), [0.3, 0.45, 0.1, 0.15])
    assert (result["swot"] == "W").all()
    assert not result["swot_evidence"].str.contains("stiprā puse").any()


def test_a_pride_answer_with_its_own_praise_says_nothing_of_the_question() -> None:
    result = _assign(_ideas(["Skaists un sakopts ciema centrs"], [PRIDE]), [0.7, 0.2, 0.05, 0.05])
    assert result.loc[0, "swot"] == "S"
    assert "jautājums" not in str(result.loc[0, "swot_evidence"])


def test_framed_answers_keep_their_frame_when_the_corpus_is_mostly_needs() -> None:
    # 60 answers to a lack question and 12 to a pride question: shares estimated over all
    # answers (mostly W) would pull the pride answers and the wishes into W
    model = _FixedModel([0.3, 0.4, 0.25, 0.05])
    model.class_prior_ = np.full(4, 0.25)  # type: ignore[attr-defined]
    lack = "Kas ciemā visvairāk pietrūkst?"
    texts = ["Trūkst ārsta", "Nav veikala", "Ceļi ir sliktā stāvoklī"] * 20
    texts += ["Tirgus laukums", "Kempings pie upes", "Mūsu koris", "Jaunais stadions"] * 3
    questions = [lack] * 60 + [WISH, WISH, PRIDE, PRIDE] * 3
    ideas = _ideas(texts, questions)
    result = assign_swot(ideas, np.zeros((72, 4)), model, CueMatcher(), adapt_min_ideas=50)
    assert (result["swot"][:60] == "W").all()
    assert set(result["swot"][60:][np.array(questions[60:]) == PRIDE]) == {"S"}
    assert "swot_prior" not in result.attrs  # 0 answers without a question: nothing to adapt
    # without questions the same answers are adapted to the corpus' shares
    alone = assign_swot(_ideas(texts), np.zeros((72, 4)), model, CueMatcher(), adapt_min_ideas=50)
    assert alone.attrs["swot_prior"]["W"] > 0.5


def test_a_wish_to_mend_something_takes_the_lack_prior() -> None:
    assert load_frames()["wish"].deficiency_frame == "lack"
    assert set(load_deficiency_cues()) >= {"lack", "improve", "bad_state"}
    # undecided between W and O: the wish prior leans to O, a repair or a missing service
    # takes the lack prior and is W, and the evidence names the lack frame
    answers = ["Kempings pie upes", "Izremontēt tiltu pār upi", "Ambulancē nav ārsta"]
    result = _assign(_ideas(answers, [WISH] * 3), [0.04, 0.44, 0.46, 0.06])
    assert result["swot"].tolist() == ["O", "W", "W"]
    assert result.loc[1, "swot_evidence"].endswith("jautājums: trūkums")


def test_a_deficiency_frame_must_be_a_frame(tmp_path) -> None:
    raw = (FRAMES_PATH).read_text(encoding="utf-8")
    bad = tmp_path / "frames.yaml"
    bad.write_text(raw.replace("deficiency_frame: lack", "deficiency_frame: trūkums"))
    with pytest.raises(BalsisError, match="deficiency_frame 'trūkums' is no frame"):
        load_frames(bad)


def test_a_need_question_lets_an_answer_be_s_only_with_clear_praise() -> None:
    frames = load_frames()
    assert frames["wish"].strength_cues == ()
    assert frames["lack"].strength_cues == ("praise", "no_problem")
    assert frames["pride"].strength_cues is None and frames["neutral"].strength_cues is None
    lack = "Kas ciemā visvairāk pietrūkst?"
    answers = ["Drošu gājēju pāreju", "Sakārtota un tīra ciema centra", "Nekā netrūkst, paldies"]
    # the model reads the positive words as praise
    result = _assign(_ideas(answers, [lack] * 3), [0.97, 0.01, 0.01, 0.01])
    assert result["swot"].tolist()[:2] == ["W", "W"]
    assert result.loc[2, "swot"] == "S"
    wishes = _assign(_ideas(answers[:2], [WISH] * 2), [0.97, 0.01, 0.01, 0.01])
    assert (wishes["swot"] != "S").all()
    assert (wishes["swot_p_S"] == 0).all()
    # the same answers with no question keep their S
    alone = _assign(_ideas(answers[:2]), [0.97, 0.01, 0.01, 0.01])
    assert (alone["swot"] == "S").all()


def test_rule_out_strength_only_touches_its_rows() -> None:
    proba = np.array([[0.7, 0.1, 0.15, 0.05], [0.7, 0.1, 0.15, 0.05]])
    out = rule_out_strength(proba, np.array([True, False]))
    assert out[0].tolist() == pytest.approx([0.0, 1 / 3, 0.5, 1 / 6])
    assert np.allclose(out[1], proba[1])
