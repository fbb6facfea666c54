"""The report as one self-contained HTML page: summary, priorities, SVID table, charts, themes.

The page is rendered from ``templates/report.html.j2`` with autoescaping, so every proposal is
shown as text; the charts are embedded as data URIs, so the file works offline.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from pipeline.io.files import atomic_path
from pipeline.publish.charts.names import FIGURE_NAMES
from pipeline.publish.format import (
    DASH,
    count,
    decimal,
    int_or_dash,
    iso_date,
    missing,
    text_or_dash,
)
from pipeline.publish.report.inputs import Method, ReportInputs, theme_overview, visible_ideas
from pipeline.publish.report.survey import choice_sections, question_sections
from pipeline.publish.tables import as_list
from pipeline.publish.text import quadrant_names, ui_text
from pipeline.summary.counting import (
    data_dimensions,
    flag,
    unhidden_ideas,
    votes_per_response,
)
from pipeline.swot.quadrants import QUADRANTS
from pipeline.topics.small import small_input_counts

# The priorities chart has its own place in the priorities section; the rest are listed
# under "charts".
_OWN_SECTION = ("priorities",)


def render_html(
    inputs: ReportInputs,
    lang: str = "lv",
    *,
    generated: str | None = None,
    redactions: Mapping[str, int] | None = None,
) -> str:
    """The report as one self-contained HTML page (images embedded as data URIs).

    ``inputs`` should already be :func:`pipeline.publish.report.inputs.publishable`
    (``redactions`` are its counts, noted in the report); this function only escapes.
    """
    t = ui_text(lang, "report")
    captions = ui_text(lang, "chart_captions")
    themes = theme_overview(inputs, lang)
    names = dict(zip(themes["theme"], themes["name"], strict=True))
    ideas = visible_ideas(inputs.ideas)
    # territory, group and votes only where the data has them (never columns of zeros)
    dims = data_dimensions(inputs.ideas)
    has = {dim: dim in dims for dim in ("territory", "group", "votes")}
    figures = {name: _data_uri(png) for name, png in inputs.figures.items()}
    chart_list = [
        {"src": figures[name], "caption": captions[name]}
        for name in FIGURE_NAMES
        if name in figures and name not in _OWN_SECTION
    ]
    context = {
        "lang": lang,
        "t": t,
        "source_name": inputs.source_name,
        "generated": generated or iso_date(dt.date.today()),
        "summary": _summary(inputs.ideas, themes, lang, inputs.method.cluster.min_cluster_size),
        "has": has,
        "priorities": _priority_rows(themes, lang),
        "svid_rows": _svid_rows(inputs, names, lang),
        "figures": {"priorities": figures.get("priorities")},
        "chart_list": chart_list,
        "themes": _theme_sections(themes, ideas, inputs.report.n_quotes, lang, dims),
        "questions": question_sections(ideas, names, lang),
        "choices": choice_sections(inputs.choices, ideas, names, lang),
        "review": _review_lines(inputs.review_log, lang),
        "redactions": redaction_note(redactions or {}, lang),
        "method": _method_rows(inputs.method, lang),
    }
    return _template().render(**context)


def write_html(html: str, path: str | Path) -> None:
    """Write the report atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")


def redaction_note(counts: Mapping[str, int], lang: str) -> str:
    """One sentence saying how many identifiers were replaced ("" when none)."""
    shown = {kind: n for kind, n in counts.items() if n}
    if not shown:
        return ""
    return ui_text(lang, "report")["redactions"].format(
        counts=", ".join(f"{kind} {n}" for kind, n in sorted(shown.items()))
    )


@functools.cache
def _template() -> jinja2.Template:
    source = (
        resources.files("pipeline.publish.report")
        .joinpath("templates/report.html.j2")
        .read_text("utf-8")
    )
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return environment.from_string(source)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _summary(
    all_ideas: pd.DataFrame, themes: pd.DataFrame, lang: str, min_cluster_size: int | str
) -> dict[str, Any]:
    t = ui_text(lang, "report")
    small = small_input_counts(all_ideas, all_ideas["theme"].tolist(), min_cluster_size)
    ideas = unhidden_ideas(all_ideas)
    answers = visible_ideas(all_ideas)
    responses = all_ideas["response_id"].nunique()
    # every idea not hidden is an answer or a non-answer
    non_answers = len(ideas) - len(answers)
    outliers = int(answers["outlier"].astype(bool).sum()) if "outlier" in answers else 0
    duplicates = int(answers["duplicate_of"].notna().sum())
    votes = float(votes_per_response(answers).sum())
    votes_text = t["votes_total"].format(votes=count(votes, lang)) if votes > 0 else t["no_votes"]
    cards = [
        (responses, t["responses"]),
        (len(answers), t["ideas_card"]),
        (len(themes), t["themes_card"]),
        (non_answers, t["non_answers"]),
        (duplicates, t["duplicates"]),
        (outliers, t["outliers"]),
    ]
    languages = answers["language"].fillna("?").value_counts()
    language_names = ui_text(lang, "language_names")
    return {
        "cards": [{"value": count(v, lang), "label": label} for v, label in cards],
        "text": t["summary_text"].format(
            responses=count(responses, lang),
            ideas=count(len(answers), lang),
            non_answers=count(non_answers, lang),
            themes=len(themes),
            outliers=count(outliers, lang),
            votes=votes_text,
        ),
        "languages": [
            {"name": language_names.get(code, code), "n": count(n, lang)}
            for code, n in languages.items()
        ],
        # too few ideas to cluster: say what was and was not done
        "small_input": t["small_input"].format(**small) if small else "",
    }


def _priority_rows(themes: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    quadrants = quadrant_names(lang)
    rows = []
    for row in themes.to_dict("records"):
        votes = row.get("votes")
        score = row.get("priority_score")
        rows.append(
            {
                "rank": int_or_dash(row.get("priority_rank")),
                "anchor": _anchor(row["theme"]),
                "name": row["name"],
                "score": DASH if missing(score) else decimal(score, lang),
                "n_ideas": int_or_dash(row.get("n_ideas")),
                "votes": int_or_dash(votes),
                "n_territories": int_or_dash(row.get("n_territories")),
                "n_groups": int_or_dash(row.get("n_groups")),
                "dominant": quadrants.get(str(row.get("swot_dominant")), DASH),
            }
        )
    return rows


def _svid_rows(
    inputs: ReportInputs, names: Mapping[str, str], lang: str
) -> list[list[dict[str, Any]]]:
    """The SVID table as two rows of two quadrant cells (S W / O T)."""
    quadrants = quadrant_names(lang)
    ideas = visible_ideas(inputs.ideas)
    by_person = flag(ideas, "swot_by_person")
    changed = set(zip(ideas.loc[by_person, "theme"], ideas.loc[by_person, "swot"], strict=True))
    cells = {}
    for quadrant in QUADRANTS:
        entries = []
        for row in inputs.svid[inputs.svid["quadrant"] == quadrant].to_dict("records"):
            quotes = as_list(row.get("quotes"))
            entries.append(
                {
                    "theme_name": names.get(row["theme"], row["theme_name"]),
                    "n_ideas": row["n_ideas"],
                    "quote": quotes[0] if quotes else "",
                    "by_person": (row["theme"], quadrant) in changed,
                }
            )
        cells[quadrant] = {"quadrant": quadrant, "name": quadrants[quadrant], "entries": entries}
    return [[cells["S"], cells["W"]], [cells["O"], cells["T"]]]


def _theme_sections(
    themes: pd.DataFrame, ideas: pd.DataFrame, n_quotes: int, lang: str, dims: frozenset[str]
) -> list[dict[str, Any]]:
    t = ui_text(lang, "report")
    quadrants = quadrant_names(lang)
    sections = []
    for row in themes.to_dict("records"):
        members = ideas[ideas["theme"] == row["theme"]]
        votes = float(votes_per_response(members).sum())
        counts = t["counts"] if "votes" in dims else t["counts_no_votes"]
        swot = []
        for quadrant in QUADRANTS:
            share = row.get(f"swot_share_{quadrant}")
            percent = 0 if share is None or pd.isna(share) else round(100 * float(share))
            if percent:
                swot.append({"quadrant": quadrant, "name": quadrants[quadrant], "percent": percent})
        merged = row.get("merged_from")
        sections.append(
            {
                "anchor": _anchor(row["theme"]),
                "rank": int_or_dash(row.get("priority_rank")),
                "name": row["name"],
                "renamed": bool(row.get("renamed", False)),
                "is_new": bool(row.get("is_new", False)),
                "merged_from": ", ".join(map(str, as_list(merged))),
                "keywords": as_list(row.get("keywords")),
                "counts": counts.format(
                    n_ideas=count(len(members), lang),
                    n_responses=count(members["response_id"].nunique(), lang),
                    votes=t["votes_n"].format(votes=count(votes, lang)),
                ),
                "territories": _top_values(members, "territory"),
                "groups": _top_values(members, "group"),
                "swot": swot,
                "proposals": _proposals(members, row.get("representatives"), n_quotes, lang, dims),
            }
        )
    return sections


def _top_values(ideas: pd.DataFrame, column: str, limit: int = 6) -> str:
    if column not in ideas or ideas[column].dropna().empty:
        return DASH
    counts = ideas[column].dropna().astype(str).value_counts()
    shown = [f"{name} ({n})" for name, n in counts.head(limit).items()]
    if len(counts) > limit:
        shown.append("…")
    return ", ".join(shown)


def _proposals(
    members: pd.DataFrame, representatives: Any, n_quotes: int, lang: str, dims: frozenset[str]
) -> list[dict[str, Any]]:
    """Up to ``n_quotes`` typical proposals: the theme's representatives first, then the most
    confident members; no repeats of the same text. Each with its territory and group (those
    the data has) and its quadrant."""
    t = ui_text(lang, "report")
    quadrants = quadrant_names(lang)
    order = as_list(representatives)
    by_id = members.set_index("idea_id", drop=False)
    ranked = [by_id.loc[i] for i in order if i in by_id.index]
    rest = members[members["duplicate_of"].isna()]
    if "theme_confidence" in rest:
        rest = rest.sort_values("theme_confidence", ascending=False, kind="stable")
    ranked += [row for _, row in rest.iterrows()]
    chosen, seen = [], set()
    for row in ranked:
        key = " ".join(str(row["text"]).lower().split())
        if key in seen or row["idea_id"] in {c["idea_id"] for c in chosen}:
            continue
        seen.add(key)
        marks = []
        if bool(row.get("theme_by_person", False)):
            marks.append(t["mark_theme"])
        if bool(row.get("swot_by_person", False)):
            marks.append(t["mark_swot"])
        where = [text_or_dash(row.get(c)) for c in ("territory", "group") if c in dims]
        swot = quadrants.get(str(row.get("swot")), DASH)
        meta = f"{', '.join(where)}; {swot}" if where else swot
        question = row.get("question")
        if isinstance(question, str) and question.strip():
            meta = t["meta_question"].format(question=question.strip()) + "; " + meta
        chosen.append({"idea_id": row["idea_id"], "text": str(row["text"]), "meta": meta,
                       "marks": marks})  # fmt: skip
        if len(chosen) >= n_quotes:
            break
    return chosen


def _review_lines(review_log: Mapping[str, Any], lang: str) -> dict[str, list[str]]:
    t = ui_text(lang, "report")

    def line(entry: Any) -> str:
        if not isinstance(entry, Mapping):
            return str(entry)
        kind = str(entry.get("kind", ""))
        label = t.get(f"kind_{kind}", kind)
        parts = [str(entry.get("target", ""))]
        extra = entry.get("detail") or entry.get("reason")
        if extra:
            parts.append(str(extra))
        return f"{label}: " + " – ".join(p for p in parts if p)

    return {
        "applied": [line(e) for e in review_log.get("applied", [])],
        "unmatched": [line(e) for e in review_log.get("unmatched", [])],
    }


def _method_rows(params: Method, lang: str) -> list[dict[str, str]]:
    t = ui_text(lang, "report")

    def kv(section: Any) -> str:
        values = dataclasses.asdict(section) if dataclasses.is_dataclass(section) else section
        return ", ".join(f"{k}={v}" for k, v in values.items())

    return [
        {"name": t["m_model"], "value": f"{params.embed.model} ({params.embed.prompt_name})"},
        {"name": t["m_umap"], "value": kv(params.reduce)},
        {"name": t["m_hdbscan"], "value": kv(params.cluster)},
        {"name": t["m_themes"], "value": kv(params.themes)},
        {
            "name": t["m_swot"],
            "value": f"use_classifier={params.swot.use_classifier}, "
            f"adapt_priors={params.swot.adapt_priors}",
        },  # fmt: skip
        {"name": t["m_priority"], "value": kv(params.priority.weights)},
        {"name": t["m_seed"], "value": str(params.seed)},
    ]


def _anchor(theme: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", str(theme).lower()).strip("-") or "theme"
