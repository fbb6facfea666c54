"""Tests for pipeline.lang.hunspell: reading .aff/.dic files, affix expansion, folded look-up."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.lang.hunspell.affixes import read_aff
from pipeline.lang.hunspell.dic import expand, read_dic
from pipeline.lang.hunspell.folded import FoldedLexicon
from pipeline.lang.hunspell.shipped import dictionary_files, load, shipped
from pipeline.lang.lv.alphabet import fold

# A tiny dictionary in the Latvian file's encoding. Flag A: noun suffixes with strip and
# condition ("galds" -> "galda", "galdā"; "lauks" -> "lauciņš" only, because "[^k]s" fails);
# B: verb suffixes without cross product; N: the prefix "ne-" with cross product; R: "-as".
AFF = """# a comment
SET ISO8859-13
TRY aāeē

PFX N Y 1
PFX N   0     ne     .

SFX A Y 3
SFX A   s     a      [^k]s
SFX A   s     ā      [^k]s     # locative
SFX A   ks    ciņš   ks

SFX B N 2
SFX B   t     u      [^ē]t
SFX B   ēt    ēju    ēt

SFX R Y 1
SFX R   a     as     a
"""
DIC = """7
galds/AN
lauks/A
cept/BN
redzēt/B
kaza/R
kāzas	po:noun
ka/Z
kā
"""


@pytest.fixture()
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    aff, dic = tmp_path / "tiny.aff", tmp_path / "tiny.dic"
    aff.write_bytes(AFF.encode("iso8859_13"))
    dic.write_bytes(DIC.encode("iso8859_13"))
    return aff, dic


def test_read_aff_decodes_the_set_encoding_and_the_rules(tiny: tuple[Path, Path]) -> None:
    affixes = read_aff(tiny[0])
    assert affixes.encoding == "iso8859_13"
    assert affixes.flag_type == "char"
    assert sorted(affixes.suffixes) == ["A", "B", "R"]
    locative = affixes.suffixes["A"][1]
    assert (locative.strip, locative.add, locative.condition) == ("s", "ā", "[^k]s")
    assert locative.cross_product and not affixes.suffixes["B"][0].cross_product
    assert [(r.strip, r.add) for r in affixes.prefixes["N"]] == [("", "ne")]


def test_read_dic_skips_the_count_morphology_and_unknown_flags(tiny: tuple[Path, Path]) -> None:
    affixes = read_aff(tiny[0])
    entries = dict(read_dic(tiny[1], affixes))
    assert list(entries)[:2] == ["galds", "lauks"]
    assert entries["galds"] == {"A", "N"}
    assert entries["kāzas"] == frozenset()  # "po:noun" after the tab is no flag
    assert entries["ka"] == frozenset()  # Z is defined nowhere


def test_expand_applies_strip_add_and_condition(tiny: tuple[Path, Path]) -> None:
    affixes = read_aff(tiny[0])
    assert expand("lauks", {"A"}, affixes) == ["lauks", "lauciņš"]
    assert expand("redzēt", {"B"}, affixes) == ["redzēt", "redzēju"]
    assert expand("kaza", {"R"}, affixes) == ["kaza", "kazas"]


def test_expand_crosses_prefix_and_suffix_only_when_both_allow_it(
    tiny: tuple[Path, Path],
) -> None:
    affixes = read_aff(tiny[0])
    assert expand("galds", {"A", "N"}, affixes) == [
        "galds", "galda", "galdā", "negalds", "negalda", "negaldā",
    ]  # fmt: skip
    # B has no cross product: "necept" yes, "necepu" no
    assert expand("cept", {"B", "N"}, affixes) == ["cept", "cepu", "necept"]


def test_folded_lookup_equals_the_expansion(tiny: tuple[Path, Path]) -> None:
    lexicon = load(*tiny, fold=fold)
    expected: defaultdict[str, set[str]] = defaultdict(set)
    for stem, flags in read_dic(tiny[1], lexicon.affixes):
        for form in expand(stem, flags, lexicon.affixes):
            expected[fold(form)].add(form.lower())
    assert {key: set(lexicon.forms(key)) for key in expected} == dict(expected)
    assert lexicon.forms("galda") == ("galda", "galdā")
    assert lexicon.forms("kazas") == ("kazas", "kāzas")
    assert lexicon.forms("ka") == ("ka", "kā")
    for absent in ("necepu", "lauka", "galdi", ""):
        assert lexicon.forms(absent) == ()
        assert absent not in lexicon


def test_analyses_name_the_stem_and_the_rules(tiny: tuple[Path, Path]) -> None:
    lexicon = load(*tiny, fold=fold)
    (analysis,) = [a for a in lexicon.analyses("negalda") if a.form == "negaldā"]
    assert analysis.stem == "galds"
    assert (analysis.suffix_add, analysis.prefix_add) == ("ā", "ne")


def test_long_and_numeric_flags(tmp_path: Path) -> None:
    aff, dic = tmp_path / "long.aff", tmp_path / "long.dic"
    aff.write_text("SET UTF-8\nFLAG long\nSFX Aa Y 1\nSFX Aa 0 s .\n", encoding="utf-8")
    dic.write_text("1\nmāja/AaZz\n", encoding="utf-8")
    affixes = read_aff(aff)
    assert affixes.split_flags("AaZz") == {"Aa", "Zz"}
    assert load(aff, dic, fold=fold).forms("majas") == ("mājas",)
    aff.write_text("SET UTF-8\nFLAG num\nSFX 12 Y 1\nSFX 12 0 s .\n", encoding="utf-8")
    dic.write_text("1\nmāja/7,12\n", encoding="utf-8")
    assert load(aff, dic, fold=fold).forms("majas") == ("mājas",)


def test_bad_affix_files_say_what_is_wrong(tmp_path: Path) -> None:
    aff = tmp_path / "bad.aff"
    aff.write_text("SET ISO8859-13\nSFX A s a s\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: SFX rule for flag 'A' before its header"):
        read_aff(aff)
    aff.write_text("SET KOI-9\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown encoding 'KOI-9'"):
        read_aff(aff)


def test_missing_dictionary_names_the_fix() -> None:
    with pytest.raises(FileNotFoundError, match="no xx_XX"):
        dictionary_files("xx_XX")


# --- the shipped Latvian dictionary -----------------------------------------------------------


@pytest.fixture(scope="module")
def latvian_dictionary() -> FoldedLexicon:
    return shipped("lv_LV", fold)


def test_latvian_dictionary_knows_everyday_forms(
    latvian_dictionary: FoldedLexicon,
) -> None:
    assert latvian_dictionary.forms("berniem") == ("bērniem",)
    assert "ceļu" in latvian_dictionary.forms("celu")
    assert {"ceļš", "cels"} <= set(latvian_dictionary.forms("cels"))
    assert {"kazas", "kāzas"} <= set(latvian_dictionary.forms("kazas"))
    assert latvian_dictionary.forms("qwzx") == ()


def test_latvian_lookup_finds_every_expanded_form(
    latvian_dictionary: FoldedLexicon,
) -> None:
    aff, dic = dictionary_files("lv_LV")
    entries = read_dic(dic, latvian_dictionary.affixes)
    assert len(entries) > 200_000
    sample = random.Random(7).sample(entries, 300)
    missing = [
        form
        for stem, flags in sample
        for form in expand(stem, flags, latvian_dictionary.affixes)
        if form.lower() not in latvian_dictionary.forms(fold(form))
    ]
    assert missing == []
