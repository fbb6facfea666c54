"""Forms no list has, built from known forms: "jasalabo" -> "jā" + "salabo", "kokapstrade" ->
"kok(s)" + "apstrāde", "prasibas" -> "prasības" (an unambiguous suffix).
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.lang.lv.alphabet import fold, has_diacritics

# Verbal prefixes as typed without diacritics and as written; longest first.
_VERB_PREFIXES = (
    ("aiz", "aiz"), ("par", "pār"), ("pie", "pie"), ("ap", "ap"), ("at", "at"),
    ("ie", "ie"), ("iz", "iz"), ("no", "no"), ("pa", "pa"), ("sa", "sa"), ("uz", "uz"),
)  # fmt: skip

# Derivational suffixes and endings whose diacritics are unambiguous, as (folded, written).
_SUFFIXES = tuple(
    (fold(s), s)
    for s in sorted(
        [f"īb{e}" for e in ("a", "as", "ai", "u", "ā", "ām", "ās")]
        + [f"īg{e}" for e in ("s", "a", "i", "u", "as", "ai", "am", "ām", "ās", "iem",
                              "ais", "ie", "ajā", "ajām", "ajiem", "o")]
        + [f"{v}šan{e}" for v in ("o", "ē", "ā", "ī") for e in ("a", "as", "ai", "u", "ā", "os")]
        + [f"{v}jum{e}" for v in ("ā", "ē", "ī") for e in ("s", "a", "am", "u", "ā", "i",
                                                            "iem", "us", "os")]
        + [f"tāj{e}" for e in ("s", "a", "am", "u", "i", "iem", "us", "as", "ai", "ām")]
        + [f"ācij{e}" for e in ("a", "as", "ai", "u", "ā", "ām", "ās")]
        + ["iņš", "iņu", "iņi", "iņiem", "iņus", "iņas", "iņai", "iņām", "iņos"]
        + ["ītes", "ītei", "ītēm", "īti", "īši", "īšiem", "ājums"],
        key=len,
        reverse=True,
    )
)  # fmt: skip


def suffix_restored(key: str) -> str | None:
    """An unknown word whose suffix says where its diacritics go ("prasibas" -> "prasības")."""
    for plain, written in _SUFFIXES:
        if (
            key.endswith(plain)
            and len(key) >= len(plain) + 3
            and key[-len(plain) - 1] not in "aeiou"  # "pastaigu" is no "-īgu"
        ):
            return key[: len(key) - len(plain)] + written
    return None


class Derivation:
    """Restore words no list knows through a known part (the restorer's last resort).

    Args:
        candidates: The candidate forms of a folded word (the lexicons' and the corpus's).
        best: The best of them without context (None when there are none).
    """

    def __init__(
        self,
        candidates: Callable[[str], tuple[str, ...]],
        best: Callable[[str], str | None],
    ) -> None:
        self._candidates = candidates
        self._best = best
        self._derived_cache: dict[str, str | None] = {}
        self._base_cache: dict[str, str | None] = {}

    def derived(self, key: str) -> str | None:
        """Restore a form that no list has: from a known word it is built on, else by suffix.

        In order: the regular derivations of `_regular`, a verbal prefix before a
        known form ("pasedet" -> "pa" + "sēdēt"), a compound whose last part is a known form
        and whose first part is a known stem ("kokapstrade" -> "kok(s)" + "apstrāde"), and
        finally a derivational suffix whose spelling is unambiguous ("-ība", "-īgs",
        "-ošana", "-ājums", "-tājs", "-ācija", "-iņš"). Results are cached.
        """
        cache = self._derived_cache
        if key in cache:
            return cache[key]
        cache[key] = None  # guards against recursion through the same key
        form = (
            self._regular(key) or self._prefixed(key) or self._compound(key) or suffix_restored(key)
        )
        cache[key] = form
        return form

    def _known(self, key: str) -> str | None:
        """The best form of a folded key that a list or the corpus knows (no derivation)."""
        return self._best(key) if self._candidates(key) else None

    def _base(self, key: str) -> str | None:
        """A known form, or one regularly built on a known form (no compounds, no suffixes)."""
        cache = self._base_cache
        if key not in cache:
            cache[key] = None  # guards against recursion through the same key
            cache[key] = self._known(key) or self._regular(key) or self._prefixed(key)
        return cache[key]

    def _prefixed(self, key: str) -> str | None:
        """A verbal prefix before a known form: "pasedet" -> "pasēdēt"."""
        for plain, prefix in _VERB_PREFIXES:
            rest = key[len(plain) :]
            if not key.startswith(plain) or len(rest) < 4:
                continue
            if rest in self._candidates(rest):
                # the rest is a known form as typed: no diacritics to restore from it
                return prefix + rest if prefix != plain else None
            found = self._base(rest)
            if found and has_diacritics(prefix + found):
                return prefix + found
        return None

    def _compound(self, key: str) -> str | None:
        """A known stem before a known form: "blokmajas" -> "blok" + "mājas"."""
        if len(key) < 8:
            return None
        for i in range(3, len(key) - 4):
            head, tail = key[:i], key[i:]
            tail_form = self._known(tail)
            if tail_form is None:
                continue
            if tail in self._candidates(tail):
                # the tail is a valid form as typed: only the head can bring diacritics
                tail_form = tail
            head_form = self._stem(head)
            if head_form is not None and has_diacritics(head_form + tail_form):
                return head_form + tail_form
        return None

    def _stem(self, head: str) -> str | None:
        """The first part of a compound, read from a known word it is the stem of."""
        readings = {head} if head in self._candidates(head) else set()
        for ending in ("s", "a", "e", "is", "us", "u"):
            for form in self._candidates(head + ending):
                if len(form) == len(head) + len(ending):
                    readings.add(form[: len(head)])
        if len(readings) == 1:
            return readings.pop()
        return head if head in readings else None

    def _regular(self, key: str) -> str | None:
        """Restore a form that no list has from a known word it is regularly built on.

        Debitive "ja" + 3rd person present ("jasalabo" -> "jāsalabo"), negation "ne" + a
        known form, the reflexive infinitive of a known infinitive ("speleties" ->
        "spēlēties"), and the 3rd-person present, reflexive present and conditional of a
        known infinitive ("siltina" <- "siltināt", "kavejas" <- "kavēties", "pienemtu" <-
        "pieņemt"). Nothing is guessed letter by letter.
        """
        if key.startswith("ja") and len(key) >= 5:
            rest = self._base(key[2:])
            if rest is not None and has_diacritics("jā" + rest):
                return "jā" + rest
        if key.startswith("ne") and len(key) >= 6:
            rest = self._base(key[2:])
            if rest is not None:
                return "ne" + rest
        if len(key) < 5:
            return None
        if key.endswith("ties"):
            infinitive = self._base(key[:-3])
            return infinitive + "ies" if infinitive and infinitive.endswith("t") else None
        if key.endswith("tu"):
            infinitive = self._base(key[:-1])
            return infinitive + "u" if infinitive and infinitive.endswith("t") else None
        if key.endswith(("ejas", "ojas", "ajas")):
            infinitive = self._base(key[:-3] + "ties")
            return infinitive[:-4] + "jas" if infinitive and infinitive.endswith("ties") else None
        if key.endswith(("o", "e", "a")):
            infinitive = self._base(key + "t")
            # -ināt verbs are 3rd conjugation: "siltināt" -> "siltina", not "siltinā"
            if (
                infinitive
                and infinitive.endswith(("ot", "ēt", "āt"))
                and not infinitive.endswith("ināt")
            ):
                return infinitive[:-1]
        if key.endswith("ina"):
            infinitive = self._base(key[:-1] + "at")
            if infinitive and infinitive.endswith("ināt"):
                return infinitive[:-4] + "ina"
        if key.endswith("a"):
            infinitive = self._base(key[:-1] + "it")
