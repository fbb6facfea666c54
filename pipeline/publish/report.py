"""The planner's report: one self-contained HTML file and an Excel workbook.

Both are for publication, so every text in them goes through :mod:`pipeline.publish.redact` first
(:func:`publishable`); internal artefacts keep the raw text. Every proposal is HTML-escaped by
the template engine, and Excel cells that a spreadsheet would read as a formula are defused.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from pipeline import io
from pipeline.params import Params
from pipeline.publish.redact import redact_frame, redact_text
from pipeline.summary.svid import QUADRANT_NAMES_EN, QUADRANT_NAMES_LV, QUADRANTS

LANGUAGE_NAMES = {
    "lv": {"lv": "latviešu", "ru": "krievu", "en": "angļu", "ltg": "latgaliešu"},
    "en": {"lv": "Latvian", "ru": "Russian", "en": "English", "ltg": "Latgalian"},
}

# Chart names (as saved by the charts stage) in the order the report shows them.
CHART_ORDER = (
    "svid_matrix",
    "keywords",
    "heatmap_territory",
    "heatmap_group",
    "votes",
    "document_map",
)

TEXT: dict[str, dict[str, str]] = {
    "lv": {
        "title": "Iedzīvotāju priekšlikumi: tēmas, SVID un prioritātes",
        "subtitle": "Automātiska analīze, ko pārskatījis plānotājs",
        "summary": "Kopsavilkums",
        "priorities": "Prioritātes",
        "svid": "SVID tabula",
        "charts": "Diagrammas",
        "themes": "Tēmas",
        "review": "Cilvēka labojumi",
        "method": "Metode un parametri",
        "language": "Valoda",
        "ideas": "Idejas",
        "ideas_short": "idejas",
        "votes": "Balsis",
        "theme": "Tēma",
        "score": "Punkti",
        "territories": "Teritorijas",
        "groups": "Grupas",
        "svid_main": "Galvenā SVID daļa",
        "priorities_intro": (
            "Tēmas sakārtotas pēc prioritātes punktiem (0–1): cik ideju, cik balsu, cik "
            "teritorijās un grupās tēma izskanēja, cik bieži tā minēta kā steidzama un kā "
            "vajadzība. Svari ir parametros (priority.weights)."
        ),
        "fig_priorities": "No kā veidojas katras tēmas prioritātes punkti",
        "svid_intro": (
            "Katra tēma ir tajā SVID daļā, kur to ievietoja iedzīvotāju priekšlikumi; tēma var "
            "būt vairākās daļās. Iekavās – ideju skaits, zem tā – tipisks citāts. Tabulu var "
            "iekopēt attīstības programmā."
        ),
        "none": "nav",
        "by_person": "labojis cilvēks",
        "renamed_by_person": "nosaukumu mainījis cilvēks",
        "new_theme": "jauna tēma, nosaukums no atslēgvārdiem",
        "merged": "Apvienota ar",
        "proposals": "Raksturīgi priekšlikumi",
        "no_charts": "Diagrammas nav izveidotas.",
        "review_applied": "Plānotāja labojumi, kas piemēroti šai atskaitei:",
        "review_none": "Labojumu nav: viss ir mašīnas sadalījums.",
        "review_unmatched": (
            "Šie labojumi vairs neatbilst nevienai idejai vai tēmai (piem., pēc "
            "pārklasterēšanas) un nav piemēroti. Pārbaudiet data/review/overrides.yaml:"
        ),
        "method_text": (
            "Priekšlikumi sadalīti atsevišķās idejās, normalizēti (atjaunotas garumzīmes, "
            "lemmas), pārvērsti vektoros ar valodas modeli, samazināti ar UMAP un grupēti ar "
            "HDBSCAN. Tēmu nosaukumi ņemti no tēmu saraksta vai atslēgvārdiem; SVID daļa "
            "katrai idejai noteikta ar klasifikatoru. Personas dati publicētajās atskaitēs "
            "aizstāti ar vietturiem."
        ),
        "responses": "atbildes",
        "ideas_card": "idejas",
        "themes_card": "tēmas",
        "non_answers": "bez satura",
        "outliers": "neiederas nevienā tēmā",
        "duplicates": "atkārtojumi",
        "summary_text": (
            "{responses} atbildēs ir {ideas} idejas. {non_answers} atbildes bez satura "
            '("nav", "-") neieskaita. {themes} tēmas; {outliers} idejas neiederas nevienā '
            "tēmā. {votes}"
        ),
        "votes_total": "Kopā atdotas {votes} balsis.",
        "no_votes": "Balsojuma datu nav.",
        "counts": "{n_ideas} idejas no {n_responses} atbildēm; {votes}.",
        "votes_n": "{votes} balsis",
        "meta": "{territory}, {group}; {swot}",
        "mark_theme": "tēmu mainījis cilvēks",
        "mark_swot": "SVID mainījis cilvēks",
        "redactions": "Personas dati aizstāti ar vietturiem: {counts}.",
        "kind_rename": "pārdēvēta tēma",
        "kind_merge": "apvienotas tēmas",
        "kind_move": "pārvietota ideja",
        "kind_swot_idea": "idejas SVID daļa",
        "kind_swot_theme": "tēmas SVID daļa",
        "kind_hide": "paslēpta ideja",
        "m_model": "Valodas modelis",
        "m_umap": "UMAP",
        "m_hdbscan": "HDBSCAN",
        "m_themes": "Atslēgvārdi un nosaukumi",
        "m_swot": "SVID klasifikators",
        "m_priority": "Prioritāšu svari",
        "m_seed": "Nejaušības sēkla",
        "sheet_themes": "Tēmas",
        "sheet_ideas": "Idejas",
        "sheet_svid": "SVID",
        "sheet_priorities": "Prioritātes",
    },
    "en": {
        "title": "Residents' proposals: themes, SWOT and priorities",
        "subtitle": "Automatic analysis reviewed by a planner",
        "summary": "Summary",
        "priorities": "Priorities",
        "svid": "SWOT table",
        "charts": "Charts",
        "themes": "Themes",
        "review": "Corrections by a person",
        "method": "Method and parameters",
        "language": "Language",
        "ideas": "Ideas",
        "ideas_short": "ideas",
        "votes": "Votes",
        "theme": "Theme",
        "score": "Score",
        "territories": "Territories",
        "groups": "Groups",
        "svid_main": "Main SWOT quadrant",
        "priorities_intro": (
            "Themes ordered by priority score (0–1): how many ideas and votes, in how many "
            "territories and groups it came up, how often it was urgent and a need. The "
            "weights are parameters (priority.weights)."
        ),
        "fig_priorities": "What each theme's priority score is made of",
        "svid_intro": (
            "Each theme sits in the SWOT quadrant residents' proposals put it in; a theme can "
            "be in several. In brackets the number of ideas, below it a typical quote."
        ),
        "none": "none",
        "by_person": "changed by a person",
        "renamed_by_person": "renamed by a person",
        "new_theme": "new theme, named from its keywords",
        "merged": "Merged with",
        "proposals": "Typical proposals",
        "no_charts": "No charts were made.",
        "review_applied": "The planner's corrections applied to this report:",
        "review_none": "No corrections: everything is the machine's grouping.",
        "review_unmatched": (
            "These corrections no longer match any idea or theme (e.g. after re-clustering) "
            "and were not applied. Check data/review/overrides.yaml:"
        ),
        "method_text": (
            "Proposals were split into ideas, normalised (diacritics restored, lemmas), "
            "embedded with a language model, reduced with UMAP and clustered with HDBSCAN. "
            "Theme names come from the theme list or the keywords; a classifier placed each "
            "idea in a SWOT quadrant. Personal data is replaced by placeholders in published "
            "outputs."
        ),
        "responses": "responses",
        "ideas_card": "ideas",
        "themes_card": "themes",
        "non_answers": "non-answers",
        "outliers": "fit no theme",
        "duplicates": "repeats",
        "summary_text": (
            '{responses} responses hold {ideas} ideas. {non_answers} non-answers ("no", '
            '"-") are not counted. {themes} themes; {outliers} ideas fit no theme. {votes}'
        ),
        "votes_total": "{votes} votes were cast in total.",
        "no_votes": "There are no votes in the data.",
        "counts": "{n_ideas} ideas from {n_responses} responses; {votes}.",
        "votes_n": "{votes} votes",
        "meta": "{territory}, {group}; {swot}",
        "mark_theme": "theme changed by a person",
        "mark_swot": "SWOT changed by a person",
        "redactions": "Personal data replaced by placeholders: {counts}.",
        "kind_rename": "theme renamed",
        "kind_merge": "themes merged",
        "kind_move": "idea moved",
        "kind_swot_idea": "SWOT of an idea",
        "kind_swot_theme": "SWOT of a theme",
        "kind_hide": "idea hidden",
        "m_model": "Language model",
        "m_umap": "UMAP",
        "m_hdbscan": "HDBSCAN",
        "m_themes": "Keywords and names",
        "m_swot": "SWOT classifier",
        "m_priority": "Priority weights",
        "m_seed": "Random seed",
        "sheet_themes": "Themes",
        "sheet_ideas": "Ideas",
        "sheet_svid": "SWOT",
        "sheet_priorities": "Priorities",
    },
}

CHART_CAPTIONS = {
    "lv": {
        "svid_matrix": "Tēmas SVID matricā (lielums – ideju skaits)",
        "keywords": "Biežākie atslēgvārdi katrā tēmā",
        "heatmap_territory": "Tēmas pa teritorijām",
        "heatmap_group": "Tēmas pa iedzīvotāju grupām",
        "votes": "Balsis un ideju skaits katrā tēmā",
        "document_map": "Ideju karte: līdzīgas idejas atrodas tuvu, pelēkās neiederas tēmās",
    },
    "en": {
        "svid_matrix": "Themes in the SWOT matrix (size: number of ideas)",
        "keywords": "Most frequent keywords of each theme",
        "heatmap_territory": "Themes by territory",
        "heatmap_group": "Themes by group of residents",
        "votes": "Votes and number of ideas per theme",
        "document_map": "Map of ideas: similar ideas lie close, grey ones fit no theme",
    },
}

# Text columns of the ideas table that may carry personal data.
IDEA_TEXT_COLUMNS = ("text", "text_clean", "swot_evidence")
UNPUBLISHED_COLUMNS = ("text_normalised", "text_folded")
THEME_TEXT_COLUMNS = ("name_lv", "name_en", "machine_name_lv", "keywords", "subtheme_labels")

# A spreadsheet reads these leading characters as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ReportInputs:
    """Everything the report and the workbook are made of (the reviewed pipeline outputs).

    Attributes:
        ideas: The reviewed ideas table (see :mod:`pipeline.review.overrides`), one row per idea.
        themes: The reviewed themes table.
        priorities: Priority per theme (:func:`pipeline.summary.priority.priorities`).
        svid: The SVID table (:func:`pipeline.summary.svid.svid_table`).
        theme_swot: Quadrant split per theme (:func:`pipeline.summary.svid.theme_swot`).
        review_log: ``{"applied": [...], "unmatched": [...]}`` from the review step.
        figures: PNG bytes per chart name (``keywords``, ``priorities``, ...).
        params: The run's parameters (the method appendix lists them).
        source_name: Name of the input file, shown in the header.
    """

    ideas: pd.DataFrame
    themes: pd.DataFrame
    priorities: pd.DataFrame
    svid: pd.DataFrame
    theme_swot: pd.DataFrame
    review_log: Mapping[str, Any] = field(default_factory=dict)
    figures: Mapping[str, bytes] = field(default_factory=dict)
    params: Params = field(default_factory=Params)
    source_name: str = ""


def publishable(inputs: ReportInputs) -> tuple[ReportInputs, dict[str, int]]:
    """A copy of ``inputs`` with personal data replaced by placeholders, and the counts.

    Counts are per kind of identifier over the texts that reach the report (each idea once).
    """
    # Derived texts (folded, normalised) lose the "@" and dots that identify an e-mail: they
    # are not published at all. Counts come from the residents' own text only.
    ideas = inputs.ideas.drop(columns=list(UNPUBLISHED_COLUMNS), errors="ignore")
    ideas, counts = redact_frame(ideas, ["text"])
    ideas, _ = redact_frame(ideas, [c for c in IDEA_TEXT_COLUMNS if c != "text"])
    themes, theme_counts = redact_frame(inputs.themes, THEME_TEXT_COLUMNS)
    svid, _ = redact_frame(inputs.svid, ("theme_name", "quotes"))
    review_log = {
        key: [_redact_value(entry) for entry in inputs.review_log.get(key, [])]
        for key in ("applied", "unmatched")
    }
    total = dict(counts)
    for kind, n in theme_counts.items():
        total[kind] = total.get(kind, 0) + n
    result = dataclasses.replace(
        inputs, ideas=ideas, themes=themes, svid=svid, review_log=review_log
    )
    return result, total


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)[0]
    if isinstance(value, Mapping):
        return {key: _redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item) for item in value]
    return value


def visible_ideas(ideas: pd.DataFrame) -> pd.DataFrame:
    """Ideas that count: not hidden by a person and not a non-answer."""
    keep = ~ideas["non_answer"].astype(bool)
    if "hidden" in ideas:
        keep &= ~ideas["hidden"].fillna(False).astype(bool)
    return ideas[keep]


def theme_overview(inputs: ReportInputs, lang: str = "lv") -> pd.DataFrame:
    """One row per theme in priority order: name, keywords, counts, SWOT split and priority."""
    themes = inputs.themes.copy()
    swot = inputs.theme_swot
    if "theme" not in swot.columns:
        swot = swot.reset_index()
    swot_columns = [c for c in swot.columns if c.startswith("swot_") or c == "theme"]
    themes = themes.drop(columns=[c for c in swot_columns if c != "theme"], errors="ignore")
    themes = themes.merge(swot[swot_columns], on="theme", how="left")
    ranks = inputs.priorities[["theme", "priority_rank", "priority_score",
                               "n_territories", "n_groups"]]  # fmt: skip
    themes = themes.drop(columns=[c for c in ranks.columns if c != "theme"], errors="ignore")
    themes = themes.merge(ranks, on="theme", how="left")
    themes["name"] = [_theme_name(row, lang) for row in themes.to_dict("records")]
    order = themes["priority_rank"].fillna(len(themes) + 1)
    return themes.assign(_order=order).sort_values(["_order", "theme"]).drop(columns="_order")


def _theme_name(row: Mapping[str, Any], lang: str) -> str:
    lv = str(row.get("name_lv") or row.get("theme") or "")
    if lang == "en":
        return str(row.get("name_en") or lv)
    return lv


def render_html(
    inputs: ReportInputs,
    lang: str = "lv",
    *,
    generated: str | None = None,
    redactions: Mapping[str, int] | None = None,
) -> str:
    """The report as one self-contained HTML page (images embedded as data URIs).

    ``inputs`` should already be :func:`publishable` (``redactions`` are its counts, noted in
    the report); this function only escapes.
    """
    t = TEXT[lang]
    themes = theme_overview(inputs, lang)
    names = dict(zip(themes["theme"], themes["name"], strict=True))
    ideas = visible_ideas(inputs.ideas)
    figures = {name: _data_uri(png) for name, png in inputs.figures.items()}
    chart_list = [
        {"src": figures[name], "caption": CHART_CAPTIONS[lang][name]}
        for name in CHART_ORDER
        if name in figures
    ]
    context = {
        "lang": lang,
        "t": t,
        "source_name": inputs.source_name,
        "generated": generated or dt.date.today().isoformat(),
        "summary": _summary(inputs.ideas, themes, lang),
        "priorities": _priority_rows(themes, lang),
        "svid_rows": _svid_rows(inputs, names, lang),
        "figures": {"priorities": figures.get("priorities")},
        "chart_list": chart_list,
        "themes": _theme_sections(themes, ideas, inputs.params.report.n_quotes, lang),
        "review": _review_lines(inputs.review_log, lang),
        "redactions": redaction_note(redactions or {}, lang),
        "method": _method_rows(inputs.params, lang),
    }
    return _template().render(**context)


def _template() -> jinja2.Template:
    source = resources.files("pipeline").joinpath("resources/report.html.j2").read_text("utf-8")
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return environment.from_string(source)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _number(value: float | int, lang: str) -> str:
    """A count for people: thousands separated (a space in Latvian)."""
    text = f"{int(round(float(value))):,}"
    return text.replace(",", "\u00a0") if lang == "lv" else text


def _summary(all_ideas: pd.DataFrame, themes: pd.DataFrame, lang: str) -> dict[str, Any]:
    t = TEXT[lang]
    hidden = all_ideas.get("hidden", pd.Series(False, index=all_ideas.index)).fillna(False)
    ideas = all_ideas[~hidden.astype(bool)]
    answers = ideas[~ideas["non_answer"].astype(bool)]
    responses = all_ideas["response_id"].nunique()
    non_answers = int(ideas["non_answer"].astype(bool).sum())
    outliers = int(answers["outlier"].astype(bool).sum()) if "outlier" in answers else 0
    duplicates = int(answers["duplicate_of"].notna().sum())
    votes = _response_votes(answers)
    votes_text = t["votes_total"].format(votes=_number(votes, lang)) if votes > 0 else t["no_votes"]
    cards = [
        (responses, t["responses"]),
        (len(answers), t["ideas_card"]),
        (len(themes), t["themes_card"]),
        (non_answers, t["non_answers"]),
        (duplicates, t["duplicates"]),
        (outliers, t["outliers"]),
    ]
    languages = answers["language"].fillna("?").value_counts()
    return {
        "cards": [{"value": _number(v, lang), "label": label} for v, label in cards],
        "text": t["summary_text"].format(
            responses=_number(responses, lang),
            ideas=_number(len(answers), lang),
            non_answers=_number(non_answers, lang),
            themes=len(themes),
            outliers=_number(outliers, lang),
            votes=votes_text,
        ),
        "languages": [
            {"name": LANGUAGE_NAMES[lang].get(code, code), "n": _number(n, lang)}
            for code, n in languages.items()
        ],
    }


def _response_votes(ideas: pd.DataFrame) -> float:
    """Votes counted once per response (a response's votes are repeated on each of its ideas)."""
    if "votes" not in ideas or ideas["votes"].isna().all():
        return 0.0
    return float(ideas.drop_duplicates("response_id")["votes"].fillna(0).sum())


def _quadrant_names(lang: str) -> Mapping[str, str]:
    return QUADRANT_NAMES_LV if lang == "lv" else QUADRANT_NAMES_EN


def _priority_rows(themes: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    quadrants = _quadrant_names(lang)
    rows = []
    for row in themes.to_dict("records"):
        votes = row.get("votes")
        rows.append(
            {
                "rank": _int_or_dash(row.get("priority_rank")),
                "anchor": _anchor(row["theme"]),
                "name": row["name"],
                "score": _decimal(row.get("priority_score"), lang),
                "n_ideas": _int_or_dash(row.get("n_ideas")),
                "votes": _int_or_dash(votes),
                "n_territories": _int_or_dash(row.get("n_territories")),
                "n_groups": _int_or_dash(row.get("n_groups")),
                "dominant": quadrants.get(str(row.get("swot_dominant")), "–"),
            }
        )
    return rows


def _svid_rows(
    inputs: ReportInputs, names: Mapping[str, str], lang: str
) -> list[list[dict[str, Any]]]:
    """The SVID table as two rows of two quadrant cells (S W / O T)."""
    quadrants = _quadrant_names(lang)
    ideas = visible_ideas(inputs.ideas)
    by_person = ideas.get("swot_by_person", pd.Series(False, index=ideas.index)).fillna(False)
    changed = set(zip(ideas.loc[by_person.astype(bool), "theme"],
                      ideas.loc[by_person.astype(bool), "swot"], strict=True))  # fmt: skip
    cells = {}
    for quadrant in QUADRANTS:
        entries = []
        for row in inputs.svid[inputs.svid["quadrant"] == quadrant].to_dict("records"):
            quotes = _as_list(row.get("quotes"))
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
    themes: pd.DataFrame, ideas: pd.DataFrame, n_quotes: int, lang: str
) -> list[dict[str, Any]]:
    t = TEXT[lang]
    quadrants = _quadrant_names(lang)
    sections = []
    for row in themes.to_dict("records"):
        members = ideas[ideas["theme"] == row["theme"]]
        votes = _response_votes(members)
        votes_text = t["votes_n"].format(votes=_number(votes, lang)) if votes else t["no_votes"]
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
                "rank": _int_or_dash(row.get("priority_rank")),
                "name": row["name"],
                "renamed": bool(row.get("renamed", False)),
                "is_new": bool(row.get("is_new", False)),
                "merged_from": ", ".join(map(str, _as_list(merged))),
                "keywords": _as_list(row.get("keywords")),
                "counts": t["counts"].format(
                    n_ideas=_number(len(members), lang),
                    n_responses=_number(members["response_id"].nunique(), lang),
                    votes=votes_text,
                ),
                "territories": _top_values(members, "territory"),
                "groups": _top_values(members, "group"),
                "swot": swot,
                "proposals": _proposals(members, row.get("representatives"), n_quotes, lang),
            }
        )
    return sections


def _as_list(value: Any) -> list[Any]:
    """A list cell as a list: parquet gives numpy arrays, missing cells are None or NaN."""
    if isinstance(value, list | tuple):
        return list(value)
    if hasattr(value, "tolist") and not isinstance(value, str):
        listed = value.tolist()
        return listed if isinstance(listed, list) else []
    return []


def _top_values(ideas: pd.DataFrame, column: str, limit: int = 6) -> str:
    if column not in ideas or ideas[column].dropna().empty:
        return "–"
    counts = ideas[column].dropna().astype(str).value_counts()
    shown = [f"{name} ({n})" for name, n in counts.head(limit).items()]
    if len(counts) > limit:
        shown.append("…")
    return ", ".join(shown)


def _proposals(
    members: pd.DataFrame, representatives: Any, n_quotes: int, lang: str
) -> list[dict[str, Any]]:
    """Up to ``n_quotes`` typical proposals: the theme's representatives first, then the most
    confident members; no repeats of the same text."""
    t = TEXT[lang]
    quadrants = _quadrant_names(lang)
    order = _as_list(representatives)
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
        meta = t["meta"].format(
            territory=_blank(row.get("territory")),
            group=_blank(row.get("group")),
            swot=quadrants.get(str(row.get("swot")), "–"),
        )
        chosen.append({"idea_id": row["idea_id"], "text": str(row["text"]), "meta": meta,
                       "marks": marks})  # fmt: skip
        if len(chosen) >= n_quotes:
            break
    return chosen


def _blank(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == "":
        return "–"
    return str(value)


def _review_lines(review_log: Mapping[str, Any], lang: str) -> dict[str, list[str]]:
    t = TEXT[lang]

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


def _method_rows(params: Params, lang: str) -> list[dict[str, str]]:
    t = TEXT[lang]

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


def _int_or_dash(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return str(int(round(float(value))))


def _decimal(value: Any, lang: str) -> str:
    """A score with two decimals, with a decimal comma in Latvian."""
    if _missing(value):
        return "–"
    text = f"{float(value):.2f}"
    return text.replace(".", ",") if lang == "lv" else text


def redaction_note(counts: Mapping[str, int], lang: str) -> str:
    """One sentence saying how many identifiers were replaced ("" when none)."""
    shown = {kind: n for kind, n in counts.items() if n}
    if not shown:
        return ""
    return TEXT[lang]["redactions"].format(
        counts=", ".join(f"{kind} {n}" for kind, n in sorted(shown.items()))
    )


def defuse_formula(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, prefixed with an apostrophe (shown as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def load_figures(directory: str | Path, names: Iterable[str] | None = None) -> dict[str, bytes]:
    """PNG bytes of the charts in ``directory`` (missing ones are skipped)."""
    directory = Path(directory)
    wanted = list(names) if names is not None else [p.stem for p in directory.glob("*.png")]
    return {n: (directory / f"{n}.png").read_bytes() for n in wanted
            if (directory / f"{n}.png").exists()}  # fmt: skip


def write_report(
    inputs: ReportInputs, html_path: str | Path, excel_path: str | Path, lang: str = "lv"
) -> dict[str, int]:
    """Redact, then write the HTML report and the workbook; returns the redaction counts."""
    public, redactions = publishable(inputs)
    write_html(render_html(public, lang, redactions=redactions), html_path)
    write_excel(public, excel_path, lang)
    return redactions


def write_html(html: str, path: str | Path) -> None:
    """Write the report atomically."""
    with io.atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")


EXCEL_HEADERS = {
    "lv": {
        "priority_rank": "Vieta", "theme": "Tēmas kods", "name": "Tēma",
        "keywords": "Atslēgvārdi", "n_ideas": "Idejas", "n_responses": "Atbildes",
        "votes": "Balsis", "priority_score": "Prioritātes punkti",
        "n_territories": "Teritorijas", "n_groups": "Grupas",
        "swot_dominant": "Galvenā SVID daļa", "swot_share_S": "S daļa",
        "swot_share_W": "V daļa", "swot_share_O": "I daļa", "swot_share_T": "D daļa",
        "renamed": "Pārdēvējis cilvēks", "is_new": "Jauna tēma",
        "idea_id": "Idejas ID", "response_id": "Atbildes ID", "text": "Priekšlikums",
        "language": "Valoda", "territory": "Teritorija", "group": "Grupa", "source": "Avots",
        "date": "Datums", "theme_name": "Tēma", "theme_confidence": "Tēmas ticamība",
        "outlier": "Neiederas tēmā", "swot": "SVID daļa", "swot_confidence": "SVID ticamība",
        "swot_evidence": "SVID pazīmes", "duplicate_of": "Atkārto ideju",
        "theme_by_person": "Tēmu mainījis cilvēks", "swot_by_person": "SVID mainījis cilvēks",
        "quadrant_name": "SVID daļa", "share_of_theme": "Daļa no tēmas", "quotes": "Citāti",
        "part_ideas": "Idejas (punkti)", "part_votes": "Balsis (punkti)",
        "part_breadth": "Izplatība (punkti)", "part_urgency": "Steidzamība (punkti)",
        "part_weakness": "Vajadzības (punkti)",
    },
    "en": {
        "priority_rank": "Rank", "theme": "Theme key", "name": "Theme",
        "keywords": "Keywords", "n_ideas": "Ideas", "n_responses": "Responses",
        "votes": "Votes", "priority_score": "Priority score",
        "n_territories": "Territories", "n_groups": "Groups",
        "swot_dominant": "Main SWOT quadrant", "swot_share_S": "S share",
        "swot_share_W": "W share", "swot_share_O": "O share", "swot_share_T": "T share",
        "renamed": "Renamed by a person", "is_new": "New theme",
        "idea_id": "Idea ID", "response_id": "Response ID", "text": "Proposal",
        "language": "Language", "territory": "Territory", "group": "Group", "source": "Source",
        "date": "Date", "theme_name": "Theme", "theme_confidence": "Theme confidence",
        "outlier": "Fits no theme", "swot": "SWOT quadrant", "swot_confidence": "SWOT confidence",
        "swot_evidence": "SWOT cues", "duplicate_of": "Repeats idea",
        "theme_by_person": "Theme changed by a person",
        "swot_by_person": "SWOT changed by a person",
        "quadrant_name": "SWOT quadrant", "share_of_theme": "Share of theme", "quotes": "Quotes",
        "part_ideas": "Ideas (points)", "part_votes": "Votes (points)",
        "part_breadth": "Breadth (points)", "part_urgency": "Urgency (points)",
        "part_weakness": "Needs (points)",
    },
}  # fmt: skip

SHARE_COLUMNS = {"swot_share_S", "swot_share_W", "swot_share_O", "swot_share_T",
                 "share_of_theme", "theme_confidence", "swot_confidence"}  # fmt: skip
WIDE_TEXT_COLUMNS = {"text", "quotes", "keywords", "swot_evidence"}


def excel_sheets(inputs: ReportInputs, lang: str = "lv") -> dict[str, pd.DataFrame]:
    """The workbook's sheets as typed frames with people's column headers, in sheet order.

    Hidden ideas are left out (a person chose not to publish them); text stays raw here, so pass
    :func:`publishable` inputs.
    """
    t = TEXT[lang]
    headers = EXCEL_HEADERS[lang]
    quadrants = _quadrant_names(lang)
    themes = theme_overview(inputs, lang)
    names = dict(zip(themes["theme"], themes["name"], strict=True))
    theme_sheet = themes.assign(
        keywords=[", ".join(map(str, _as_list(k))) for k in themes["keywords"]],
        swot_dominant=themes["swot_dominant"].map(quadrants),
    )
    theme_columns = ["priority_rank", "name", "keywords", "n_ideas", "n_responses", "votes",
                     "priority_score", "n_territories", "n_groups", "swot_dominant",
                     "swot_share_S", "swot_share_W", "swot_share_O", "swot_share_T",
                     "renamed", "is_new", "theme"]  # fmt: skip

    ideas = inputs.ideas
    if "hidden" in ideas:
        ideas = ideas[~ideas["hidden"].fillna(False).astype(bool)]
    ideas = ideas[~ideas["non_answer"].astype(bool)].assign(
        theme_name=lambda f: [names.get(k, "") for k in f["theme"]],
        swot=lambda f: [quadrants.get(q, "") for q in f["swot"]],
        date=lambda f: pd.to_datetime(f["date"], errors="coerce") if "date" in f else pd.NaT,
    )
    idea_columns = ["idea_id", "response_id", "text", "language", "territory", "group",
                    "source", "date", "votes", "theme_name", "theme_confidence", "outlier",
                    "swot", "swot_confidence", "swot_evidence", "duplicate_of",
                    "theme_by_person", "swot_by_person", "theme"]  # fmt: skip

    svid = inputs.svid.assign(
        quadrant_name=inputs.svid["quadrant"].map(quadrants),
        name=[
            names.get(k, n)
            for k, n in zip(inputs.svid["theme"], inputs.svid["theme_name"], strict=True)
        ],  # fmt: skip
        quotes=["\n".join(map(str, _as_list(q))) for q in inputs.svid["quotes"]],
    )
    svid_columns = ["quadrant_name", "name", "n_ideas", "share_of_theme", "quotes", "theme"]

    priorities = inputs.priorities.assign(name=inputs.priorities["theme"].map(names))
    priority_columns = ["priority_rank", "name", "priority_score", "part_ideas", "part_votes",
                        "part_breadth", "part_urgency", "part_weakness", "n_ideas", "votes",
                        "n_territories", "n_groups", "theme"]  # fmt: skip

    def sheet(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        present = [c for c in columns if c in frame.columns]
        return frame[present].rename(columns=headers).reset_index(drop=True)

    return {
        t["sheet_priorities"]: sheet(priorities.sort_values("priority_rank"), priority_columns),
        t["sheet_svid"]: sheet(svid, svid_columns),
        t["sheet_themes"]: sheet(theme_sheet, theme_columns),
        t["sheet_ideas"]: sheet(ideas, idea_columns),
    }


def write_excel(inputs: ReportInputs, path: str | Path, lang: str = "lv") -> None:
    """Write the workbook: typed columns, sensible widths, a frozen header and filters.

    Every text cell is written as text (never as a formula) and text a spreadsheet would read as
    a formula gets a leading apostrophe, so a proposal such as ``=HYPERLINK(...)`` stays inert
    even after a round trip through CSV.
    """
    import xlsxwriter

    sheets = excel_sheets(inputs, lang)
    reverse = {v: k for k, v in EXCEL_HEADERS[lang].items()}
    with io.atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                                  "strings_to_urls": False,
                                                  "nan_inf_to_errors": False})  # fmt: skip
        header = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "text_wrap": True,
                                      "valign": "top", "border": 1})  # fmt: skip
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        top = workbook.add_format({"valign": "top"})
        percent = workbook.add_format({"num_format": "0%", "valign": "top"})
        decimal = workbook.add_format({"num_format": "0.00", "valign": "top"})
        integer = workbook.add_format({"num_format": "0", "valign": "top"})
        date = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        for name, frame in sheets.items():
            worksheet = workbook.add_worksheet(name[:31])
            for col, title in enumerate(frame.columns):
                key = reverse.get(title, title)
                worksheet.write_string(0, col, title, header)
                series = frame[title]
                fmt = _column_format(key, series, percent, decimal, integer, date, wrap, top)
                worksheet.set_column(col, col, _column_width(title, series, key), fmt)
                for row, value in enumerate(series.tolist(), start=1):
                    _write_cell(worksheet, row, col, value, fmt)
            worksheet.freeze_panes(1, 0)
            if len(frame.columns):
                worksheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
        workbook.close()


def _column_format(key: str, series: pd.Series, percent, decimal, integer, date, wrap, top):  # noqa: ANN001, ANN202
    if key in SHARE_COLUMNS:
        return percent
    if pd.api.types.is_datetime64_any_dtype(series):
        return date
    if pd.api.types.is_bool_dtype(series):
        return top
    if pd.api.types.is_integer_dtype(series) or key in {"votes", "n_ideas", "priority_rank"}:
        return integer
    if pd.api.types.is_float_dtype(series):
        return decimal
    return wrap if key in WIDE_TEXT_COLUMNS else top


def _column_width(title: str, series: pd.Series, key: str) -> float:
    if key in WIDE_TEXT_COLUMNS:
        return 70 if key in {"text", "quotes"} else 45
    lengths = [0 if _missing(v) else len(str(v)) for v in series.tolist()]
    longest = int(pd.Series(lengths, dtype=float).quantile(0.95)) if lengths else 0
    return float(min(max(longest, len(title) * 0.9, 6) + 2, 40))


def _write_cell(worksheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if _missing(value):
        worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        worksheet.write_number(row, col, value, fmt)
    elif isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        worksheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), fmt)
    else:
        worksheet.write_string(row, col, str(defuse_formula(str(value))), fmt)


def _missing(value: Any) -> bool:
    """None, NaN, NA or NaT (a scalar cell with no value)."""
    return not isinstance(value, list | tuple | dict) and bool(pd.isna(value))
