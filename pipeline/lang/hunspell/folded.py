"""Every form of a Hunspell dictionary, found by its folded spelling (no full expansion)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pipeline.lang.hunspell.affixes import Affixes, AffixRule


@dataclass(frozen=True)
class Analysis:
    """How a dictionary makes one word form.

    Attributes:
        form: The form in lower case.
        stem: The .dic stem it is made from, as written there.
        suffix: The suffix rule applied (None for the bare stem or a prefix alone).
        prefix: The prefix rule applied (None for none).
    """

    form: str
    stem: str
    suffix: AffixRule | None
    prefix: AffixRule | None

    @property
    def suffix_add(self) -> str:
        """The suffix's added letters ("" without a suffix)."""
        return self.suffix.add if self.suffix else ""

    @property
    def prefix_add(self) -> str:
        """The prefix's added letters ("" without a prefix)."""
        return self.prefix.add if self.prefix else ""


def identity(text: str) -> str:
    """The text unchanged (the default fold: look words up as written)."""
    return text


class FoldedLexicon:
    """Every form of a Hunspell dictionary, found by its folded spelling.

    Args:
        affixes: The affix classes (`read_aff`).
        entries: The stems and their flags (`read_dic`).
        fold: Maps a lower-case word to its key; it must map letter to letter (same length),
            as stripping diacritics does. Identity by default.
    """

    def __init__(
        self,
        affixes: Affixes,
        entries: Iterable[tuple[str, frozenset[str]]],
        fold: Callable[[str], str] = identity,
    ) -> None:
        self.affixes = affixes
        self.fold = fold
        stems: defaultdict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for stem, flags in entries:
            stems[fold(stem.lower())].append((stem, flags))
        self._stems = dict(stems)
        self._suffixes = self._by_folded_add(affixes.suffixes)
        self._prefixes = self._by_folded_add(affixes.prefixes)
        self._cache: dict[str, tuple[Analysis, ...]] = {}

    def _by_folded_add(
        self, classes: dict[str, tuple[AffixRule, ...]]
    ) -> dict[str, tuple[AffixRule, ...]]:
        grouped: defaultdict[str, list[AffixRule]] = defaultdict(list)
        for rules in classes.values():
            for rule in rules:
                grouped[self.fold(rule.add.lower())].append(rule)
        return {add: tuple(rules) for add, rules in grouped.items()}

    @property
    def n_stems(self) -> int:
        """How many distinct folded stems the dictionary has."""
        return len(self._stems)

    def _suffixed(self, key: str) -> Iterator[tuple[str, str, frozenset[str], AffixRule | None]]:
        """Forms without a prefix that fold to ``key``: (form, stem, its flags, suffix rule)."""
        for stem, flags in self._stems.get(key, ()):
            yield stem, stem, flags, None
        # the added letters are key[cut:] (empty for a rule that only strips)
        for cut in range(1, len(key) + 1):
            rules = self._suffixes.get(key[cut:])
            if not rules:
                continue
            head = key[:cut]
            for rule in rules:
                for stem, flags in self._stems.get(head + self.fold(rule.strip.lower()), ()):
                    if rule.flag in flags and rule.applies_to(stem):
                        yield rule.apply(stem), stem, flags, rule

    def analyses(self, key: str) -> tuple[Analysis, ...]:
        """Every way the dictionary makes a word that folds to ``key``.

        Args:
            key: A folded, lower-case word.

        Returns:
            One `Analysis` per (form, stem, affixes), sorted by form; () if none.
        """
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        found: set[Analysis] = set()
        for form, stem, _, suffix in self._suffixed(key):
            found.add(Analysis(form.lower(), stem, suffix, None))
        for add, rules in self._prefixes.items():
            if not key.startswith(add):
                continue
            for rule in rules:
                inner = self.fold(rule.strip.lower()) + key[len(add) :]
                for form, stem, flags, suffix in self._suffixed(inner):
                    if rule.flag not in flags:
                        continue
                    if suffix is not None and not (suffix.cross_product and rule.cross_product):
                        continue
                    if rule.applies_to(form):
                        found.add(Analysis(rule.apply(form).lower(), stem, suffix, rule))
        result = tuple(
            sorted(
                (a for a in found if self.fold(a.form) == key),
                key=lambda a: (a.form, a.stem, a.suffix_add, a.prefix_add),
            )
        )
        self._cache[key] = result
        return result

    def forms(self, key: str) -> tuple[str, ...]:
        """The distinct lower-case forms whose folded spelling is ``key`` (sorted; () if none).

        Args:
            key: A folded, lower-case word.

        Returns:
            The forms, each of the same length as the key.
        """
        return tuple(dict.fromkeys(a.form for a in self.analyses(key)))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self.forms(key))
