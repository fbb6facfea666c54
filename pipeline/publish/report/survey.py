"""What a survey adds to the report and the workbook: answers by question, ticks against text.

Both tables are empty for input without questions or tick boxes, and the report and the workbook
then show nothing more than before.

- :func:`question_table`: per question and theme, how many of the question's answers fall in
  the theme and in which SVID quadrant (the themes and the SVID table of one question);
- :func:`choice_comparison`: per tick-box option, the share of respondents who ticked it next to
  the share of respondents whose free-text answers (to any question) fall in the taxonomy theme
  the option names: "what residents ticked" against "what they wrote".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pipeline.publish.format import DASH, count, percent
from pipeline.publish.text import quadrant_names, ui_text
from pipeline.swot.quadrants import QUADRANTS

QUESTION_COLUMNS = ("question", "theme", "name", "n_ideas", "n_responses", "share_of_question",
                    *(f"n_{q}" for q in QUADRANTS))  # fmt: skip
COMPARISON_COLUMNS = ("column", "option", "theme", "name", "n_respondents", "n_ticked",
                      "share_ticked", "n_wrote", "share_wrote", "difference")  # fmt: skip


def _text(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip()


def questions_of(ideas: pd.DataFrame) -> list[str]:
    """The questions the ideas answer, in order of first appearance ([] when none)."""
    if "question" not in ideas:
        return []
    questions = _text(ideas["question"])
    return [q for q in dict.fromkeys(questions) if q]


def question_table(ideas: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Per question (in order) and theme (most answers first): counts and quadrant split.

    Args:
        ideas: The ideas that count (no non-answers, none hidden), with ``question``,
            ``response_id``, ``theme`` and ``swot``.
        names: Theme key -> the name shown.

    Returns:
        The columns of ``QUESTION_COLUMNS``: ``n_responses`` is the number of the question's
        answers with an idea in the theme, ``share_of_question`` that over all the question's
        answers; ``n_S`` ... ``n_T`` count the theme's ideas per quadrant. Ideas without a theme
        are one row with an empty ``theme``.
    """
    rows = []
    for question in questions_of(ideas):
        members = ideas[_text(ideas["question"]) == question]
        answers = members["response_id"].nunique()
        themes = _text(members["theme"])
        swot = _text(members["swot"])
        for theme in themes.unique():
            part = members[themes == theme]
            quadrants = swot[themes == theme].value_counts()
            rows.append(
                {
                    "question": question,
                    "theme": theme,
                    "name": names.get(theme, theme),
                    "n_ideas": len(part),
                    "n_responses": part["response_id"].nunique(),
                    "share_of_question": part["response_id"].nunique() / answers,
                    **{f"n_{q}": int(quadrants.get(q, 0)) for q in QUADRANTS},
                }
            )
    table = pd.DataFrame(rows, columns=list(QUESTION_COLUMNS))
    if table.empty:
        return table
    order = {q: i for i, q in enumerate(questions_of(ideas))}
    return table.sort_values(
        ["question", "n_responses", "name"],
        key=lambda s: s.map(order) if s.name == "question" else s,
        ascending=[True, False, True],
        kind="stable",
    ).reset_index(drop=True)


def choice_comparison(
    choices: pd.DataFrame | None, ideas: pd.DataFrame, names: Mapping[str, str]
) -> pd.DataFrame:
    """Per tick-box column and option: ticked share next to the written share of its theme.

    Args:
        choices: The choices table (:mod:`pipeline.ingest.choices`), options with ``theme``.
        ideas: The ideas that count, with ``respondent`` (or else ``response_id``) and ``theme``.
        names: Theme key -> the name shown.

    Returns:
        The columns of ``COMPARISON_COLUMNS``, in the choices table's order. Both shares are of
        all respondents (``n_respondents``, the rows of the file): ``share_ticked`` of those who
        ticked the option, ``share_wrote`` of those with at least one idea in the option's theme;
        ``difference`` is ``share_ticked - share_wrote``. An option that names no theme has
        empty written figures.
    """
    if choices is None or choices.empty:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    who = "respondent" if "respondent" in ideas else "response_id"
    themes = _text(ideas["theme"])
    writers = ideas.assign(_theme=themes).groupby("_theme")[who].nunique()
    rows = []
    for row in choices.to_dict("records"):
        theme = "" if pd.isna(row.get("theme")) else str(row.get("theme") or "")
        total = int(row["n_respondents"])
        ticked = int(row["n_ticked"])
        wrote = int(writers.get(theme, 0)) if theme else None
        share_ticked = ticked / total if total else 0.0
        share_wrote = None if wrote is None else (wrote / total if total else 0.0)
        rows.append(
            {
                "column": row["column"],
                "option": row["option"],
                "theme": theme,
                "name": names.get(theme, theme),
                "n_respondents": total,
                "n_ticked": ticked,
                "share_ticked": share_ticked,
                "n_wrote": wrote,
                "share_wrote": share_wrote,
                "difference": None if share_wrote is None else share_ticked - share_wrote,
            }
        )
    table = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    table["n_wrote"] = table["n_wrote"].astype("Int64")
    table[["share_wrote", "difference"]] = table[["share_wrote", "difference"]].astype(float)
    return table


def written_without_option(
    comparison: pd.DataFrame, ideas: pd.DataFrame, names: Mapping[str, str], column: str
) -> pd.DataFrame:
    """Themes residents wrote about that no option of tick-box ``column`` names.

    Returns:
        ``theme``, ``name``, ``n_wrote`` (respondents), most first; themes with no name left out.
    """
    who = "respondent" if "respondent" in ideas else "response_id"
    offered = set(comparison.loc[comparison["column"] == column, "theme"])
    themes = _text(ideas["theme"])
    counts = ideas.assign(_theme=themes).groupby("_theme")[who].nunique()
    rows = [
        {"theme": theme, "name": names.get(theme, theme), "n_wrote": int(n)}
        for theme, n in counts.items()
        if theme and theme not in offered
    ]
    table = pd.DataFrame(rows, columns=["theme", "name", "n_wrote"])
    return table.sort_values(["n_wrote", "name"], ascending=[False, True]).reset_index(drop=True)


# -- the report's sections ------------------------------------------------------------------


def question_sections(
    ideas: pd.DataFrame, names: Mapping[str, str], lang: str, n_themes: int = 8
) -> list[dict[str, Any]]:
    """One report section per question: counts, quadrant split, top themes, its SVID table.

    Args:
        ideas: The ideas that count. ``[]`` when they answer no question.
        n_themes: Themes listed per question (the rest are in the workbook).
    """
    t = ui_text(lang, "report")
    quadrants = quadrant_names(lang)
    table = question_table(ideas, names)
    sections = []
    for question in questions_of(ideas):
        rows = table[table["question"] == question]
        members = ideas[_text(ideas["question"]) == question]
        swot = _text(members["swot"])
        placed = swot[swot != ""]
        shares = placed.value_counts(normalize=True)
        split = [
            {"quadrant": q, "name": quadrants[q], "percent": round(100 * float(shares[q]))}
            for q in QUADRANTS
            if q in shares.index
        ]
        theme_rows = [
            {
                "name": row["name"] or t["no_theme"],
                "n_responses": count(row["n_responses"], lang),
                "share": percent(row["share_of_question"], lang),
                "svid": ", ".join(
                    f"{quadrants[q]} {row[f'n_{q}']}" for q in QUADRANTS if row[f"n_{q}"]
                ),
            }
            for row in rows.head(n_themes).to_dict("records")
        ]
        cells = {}
        for q in QUADRANTS:
            entries = [
                {"name": row["name"] or t["no_theme"], "n": row[f"n_{q}"]}
                for row in rows.sort_values(f"n_{q}", ascending=False, kind="stable").to_dict(
                    "records"
                )
                if row[f"n_{q}"]
            ]
            cells[q] = {"quadrant": q, "name": quadrants[q], "entries": entries[:n_themes]}
        sections.append(
            {
                "question": question,
                "counts": t["question_counts"].format(
                    n_answers=count(members["response_id"].nunique(), lang),
                    n_ideas=count(len(members), lang),
                ),
                "swot": split,
                "themes": theme_rows,
                "more_themes": max(0, len(rows) - n_themes),
                "svid_rows": [[cells["S"], cells["W"]], [cells["O"], cells["T"]]],
            }
        )
    return sections


def choice_sections(
    choices: pd.DataFrame | None, ideas: pd.DataFrame, names: Mapping[str, str], lang: str
) -> list[dict[str, Any]]:
    """One report table per tick-box column: ticked against written, per option."""
    t = ui_text(lang, "report")
    comparison = choice_comparison(choices, ideas, names)
    sections = []
    for column in dict.fromkeys(comparison["column"]):
        rows = comparison[comparison["column"] == column]
        unoffered = written_without_option(comparison, ideas, names, column)
        sections.append(
            {
                "column": column,
                "rows": [
                    {
                        "option": row["option"],
                        "theme": row["name"] or t["no_matching_theme"],
                        "ticked": f"{percent(row['share_ticked'], lang)} ({row['n_ticked']})",
                        "wrote": DASH
                        if pd.isna(row["share_wrote"])
                        else f"{percent(row['share_wrote'], lang)} ({row['n_wrote']})",
                        "difference": DASH
                        if pd.isna(row["difference"])
                        else _points(row["difference"], lang),
                    }
                    for row in rows.to_dict("records")
                ],
                "unoffered": ", ".join(
                    f"{row['name']} ({row['n_wrote']})" for row in unoffered.to_dict("records")
                ),
            }
        )
    return sections


def _points(difference: float, lang: str) -> str:
    """A difference of two shares in percentage points, signed."""
    points = round(100 * float(difference))
    sign = "+" if points > 0 else ("−" if points < 0 else "")
    return f"{sign}{abs(points)}"
