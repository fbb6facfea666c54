"""Regular Latvian paradigms: the word forms of a noun, adjective or verb lemma.

The forms serve two purposes: the domain lemmas (lv_domain_lemmas.txt) are inflected into a
form -> lemma table for the lemmatiser, and every known lemma is inflected into extra
candidate forms for the diacritics restorer (`lemma_paradigm`). Vocatives are left out.
"""

from __future__ import annotations

# Endings of the locative case (singular and plural), which place words and the case rules of
# the diacritics restorer read a noun's role from ("skolā", "ielās").
LOCATIVE_ENDINGS = ("ā", "ē", "ī", "ū", "ās", "ēs", "īs")
# Case endings of the regular noun paradigms, by the nominative they belong to: 1st
# declension (-s), 4th (-a) and 5th (-e); the 5th's genitive plural (-u) alternates its stem.
NOUN_ENDINGS = {
    "s": ("s", "a", "am", "u", "ā", "i", "iem", "us", "os"),
    "a": ("a", "as", "ai", "u", "ā", "ām", "ās"),
    "e": ("e", "es", "ei", "i", "ē", "ēm", "ēs"),
}


_ALTERNATIONS = (
    ("sn", "šņ"), ("zn", "žņ"), ("ln", "ļņ"), ("sl", "šļ"), ("zl", "žļ"), ("dz", "dž"),
    ("st", "st"), ("t", "š"), ("d", "ž"), ("s", "š"), ("z", "ž"), ("c", "č"), ("n", "ņ"),
    ("l", "ļ"), ("p", "pj"), ("b", "bj"), ("m", "mj"), ("v", "vj"), ("f", "fj"),
)  # fmt: skip


def _alternate(stem: str) -> str:
    """Alternate a stem's last consonant as the 2nd, 5th, 6th declension do (ietv- -> ietvj-)."""
    for plain, changed in _ALTERNATIONS:
        if stem.endswith(plain):
            return stem[: len(stem) - len(plain)] + changed
    return stem


def noun_forms(lemma: str, declension: str | None) -> list[str]:
    """Case forms of a Latvian noun lemma (no vocative)."""
    if declension is None:
        if lemma.endswith("is"):
            declension = "2"
        elif lemma.endswith("us"):
            declension = "3"
        elif lemma.endswith("a"):
            declension = "4"
        elif lemma.endswith("e"):
            declension = "5"
        else:
            declension = "1"
    if declension == "1":
        s = lemma[:-1]
        return [lemma, s + "a", s + "am", s + "u", s + "ā",
                s + "i", s + "iem", s + "us", s + "os"]  # fmt: skip
    if declension in ("2", "2n"):
        s = lemma[:-2]
        a = _alternate(s) if declension == "2" else s
        return [lemma, a + "a", s + "im", s + "i", s + "ī",
                a + "i", a + "u", a + "iem", a + "us", a + "os"]  # fmt: skip
    if declension == "2s":
        s = lemma[:-1]
        a = _alternate(s)
        return [lemma, s + "im", s + "i", s + "ī", a + "i", a + "u", a + "iem", a + "us", a + "os"]
    if declension == "3":
        s = lemma[:-2]
        return [lemma, s + "um", s + "u", s + "ū", s + "i", s + "iem", s + "os"]
    if declension == "4":
        s = lemma[:-1]
        return [lemma, s + "as", s + "ai", s + "u", s + "ā", s + "ām", s + "ās"]
    if declension == "5":
        s = lemma[:-1]
        gen_plural = _alternate(s) + "u"
        return [lemma, s + "es", s + "ei", s + "i", s + "ē", gen_plural, s + "ēm", s + "ēs"]
    if declension == "6":
        s = lemma[:-1]
        gen_plural = _alternate(s) + "u"
        return [lemma, s + "ij", s + "i", s + "ī", s + "is", gen_plural, s + "īm", s + "īs"]
    raise ValueError(f"lv_domain_lemmas.txt: unknown declension {declension!r} for {lemma!r}")


def plural_forms(lemma: str) -> list[str]:
    """Case forms of a plural-only noun (kapi, svētki, mācības, šūpoles, durvis)."""
    if lemma.endswith("as"):
        s = lemma[:-2]
        return [lemma, s + "u", s + "ām", s + "ās"]
    if lemma.endswith("es"):
        s = lemma[:-2]
        return [lemma, _alternate(s) + "u", s + "ēm", s + "ēs"]
    if lemma.endswith("is"):
        s = lemma[:-2]
        return [lemma, _alternate(s) + "u", s + "īm", s + "īs"]
    s = lemma[:-1]
    return [lemma, s + "u", s + "iem", s + "us", s + "os"]


ADJECTIVE_ENDINGS = (
    # indefinite masculine, feminine
    "s", "a", "am", "u", "ā", "i", "iem", "us", "os", "as", "ai", "ām", "ās",
    # definite
    "ais", "ajam", "o", "ajā", "ie", "ajiem", "ajos", "ajai", "ajām", "ajās",
)  # fmt: skip


def adjective_forms(lemma: str) -> list[str]:
    """Forms of an adjective or adjectival participle: both definitenesses, comparative, adverb."""
    s = lemma[:-1]  # drops -s or -š
    forms = [s + e for e in ADJECTIVE_ENDINGS]
    forms += [s + "āk" + e for e in ADJECTIVE_ENDINGS]
    forms += ["vis" + s + "āk" + e for e in ADJECTIVE_ENDINGS if e in ("ais", "ā", "o", "ie", "ās")]
    forms += [s + "āk", "ne" + s + "i"] if not lemma.startswith("ne") else [s + "āk"]
    return [lemma, *forms]


def _present_third(infinitive: str) -> tuple[str, str]:
    """Guess the 3rd-person present and the conjugation ("2" or "3") of a verb."""
    if infinitive.endswith("ināt"):
        return infinitive[:-3] + "a", "3i"
    if infinitive.endswith("īt"):
        return infinitive[:-2] + "a", "3"
    if infinitive.endswith(("ot", "āt", "ēt")):
        return infinitive[:-1], "2"
    raise ValueError(f"lv_domain_lemmas.txt: write the 3rd-person present of {infinitive!r}")


def verb_forms(infinitive: str, present: str | None) -> tuple[list[str], str | None]:
    """Common forms of a Latvian verb and its verbal noun in -šana (a lemma of its own)."""
    if infinitive.endswith("ties"):
        return _reflexive_forms(infinitive, present), None
    stem = infinitive[:-1]
    if present is None:
        present, conj = _present_third(infinitive)
    else:
        conj = "3e" if infinitive.endswith("ēt") else "1"
    forms = [infinitive, present, "jā" + present, infinitive + "u", stem + "s", stem + "sim",
             stem + "siet", stem + "ts", stem + "ta", stem + "ti", stem + "tas", stem + "tu",
             stem + "tā", stem + "tās", stem + "tie", stem + "to"]  # fmt: skip
    if conj == "2":
        forms += [present + "ju", present + "jam", present + "jat", present + "ja",
                  present + "jām", present + "jiet", present + "jot", present + "jams",
                  present + "jama", present + "jamas", present + "jami"]  # fmt: skip
    elif conj in ("3", "3i"):
        base = present[:-1]
        forms += [base + "u", base + "ām", base + "āt", stem + "ja", base + "iet",
                  base + "ot", base + "āms", base + "āma"]  # fmt: skip
    else:
        forms += [present + "am", present + "at", present + "iet", present + "ot"]
        if conj == "3e":
            forms += [stem + "ja", present + "u"]
    nominal = (stem[:-1] if stem.endswith(("s", "z")) else stem) + "šana"
    negated = ["ne" + f for f in forms if not f.startswith("jā")]
    return forms + negated, nominal


def _reflexive_forms(infinitive: str, present: str | None) -> list[str]:
    """Common forms of a reflexive verb (-ties)."""
    base = infinitive[:-4]  # spēlē-ties -> spēlē
    if present is None:
        if base.endswith("ī"):
            present = base[:-1] + "ās"
        elif base.endswith(("o", "ē", "ā")):
            present = base + "jas"
        else:
            raise ValueError(f"lv_domain_lemmas.txt: write the present of {infinitive!r}")
    return [infinitive, present, "jā" + present, base + "tos", base + "sies", base + "simies",
            "ne" + infinitive, "ne" + present]  # fmt: skip


# Below: forms generated from every known lemma, read from its ending alone (for the
# restorer's candidate lexicon only). Suffixes of adjectives and adjectival participles:
_ADJ_SUFFIXES = ("īgs", "isks", "ošs", "ējs", "ains", "āds", "ēts", "āts", "īts", "ots", "ēns")


def _past_forms(infinitive: str) -> list[str]:
    """Past tense and past active participle of -āt, -ēt, -īt, -ot verbs ("uzklausīja")."""
    stem = infinitive[:-1]
    if not infinitive.endswith(("āt", "ēt", "īt", "ot")):
        return []
    past = stem + "j"
    return [past + "a", past + "u", past + "i", past + "ām", past + "āt",
            past + "is", past + "usi", past + "uši", past + "ušas", past + "ušo", past + "ušie",
            past + "ušā", past + "ušās", past + "ušajiem", past + "ušajām"]  # fmt: skip


def _reflexive_extra(infinitive: str) -> list[str]:
    """Reflexive forms of a non-reflexive verb ("trenēt" -> "trenējamies", "kavējas")."""
    stem = infinitive[:-1]
    forms = [infinitive + "ies", stem + "tos", stem + "sies", stem + "simies"]
    if infinitive.endswith(("āt", "ēt", "ot")) and not infinitive.endswith("ināt"):
        present = stem + "j"
        forms += [present + "as", present + "os", present + "amies", present + "aties",
                  "jā" + present + "as", stem + "jās", stem + "jies", stem + "jušies",
                  stem + "jusies", stem + "jāmies"]  # fmt: skip
    elif infinitive.endswith("īt"):
        base = stem[:-1]
        forms += [base + "ās", base + "os", base + "āmies", base + "āties", "jā" + base + "ās",
                  stem + "jās", stem + "jies"]  # fmt: skip
    return forms


def lemma_paradigm(lemma: str) -> list[str]:
    """Regular forms of a lemma read from its ending alone; [] when the ending says nothing."""
    try:
        if lemma.endswith("ties"):
            return _reflexive_forms(lemma, None)
        if lemma.endswith("t") and len(lemma) > 3:
            regular = lemma.endswith(("ot", "āt", "ēt", "īt"))
            if regular:
                forms, nominal = verb_forms(lemma, None)
                forms += _past_forms(lemma) + _reflexive_extra(lemma)
            else:
                # 1st conjugation: the present is irregular, so only infinitive-based forms
                stem = lemma[:-1]
                forms = [lemma, stem + "tu", stem + "ties", stem + "tos"]
                forms += [stem + e for e in ("ts", "ta", "ti", "tas", "tā", "tās", "tie", "to")]
                forms += ["ne" + f for f in forms]
                nominal = (stem[:-1] if stem.endswith(("s", "z")) else stem) + "šana"
            forms += [f + "ies" for f in forms if f.endswith("t")]
            if nominal:
                forms += noun_forms(nominal, "4")
            return forms
        if lemma.endswith(_ADJ_SUFFIXES):
            return adjective_forms(lemma)
        if lemma.endswith(("is", "us", "s", "š", "a", "e")) and len(lemma) > 2:
            return noun_forms(lemma, None)
    except ValueError:
        return []
    return []
