"""A planner's corrections to the machine's themes and SWOT, kept in a small YAML file.

A municipal planner reads the themes and the SVID table and corrects what the machine got
wrong in ``data/review/overrides.yaml``::

    rename:                      # theme key -> new name (Latvian, or {lv: ..., en: ...})
      roads: "Ceļi, ielas un ietves"
    merge:                       # several themes become one; ``into`` is one of them
      - themes: [new-2, business_jobs]
        into: business_jobs
    move:                        # idea id -> theme key
      "1002-1": families_children
    swot:                        # quadrant: S/W/O/T or the SVID letters S/V/I/D
      ideas: {"1001-1": T}
      themes: {tourism: O}
    hide: ["1044-2"]             # ideas left out of every count, chart and report

Re-running applies them to the machine's tables without re-embedding or re-clustering
(:mod:`pipeline.review.apply`). Corrections that no longer match anything (an unknown idea id,
a theme key that re-clustering renumbered) are reported, never silently dropped.

This module holds the validated corrections; :mod:`pipeline.review.load` reads and checks the
file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

SECTIONS = ("rename", "merge", "move", "swot", "hide")
"""The top-level keys of an overrides file."""

KINDS = ("merge", "rename", "move", "swot_theme", "swot_idea", "hide")
"""Kinds of correction, in the order they are applied."""

QUADRANT_LETTERS = MappingProxyType(
    {"S": "S", "W": "W", "O": "O", "T": "T", "V": "W", "I": "O", "D": "T"}
)
"""Accepted quadrant letters (SWOT and the Latvian SVID) -> the SWOT letter used in tables."""


@dataclass(frozen=True)
class ThemeName:
    """A theme's new name; ``en`` None keeps the machine's English name."""

    lv: str
    en: str | None = None


@dataclass(frozen=True)
class Merge:
    """Themes that become one: ``into`` (one of ``themes``) absorbs the others."""

    themes: tuple[str, ...]
    into: str

    @property
    def absorbed(self) -> tuple[str, ...]:
        """The themes that disappear into ``into``."""
        return tuple(theme for theme in self.themes if theme != self.into)


@dataclass(frozen=True)
class Overrides:
    """A planner's corrections, validated (see :func:`pipeline.review.load.overrides_from_dict`).

    Attributes:
        rename: Theme key -> new name.
        merge: Merges in file order.
        move: Idea id -> theme key it belongs to.
        swot_ideas: Idea id -> quadrant letter (S, W, O or T).
        swot_themes: Theme key -> quadrant letter for all its ideas.
        hide: Ids of ideas to leave out of counts, charts and reports.
        source: Where the corrections come from, for messages.
    """

    rename: Mapping[str, ThemeName] = field(default_factory=lambda: MappingProxyType({}))
    merge: tuple[Merge, ...] = ()
    move: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    swot_ideas: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    swot_themes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    hide: tuple[str, ...] = ()
    source: str = "<overrides>"

    @classmethod
    def empty(cls, source: str = "<overrides>") -> Overrides:
        """No corrections: the machine's results are kept as they are."""
        return cls(source=source)

    def is_empty(self) -> bool:
        """True when there is nothing to apply."""
        return not (
            self.rename
            or self.merge
            or self.move
            or self.swot_ideas
            or self.swot_themes
            or self.hide
        )
