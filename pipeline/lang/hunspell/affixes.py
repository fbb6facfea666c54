"""The affix file (.aff) of a Hunspell dictionary: its encoding, flag type and affix rules."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

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


def read_lines(path: Path, encoding: str) -> Iterator[str]:
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
    for number, line in enumerate(read_lines(path, encoding), start=1):
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
