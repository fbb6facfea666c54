"""The word file (.dic) of a Hunspell dictionary, and every form one stem expands to."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pipeline.lang.hunspell.affixes import Affixes, read_lines

# The slash between a .dic word and its flags (a word may contain an escaped one, "\\/").
_FLAG_SLASH = re.compile(r"(?<!\\)/")


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
    lines = read_lines(Path(path), affixes.encoding)
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
