"""Tests for the context rules of the diacritics restorer (pipeline.lang.lv.diacritics.rules).

Each sentence is typed with correct diacritics, stripped and restored with the built-in
lexicons only; the rule it exercises is named in the test. The sentences were written for
these tests.
"""

from __future__ import annotations

import re

import pytest

from pipeline.lang.lv.alphabet import LETTERS, fold, strip_diacritics
from pipeline.lang.lv.diacritics.candidates import can_be_finite_verb, is_infinitive_form
from pipeline.lang.lv.diacritics.context import Context, word_context
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.lang.lv.diacritics.rules import case_rule


@pytest.fixture(scope="module")
def restorer() -> DiacriticsRestorer:
    """A restorer that knows only the built-in lexicons."""
    return DiacriticsRestorer().fit([])


def _round_trip(restorer: DiacriticsRestorer, sentence: str) -> str:
    return restorer.restore(strip_diacritics(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        # inside a clause "kā" compares or says in what role
        "Parks ir tikpat svarīgs kā skola.",
        "Tirgus laukumu izmanto kā stāvvietu.",
        # a sentence opens with "kā"; "Tā kā" there means "since"
        "Kā arī vajag jaunu laukumu.",
        "Tā kā autobuss kavējas, bērni nokavē stundas.",
        # before an infinitive only "kā" (how) fits, and after "veids," too
        "Jautājums ir, kā nokļūt līdz skolai.",
        "Tas ir veids, kā pilsēta var augt.",
        # the conjunction "ka" opens a clause after a comma
        "Es domāju, ka parks ir labs.",
        "Iedzīvotāji cer, ka ceļu salabos.",
    ],
)
def test_ka_and_ka_long_by_place_in_the_clause(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Šīs slimības izplatība ir liela.",  # feminine genitive after "šīs"
        "Šīs ielas remonts ilgst gadiem.",
        "Šis process ilgst gadiem.",  # masculine nominative keeps "šis"
        "Tām ielām vajag jaunu segumu.",  # dative plural agrees with "ielām"
        "Tam ceļam vajag jaunu segumu.",  # dative singular agrees with "ceļam"
        "Pēc tam bērni iet uz skolu.",  # "tam" is the common form when nothing agrees
        "Ielas ir trīs, un divas no tām ir bedrainas.",  # a preposition takes "tām"
    ],
)
def test_demonstratives_agree_with_their_noun(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Tas nozīmē, ka jābūvē jauns tilts.",
        "Sēta, kas ietekmē visu ielu, ir jāpārbūvē.",
    ],
)
def test_a_subject_pronoun_is_followed_by_a_verb(
    restorer: DiacriticsRestorer, sentence: str
) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "2010. gadā tika atjaunots parks.",  # the year after its ordinal: locative
        "Parks ir slēgts kopš 2011. gada.",  # after a preposition: genitive
        "Tilts tika atklāts 2017. gada janvārī.",  # before a month: genitive
    ],
)
def test_a_year_after_its_ordinal(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


def test_an_ordinal_full_stop_is_no_sentence_end() -> None:
    text = "Parks atvērts 2010. gadā."
    matches = list(LETTERS.finditer(text))
    folded = [fold(m.group()) for m in matches]
    context = word_context(text, matches, folded, [None] * len(matches), 2, False, False)
    assert context.after_ordinal
    assert not context.sentence_start
    assert not context.clause_start


@pytest.mark.parametrize(
    "sentence",
    [
        "Lielākā daļa iedzīvotāju brauc ar autobusu.",  # superlative before its noun
        "Skola ir vēl lielāka nekā bibliotēka.",  # comparative after "vēl", no noun after
        "Tagad mūsu jaunā grāmata ir gatava.",  # definite after a possessive
        "Daugava ir viena no lielākajām upēm.",  # a numeral after "ir" is its predicate
    ],
)
def test_adjective_definiteness_from_context(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Tā ir māja, kurā mēs dzīvojam.",  # relative locative before another subject
        "Vasaras sākumā, kad sākas brīvdienas, parks ir pilns.",  # "X sākumā"
        "Viņi dzīvo lielās mājās ar dārzu.",  # after a verb of place
        "Birojs atrodas Rēzeknē, blakus tirgum.",
        "Festivāls notika Jelgavā un bija jautrs.",  # a place name inside a sentence
        "Viņi stāda kokus savā pilsētā, ne laukos.",  # "savs" is never the subject
        "Tajā pašā laikā atvēra jaunu skolu.",  # agreement with "tajā"
    ],
)
def test_locatives_from_context(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Viņa vienmēr palīdz kaimiņiem.",  # a personal pronoun, not "vīnā" (in wine)
        "Koncerts sākas septiņos.",  # a form the frequency list knows beats "sakas"
    ],
)
def test_common_forms_without_a_case_rule(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


def test_a_subject_name_before_its_verb_stays_nominative(restorer: DiacriticsRestorer) -> None:
    sentence = "Domāju, ka Jelgava ir skaista pilsēta."
    assert _round_trip(restorer, sentence) == sentence


def test_infinitives_and_finite_verbs_are_told_apart() -> None:
    assert is_infinitive_form("ietaupīt")
    assert is_infinitive_form("orientēties")
    assert not is_infinitive_form("ietaupa")
    assert can_be_finite_verb("nozīmē")
    assert not can_be_finite_verb("ietaupīt")
    assert not can_be_finite_verb("skola")


def test_context_rules_keep_restoration_idempotent(restorer: DiacriticsRestorer) -> None:
    typed = "Ta ka 2010. gada parks tika slegts, sis ielas iedzivotaji dzivo sava pilseta."
    once = restorer.restore(typed)
    assert restorer.restore(strip_diacritics(once)) == once
    assert re.sub(r"\s+", " ", strip_diacritics(once)) == typed


def test_an_adjective_after_a_copula_is_an_indefinite_predicate() -> None:
    # "Viela ir ļoti skāba.": the rule asks for "skāba", not the definite "skābā"; the
    # restorer may still keep "skābā" where the word-frequency list lacks "skāba"
    context = Context(prev="loti", clause_end=True, sentence_end=True, after_copula=True)
    rule = case_rule("skaba", context, ("skāba", "skābā"), final_locative=True)
    assert rule is not None
    assert rule("skāba")
    assert not rule("skābā")


@pytest.mark.parametrize(
    "sentence",
    [
        # the subject before an auxiliary and an adverb
        "Zinātnieki ir jau atklājuši jaunu sugu.",
        "Pašvaldība arī apsolījusi jaunu tiltu.",
        "Bērnu laukums ir ilgi gaidīts, vecāki bija to pieprasījuši.",
        # a masculine plural quantifier or numeral after the participle is its subject
        "Tur ir bijuši daži negadījumi.",
        "No grupas palikuši četri.",
    ],
)
def test_a_participle_agrees_with_its_subject(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


def test_an_irregular_verb_after_a_subject_pronoun(restorer: DiacriticsRestorer) -> None:
    # "varat" (you can), which the dictionary lists as a stem of its own, not "vārāt"
    sentence = "Jūs varat pieteikties tiešsaistē."
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # words only the word-frequency list knows
        "Dome pieņēma koplēmuma projektu.",
        "Jāievēro iedzīvotāju privātuma tiesības.",
    ],
)
def test_words_only_the_frequency_list_knows(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


def test_a_word_nobody_knows_stays_as_typed(restorer: DiacriticsRestorer) -> None:
    assert restorer.restore("Brauca uz Hjustonu.") == "Brauca uz Hjustonu."


@pytest.mark.parametrize(
    "sentence",
    [
        # the items of a list share their case
        "Koncerti notiks Rēzeknē, Jelgavā un Liepājā.",
        "Jaunieši sporto zālē, stadionā vai pludmalē.",
        # "dēļ" takes a genitive
        "Ceļš ir slēgts remonta dēļ.",
        "Skola bija slēgta slimības dēļ.",
    ],
)
def test_lists_share_a_case_and_postpositions_take_a_genitive(
    restorer: DiacriticsRestorer, sentence: str
) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # after a verb, a feminine noun that qualifies nothing is where it happens
        "Bērni iekāpa automašīnā, un tā aizbrauca.",
        "Mēs ilgi gaidījām slimnīcā, līdz ārsts atnāca.",
        # but not a short word ("ja", "ne") and not a name before another name
        "Viņš brauca ne tikai uz Rīgu, ja vajadzēja.",
    ],
)
def test_a_noun_after_a_verb_is_a_locative(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # a feminine plural predicate after an auxiliary asks for "tās"
        "Ielas ir šauras, un tās ir bīstamas gājējiem.",
        "Lapas sakrāja, bet tās netika izvestas.",
        # after "nav" the same ending is as often a genitive: no rule
        "Tas nav liela apjoma darbs.",
        # a preposition takes the plural dative of "šis" too
        "Daudzas no šīm ielām ir bedrainas.",
    ],
)
def test_demonstratives_agree_with_their_predicate(
    restorer: DiacriticsRestorer, sentence: str
) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # before an infinitive a verb that takes one, not a locative
        "Pagasts sāka būvēt jaunu skolu.",
        # a noun in -i after an adjective: locative after "-ā", accusative after "-u"
        "Ūdens šķidrā stāvoklī ir smagāks.",
        "Mēs redzējām lielu līci.",
        # "arī" is no noun, whatever follows
        "Vajag arī sakopt parku.",
    ],
)
def test_verbs_before_infinitives_and_nouns_in_i(
    restorer: DiacriticsRestorer, sentence: str
) -> None:
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # a noun's genitive before a noun, though the letters also spell an adjective
        "Skola kara laikā bija slēgta.",
        # "šīs" before the plural of a feminine noun in -s, but "šis" before "-ais"
        "Šīs zivis dzīvo ezerā.",
        "Šis populārais parks ir skaists.",
        # a genitive before "dēļ"
        "Tās dēļ ceļš bija slēgts.",
    ],
)
def test_genitives_and_feminine_plurals_in_is(restorer: DiacriticsRestorer, sentence: str) -> None:
    assert _round_trip(restorer, sentence) == sentence


def test_a_relative_before_a_verb_in_the_second_person(restorer: DiacriticsRestorer) -> None:
    # the verb has a subject of its own ("jūs"), so "kura" is the locative
    sentence = "Tā ir māja, kurā dzīvojat."
    assert _round_trip(restorer, sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Koncerta laikā bija troksnis.",  # "X laikā" (during X)
        "Autobuss pienāk pēc vietējā laika.",  # after a preposition and its modifier
    ],
)
def test_postposition_nouns_after_a_preposition(
    restorer: DiacriticsRestorer, sentence: str
) -> None:
    assert _round_trip(restorer, sentence) == sentence
