"""Which ideas count, and votes counted once per response: one definition for every count.

An idea counts unless a person hid it in the review (``hidden``) or it says nothing
(``non_answer``, e.g. "nav"). A missing column means no idea is flagged, so tables from before
the review count as they are.

A response's dot-votes are repeated on each of its ideas; summed over ideas they would count a
response once per idea, so they are counted once per response.
"""

from __future__ import annotations

import pandas as pd


def flag(ideas: pd.DataFrame, column: str) -> pd.Series:
    """A True/False column; a missing column or a missing value is False."""
    if column not in ideas.columns:
        return pd.Series(False, index=ideas.index)
    return ideas[column].fillna(False).astype(bool)


def is_counted(ideas: pd.DataFrame) -> pd.Series:
    """True for ideas that count: not hidden by a person and not a non-answer."""
    return ~flag(ideas, "hidden") & ~flag(ideas, "non_answer")


def counted_ideas(ideas: pd.DataFrame) -> pd.DataFrame:
    """The ideas that count (see :func:`is_counted`), in their order and with their index."""
    return ideas[is_counted(ideas)]


def unhidden_ideas(ideas: pd.DataFrame) -> pd.DataFrame:
    """Every idea but those a person hid, non-answers included.

    Who took part: the territories and groups a theme's breadth is measured against include
    those whose residents answered with nothing but non-answers.
    """
    return ideas[~flag(ideas, "hidden")]


def theme_keys(ideas: pd.DataFrame) -> pd.Series:
    """Each idea's theme as text ("" for none)."""
    return ideas["theme"].fillna("").astype(str)


def has_theme(ideas: pd.DataFrame) -> pd.Series:
    """True for ideas in a theme (``theme`` neither "" nor missing)."""
    return theme_keys(ideas) != ""


def placed_ideas(ideas: pd.DataFrame) -> pd.DataFrame:
    """The ideas that count and have both a theme and a quadrant (``swot`` not "")."""
    counted = counted_ideas(ideas)
    return counted[has_theme(counted) & (counted["swot"].fillna("") != "")]


def votes_per_response(ideas: pd.DataFrame) -> pd.Series:
    """Each response's votes, counted once.

    Args:
        ideas: Ideas with ``response_id`` and optionally ``votes`` (the same on every idea of a
            response; text that is not a number counts as no votes).

    Returns:
        Index: response id as text; value: its votes, 0 when it has none or the table has no
        ``votes``. Its length is the number of responses, its sum the votes.
    """
    if "votes" in ideas.columns:
        votes = pd.to_numeric(ideas["votes"], errors="coerce").fillna(0.0)
    else:
        votes = pd.Series(0.0, index=ideas.index)
    return votes.groupby(ideas["response_id"].astype(str)).max()


def data_dimensions(ideas: pd.DataFrame) -> frozenset[str]:
    """Which of ``territory``, ``group`` and ``votes`` the data has, among ideas not hidden.

    A territory or group counts when at least one idea has a non-empty value, votes when at
    least one idea has more than zero. The report, the workbook and the charts leave the
    others out rather than show columns of zeros or dashes.
    """
    shown = unhidden_ideas(ideas)
    present = set()
    for column in ("territory", "group"):
        if column in shown.columns:
            values = shown[column].dropna().astype(str).str.strip()
            if (values != "").any():
                present.add(column)
    if "votes" in shown.columns and (pd.to_numeric(shown["votes"], errors="coerce") > 0).any():
        present.add("votes")
    return frozenset(present)
