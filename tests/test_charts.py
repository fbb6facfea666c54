from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from PIL import Image

from pipeline.errors import BalsisError
from pipeline.io.artefacts import write_npy, write_parquet
from pipeline.params import Params
from pipeline.publish.charts.build import build_figures, project_2d, save_figures
from pipeline.publish.charts.heatmaps import heatmap
from pipeline.publish.charts.idea_map import document_map
from pipeline.publish.charts.keywords import keyword_chart, keyword_counts
from pipeline.publish.charts.names import FIGURE_NAMES
from pipeline.publish.charts.priorities import priority_chart
from pipeline.publish.charts.style import PRIORITY_PARTS, check_font
from pipeline.publish.charts.svid_matrix import swot_matrix
from pipeline.publish.charts.votes import votes_chart
from pipeline.stages import charts as charts_stage
from pipeline.steps import charts as charts_step
from pipeline.swot.quadrants import QUADRANT_NAMES_LV

NAMES = {
    "celi": "Ceļi un ielas",
    "skolas": "Izglītība un skolas",
    "veseliba": "Veselības aprūpe",
    "kultura": "Kultūra un brīvais laiks",
}

# (text as written, content lemmas, theme)
PROPOSALS = [
    ("Jāsalabo ceļš uz Dzērvēm, bedre pie bedres", ["salabot", "ceļš", "bedre"], "celi"),
    ("Ceļš pavasarī nav izbraucams", ["ceļš", "izbraucams"], "celi"),
    ("Ielas apgaismojums Skolas ielā nedeg", ["iela", "apgaismojums", "degt"], "celi"),
    ("Vajag ielas apgaismojumu līdz stacijai", ["iela", "apgaismojums", "stacija"], "celi"),
    ("Bedres ceļā uz kapiem", ["bedre", "ceļš", "kapi"], "celi"),
    ("Grants ceļš putekļains, jāapstrādā", ["grants", "ceļš", "putekļains"], "celi"),
    ("Ietve gar šoseju bīstama bērniem", ["ietve", "šoseja", "bīstams", "bērns"], "celi"),
    ("Ziemā ceļš netiek tīrīts", ["ziema", "ceļš", "tīrīt"], "celi"),
    ("Tilts pār upi jāremontē", ["tilts", "upe", "remontēt"], "celi"),
    ("Ceļa malās krūmi", ["ceļš", "mala", "krūms"], "celi"),
    ("Дорога разбита, ямы", ["дорога", "разбитый", "яма"], "celi"),
    ("Ātruma vaļņi pie skolas", ["ātrums", "valnis", "skola"], "celi"),
    ("Skolā vajag jaunus datorus", ["skola", "jauns", "dators"], "skolas"),
    ("Skolotāju trūkst lauku skolā", ["skolotājs", "trūkt", "lauks", "skola"], "skolas"),
    ("Pieaugušo kursi vakaros", ["pieaugušais", "kurss", "vakars"], "skolas"),
    ("Pieaugušo kursi angļu valodā", ["pieaugušais", "kurss", "valoda"], "skolas"),
    ("Skolas sporta zāle jāatjauno", ["skola", "sports", "zāle", "atjaunot"], "skolas"),
    ("Skolēnu autobuss kursē par agru", ["skolēns", "autobuss", "kursēt"], "skolas"),
    ("Interešu pulciņi skolā bez maksas", ["interese", "pulciņš", "skola", "maksa"], "skolas"),
    ("Skolotājiem jāmaksā vairāk", ["skolotājs", "maksāt"], "skolas"),
    (
        "Ģimenes ārsts pieņem tikai reizi nedēļā",
        ["ģimene", "ārsts", "pieņemt", "nedēļa"],
        "veseliba",
    ),
    ("Aptieka ciemā slēgta", ["aptieka", "ciems", "slēgt"], "veseliba"),
    ("Pie ārsta jābrauc uz pilsētu", ["ārsts", "braukt", "pilsēta"], "veseliba"),
    ("Vajag feldšerpunktu", ["feldšerpunkts"], "veseliba"),
    ("Площадка у аптеки грязная", ["площадка", "аптека", "грязный"], "veseliba"),
    ("Bibliotēkā maz jaunu grāmatu", ["bibliotēka", "jauns", "grāmata"], "kultura"),
    ("Koncerti kultūras namā vasarā", ["koncerts", "kultūra", "nams", "vasara"], "kultura"),
    ("Bibliotēka strādā tikai līdz pieciem", ["bibliotēka", "strādāt"], "kultura"),
]
HIDDEN = ("Bedre pie mājas, zvaniet 29123456", ["bedre", "māja", "zvanīt"], "celi")
OUTLIER = ("Lai viss paliek kā ir", ["palikt"], "")
NON_ANSWER = ("nav", [], "")


def _ideas() -> pd.DataFrame:
    rows = []
    for position, (text, lemmas, theme) in enumerate([*PROPOSALS, HIDDEN, OUTLIER, NON_ANSWER]):
        rows.append(
            {
                "idea_id": f"{100 + position}-1",
                "text_normalised": text,
                "content_lemmas": lemmas,
                "lemmas": lemmas,
                "theme": theme,
                "theme_name": NAMES.get(theme, ""),
                "territory": "Ezerkalne" if position % 3 else "Rudzupes pagasts",
                "group": "seniors" if position % 2 else "jaunietis",
                "votes": float(position % 4),
                "outlier": theme == "" and text != "nav",
                "non_answer": text == "nav",
                "hidden": text == HIDDEN[0],
                "theme_by_person": False,
            }
        )
    return pd.DataFrame(rows)


def _themes() -> pd.DataFrame:
    ideas = _ideas()
    visible = ideas[~ideas["hidden"] & ~ideas["non_answer"]]
    return pd.DataFrame(
        {
            "theme": list(NAMES),
            "name_lv": list(NAMES.values()),
            "name_en": ["Roads and streets", "Education", "Health care", "Culture and leisure"],
            "keywords": [
                ["ceļš", "bedre", "ielas apgaismojums", "tilts", "дорога", "kalns"],
                ["skola", "skolotājs", "pieaugušo kurss"],
                ["ārsts", "aptieka", "площадка"],
                ["bibliotēka", "koncerts"],
            ],
            "n_ideas": [int((visible["theme"] == t).sum()) for t in NAMES],
            "votes": [30.0, 12.0, 9.0, 2.0],
            "renamed": False,
            "is_new": False,
        }
    )


def _theme_swot() -> pd.DataFrame:
    counts = {  # ideas per quadrant S, W, O, T
        "celi": (1, 8, 3, 0),
        "skolas": (1, 2, 4, 1),
        "veseliba": (0, 1, 0, 4),
        "kultura": (2, 0, 1, 0),
    }
    rows = []
    for theme, values in counts.items():
        total = sum(values)
        row: dict[str, object] = {"theme": theme, "swot_n": total}
        row.update(
            {f"swot_share_{q}": round(v / total, 4) for q, v in zip("SWOT", values, strict=True)}
        )
        row["swot_dominant"] = "SWOT"[int(np.argmax(values))]
        row["swot_dominant_share"] = round(max(values) / total, 4)
        rows.append(row)
    return pd.DataFrame(rows)


def _priorities() -> pd.DataFrame:
    parts = {
        "skolas": (0.2, 0.3, 0.2, 0.05, 0.1),
        "celi": (0.3, 0.2, 0.1, 0.0, 0.1),
        "kultura": (0.05, 0.02, 0.2, 0.0, 0.03),
        "veseliba": (0.1, 0.05, 0.1, 0.0, 0.0),
    }
    rows = []
    for rank, (theme, values) in enumerate(parts.items(), start=1):
        row = {"theme": theme, "priority_rank": rank, "priority_score": sum(values)}
        row.update(dict(zip(PRIORITY_PARTS, values, strict=True)))
        rows.append(row)
    return pd.DataFrame(rows)


def _texts(figure: Figure) -> list[str]:
    return [text.get_text() for text in figure.findobj(matplotlib.text.Text) if text.get_text()]


def _draw_without_glyph_warnings(figure: Figure) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.canvas.draw()
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert glyphs == []


def _y_labels(ax: matplotlib.axes.Axes) -> list[str]:
    """Tick labels from the top of the chart down."""

    def height(label: matplotlib.text.Text) -> float:
        return float(ax.transData.transform((0, label.get_position()[1]))[1])

    return [label.get_text() for label in sorted(ax.get_yticklabels(), key=lambda t: -height(t))]


def test_chart_font_has_every_latvian_and_cyrillic_letter() -> None:
    assert check_font() == []
    # A font without Latvian letters is caught: Computer Modern has no ā.
    computer_modern = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "cmr10.ttf"
    missing = check_font(computer_modern)
    assert "ā" in missing and "ž" in missing and "ж" in missing


def test_keyword_counts_count_visible_ideas_and_written_bigrams() -> None:
    counts = keyword_counts(_ideas(), _themes())
    roads = dict(counts.loc[counts["theme"] == "celi", ["keyword", "n_ideas"]].values)
    # The hidden idea says "bedre" too and is not counted.
    assert roads == {
        "ceļš": 6,
        "bedre": 2,
        "ielas apgaismojums": 2,
        "tilts": 1,
        "дорога": 1,
        "kalns": 0,
    }
    schools = dict(counts.loc[counts["theme"] == "skolas", ["keyword", "n_ideas"]].values)
    assert schools["pieaugušo kurss"] == 2
    assert len(keyword_counts(_ideas(), _themes(), n_keywords=2)) == 2 * 4


def test_keyword_chart_panels_by_size_with_counted_bars() -> None:
    figure = keyword_chart(_ideas(), _themes(), n_keywords=6)
    titles = [panel.get_suptitle().replace("\n", " ") for panel in figure.subfigs]
    assert titles[:4] == [
        "Ceļi un ielas (12\u00a0idejas)",
        "Izglītība un skolas (8\u00a0idejas)",
        "Veselības aprūpe (5\u00a0idejas)",
        "Kultūra un brīvais laiks (3\u00a0idejas)",
    ]
    roads = figure.axes[0]
    # "kalns" is in no idea, so it gets no bar; the rest are ordered by count.
    assert _y_labels(roads) == ["ceļš", "bedre", "ielas apgaismojums", "tilts", "дорога"]
    assert [bar.get_width() for bar in roads.patches] == [6, 2, 2, 1, 1]
    _draw_without_glyph_warnings(figure)


def test_priority_chart_bars_follow_rank_with_plain_latvian_legend() -> None:
    figure = priority_chart(_priorities(), _themes())
    ax = figure.axes[0]
    assert _y_labels(ax) == [NAMES[t] for t in ("skolas", "celi", "kultura", "veseliba")]
    assert len(ax.patches) == 5 * 4
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["idejas", "balsis", "izplatība", "steidzamība", "vajadzības"]
    assert "0,85" in _texts(figure)  # the top theme's score, with a decimal comma
    _draw_without_glyph_warnings(figure)


def test_priority_chart_in_english_and_redacted() -> None:
    themes = _themes()
    themes.loc[themes["theme"] == "kultura", "name_en"] = "Culture, write to anna@example.lv"
    figure = priority_chart(_priorities(), themes, lang="en")
    ax = figure.axes[0]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["ideas", "votes", "breadth", "urgency", "needs"]
    assert "Culture, write to [e-pasts]" in _y_labels(ax)
    assert not any("anna@example.lv" in text for text in _texts(figure))


def test_swot_matrix_puts_each_theme_in_its_dominant_quadrant() -> None:
    themes = _themes().merge(_theme_swot(), on="theme")
    figure = swot_matrix(themes)
    texts = {text.get_text(): text for text in figure.axes[0].texts}
    heading = {q: texts[name].get_position() for q, name in QUADRANT_NAMES_LV.items()}

    def quadrant_of(label: str) -> str:
        x, y = texts[label].get_position()
        column = "SO" if abs(x - heading["S"][0]) < abs(x - heading["W"][0]) else "WT"
        return column[0] if y > heading["O"][1] else column[1]

    assert quadrant_of("Ceļi un ielas (8\u00a0no\u00a012)") == "W"
    assert quadrant_of("Izglītība un skolas (4\u00a0no\u00a08)") == "O"
    assert quadrant_of("Veselības aprūpe (4\u00a0no\u00a05)") == "T"
    assert quadrant_of("Kultūra un brīvais laiks (2\u00a0no\u00a03)") == "S"
    # A quarter of the roads ideas are opportunities: shown there too, in grey; the one
    # strength (8 %) is too few to show.
    second = texts["Ceļi un ielas (3\u00a0no\u00a012)"]
    assert quadrant_of(second.get_text()) == "O"
    assert second.get_color() != texts["Ceļi un ielas (8\u00a0no\u00a012)"].get_color()
    assert quadrant_of("Veselības aprūpe (1\u00a0no\u00a05)") == "W"  # exactly 20 %
    assert [label for label in texts if label.startswith("Ceļi")] == [
        "Ceļi un ielas (8\u00a0no\u00a012)",
        "Ceļi un ielas (3\u00a0no\u00a012)",
    ]
    _draw_without_glyph_warnings(figure)

    english = swot_matrix(themes, lang="en")
    assert {"Strengths", "Weaknesses", "Opportunities", "Threats"} <= set(_texts(english))


def test_heatmap_cells_are_counts_of_visible_ideas_per_territory() -> None:
    ideas = _ideas()
    figure = heatmap(ideas, by="territory", themes=_themes())
    ax = figure.axes[0]
    rows = _y_labels(ax)
    assert rows == [*(NAMES[t] for t in ("celi", "skolas", "veseliba", "kultura")), "(bez tēmas)"]
    # Column labels: the name (wrapped) and, in brackets, the column's visible ideas.
    labels = [label.get_text().rsplit("\n", 1) for label in ax.get_xticklabels()]
    columns = [name.replace("\n", " ") for name, _ in labels]
    assert columns == ["Ezerkalne", "Rudzupes pagasts"]
    assert [total for _, total in labels] == ["(19)", "(10)"]
    grid = np.zeros((len(rows), len(columns)), dtype=int)
    for text in ax.texts:
        x, y = text.get_position()
        grid[int(round(y)), int(round(x))] = int(text.get_text())
    visible = ideas[~ideas["hidden"] & ~ideas["non_answer"]]
    expected = pd.crosstab(visible["theme"].replace("", "~"), visible["territory"])
    expected = expected.loc[["celi", "skolas", "veseliba", "kultura", "~"], columns]
    np.testing.assert_array_equal(grid, expected.to_numpy())
    assert "Tēmas pa teritorijām" in _texts(figure)
    _draw_without_glyph_warnings(figure)


def test_heatmap_by_group_in_english_uses_theme_names_from_ideas_when_no_themes() -> None:
    figure = heatmap(_ideas(), by="group", lang="en")
    assert "Themes by group of residents" in _texts(figure)
    assert _y_labels(figure.axes[0])[0] == "Ceļi un ielas"
    with pytest.raises(BalsisError, match="territory' or 'group"):
        heatmap(_ideas(), by="source")


def test_heatmap_labels_pass_the_publication_boundary(tmp_path: Path) -> None:
    """Territories are labels: personal data out, a "$" is a dollar sign and never TeX."""
    ideas = _ideas()
    ideas["territory"] = ideas["territory"].replace(
        {"Ezerkalne": "Zvaniet 29123456", "Rudzupes pagasts": "A $\\frac$ B\x00"}
    )
    figure = heatmap(ideas, by="territory", themes=_themes())
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert [label.rsplit("\n", 1)[0].replace("\n", " ") for label in labels] == [
        "Zvaniet [tālrunis]",
        "A $\\frac$ B",
    ]
    save_figures({"heatmap_territory": figure}, tmp_path)  # drawing a "$...$" label raised
    assert (tmp_path / "heatmap_territory.svg").stat().st_size > 0


def test_document_map_leaves_out_hidden_ideas_and_non_answers() -> None:
    ideas = _ideas()
    coords = np.random.default_rng(0).normal(size=(len(ideas), 2))
    figure = document_map(coords, ideas, _themes())
    ax = figure.axes[0]
    sizes = [len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)]
    assert sizes[0] == 1  # the grey outlier
    assert sorted(sizes[1:], reverse=True) == [12, 8, 5, 3]
    labels = {text.get_text().replace("\n", " ") for text in ax.texts}
    assert labels == set(NAMES.values())
    _draw_without_glyph_warnings(figure)
    with pytest.raises(BalsisError, match="one pair of coordinates per idea"):
        document_map(coords[:-1], ideas, _themes())


def test_document_map_of_many_ideas_draws_its_dots_as_an_image(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.publish.charts import idea_map

    ideas = _ideas()
    coords = np.random.default_rng(1).normal(size=(len(ideas), 2))

    def rasterized(figure: Figure) -> list[bool]:
        ax = figure.axes[0]
        return [c.get_rasterized() for c in ax.collections if isinstance(c, PathCollection)]

    assert not any(rasterized(document_map(coords, ideas, _themes())))
    monkeypatch.setattr(idea_map, "RASTER_ABOVE", 10)
    figure = document_map(coords, ideas, _themes())
    assert all(rasterized(figure))
    assert not any(text.get_rasterized() for text in figure.axes[0].texts)  # names stay text


def test_votes_chart_labels_themes_or_says_there_are_no_votes() -> None:
    figure = votes_chart(_themes())
    assert set(NAMES.values()) <= set(_texts(figure))
    assert figure.axes[0].get_xlabel() == "Ideju skaits"
    no_votes = votes_chart(_themes().assign(votes=np.nan))
    assert "Šajos datos nav balsojuma rezultātu" in _texts(no_votes)
    assert "This data has no votes" in _texts(votes_chart(_themes().assign(votes=0.0), "en"))


def test_every_chart_of_no_themes_says_no_data() -> None:
    ideas = _ideas().assign(theme="", non_answer=True)
    themes = _themes().iloc[0:0]
    figures = build_figures(
        ideas, themes, _priorities().iloc[0:0], _theme_swot().iloc[0:0], None, Params().report
    )
    assert list(figures) == list(FIGURE_NAMES)
    for name, figure in figures.items():
        assert "Nav datu" in _texts(figure), name


def test_missing_column_is_named_in_the_error() -> None:
    with pytest.raises(BalsisError, match="content_lemmas"):
        keyword_chart(_ideas().drop(columns="content_lemmas"), _themes())
    with pytest.raises(BalsisError, match="swot_dominant"):
        swot_matrix(_themes())
    with pytest.raises(BalsisError, match="part_votes"):
        priority_chart(_priorities().drop(columns="part_votes"), _themes())


def test_save_figures_writes_png_and_svg_without_leftovers(tmp_path: Path) -> None:
    figures = {"priorities": priority_chart(_priorities(), _themes())}
    width, height = figures["priorities"].get_size_inches()
    written = save_figures(figures, tmp_path / "figures")
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == [
        "priorities.png",
        "priorities.svg",
    ]
    assert sorted(written) == sorted((tmp_path / "figures").iterdir())
    with Image.open(tmp_path / "figures" / "priorities.png") as image:
        assert image.size == (round(width * 150), round(height * 150))
    assert "<svg" in (tmp_path / "figures" / "priorities.svg").read_text(encoding="utf-8")


def test_charts_stage_writes_every_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ideas = _ideas()
    paths = {
        "ideas": tmp_path / "reviewed_ideas.parquet",
        "themes": tmp_path / "reviewed_themes.parquet",
        "priorities": tmp_path / "priorities.parquet",
        "theme-swot": tmp_path / "theme_swot.parquet",
    }
    write_parquet(ideas, paths["ideas"])
    write_parquet(_themes(), paths["themes"])
    write_parquet(_priorities(), paths["priorities"])
    write_parquet(_theme_swot(), paths["theme-swot"])
    write_npy(np.random.default_rng(1).normal(size=(len(ideas), 10)), tmp_path / "reduced.npy")
    (tmp_path / "params.yaml").write_text("seed: 7\nreport:\n  lang: lv\n", encoding="utf-8")
    seeds = []

    def quick_projection(reduced: np.ndarray, random_state: int) -> np.ndarray:
        seeds.append(random_state)
        return np.asarray(reduced)[:, :2]

    monkeypatch.setattr(charts_step, "project_2d", quick_projection)
    argv = [f"--{name}={path}" for name, path in paths.items()]
    argv += ["--reduced", str(tmp_path / "reduced.npy"), "--out-dir", str(tmp_path / "figures")]
    argv += ["--params", str(tmp_path / "params.yaml")]
    assert charts_stage.main(argv) == 0
    assert seeds == [7]
    written = {p.name for p in (tmp_path / "figures").iterdir()}
    assert written == {f"{n}.{ext}" for n in FIGURE_NAMES for ext in ("png", "svg")}


def test_charts_stage_rejects_coordinates_of_another_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_parquet(_ideas(), tmp_path / "ideas.parquet")
    write_npy(np.zeros((3, 10)), tmp_path / "reduced.npy")
    argv = ["--ideas", str(tmp_path / "ideas.parquet"), "--themes", "t", "--priorities", "p"]
    argv += ["--theme-swot", "s", "--reduced", str(tmp_path / "reduced.npy")]
    argv += ["--out-dir", str(tmp_path / "figures"), "--params", str(tmp_path / "params.yaml")]
    (tmp_path / "params.yaml").write_text("seed: 7\n", encoding="utf-8")
    assert charts_stage.main(argv) == 2
    assert "3 rows" in capsys.readouterr().err
    assert not (tmp_path / "figures").exists()


def test_project_2d_small_input_uses_pca_and_keeps_nan_rows() -> None:
    reduced = np.random.default_rng(2).normal(size=(8, 10))
    reduced[3] = np.nan
    coords = project_2d(reduced, random_state=5)
    assert coords.shape == (8, 2) and coords.dtype == np.float32
    assert np.isnan(coords[3]).all() and np.isfinite(np.delete(coords, 3, axis=0)).all()
    np.testing.assert_array_equal(coords, project_2d(reduced, random_state=5))


@pytest.mark.slow
def test_project_2d_umap_is_deterministic_for_a_seed() -> None:
    reduced = np.random.default_rng(3).normal(size=(40, 10)).astype(np.float32)
    first = project_2d(reduced, random_state=11)
    assert first.shape == (40, 2) and np.isfinite(first).all()
    np.testing.assert_array_equal(first, project_2d(reduced, random_state=11))


def test_project_2d_gives_duplicates_one_place() -> None:
    reduced = np.random.default_rng(4).normal(size=(30, 6)).astype(np.float32)
    reduced[20:] = reduced[:10]  # ten duplicates
    coords = project_2d(reduced, random_state=2)
    np.testing.assert_array_equal(coords[20:], coords[:10])


@pytest.mark.slow
def test_project_2d_of_many_rows_places_the_rest_beside_their_sampled_neighbours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.publish.charts import build

    monkeypatch.setattr(build, "MAP_FIT_SAMPLE", 60)
    rng = np.random.default_rng(5)
    centres = rng.normal(scale=10, size=(3, 6))
    groups = np.repeat(np.arange(3), 100)
    reduced = (centres[groups] + rng.normal(size=(300, 6))).astype(np.float32)
    coords = project_2d(reduced, random_state=3)
    assert coords.shape == (300, 2) and np.isfinite(coords).all()
    # each group stays together on the map: nearer its own centre than the others'
    means = np.array([coords[groups == k].mean(axis=0) for k in range(3)])
    nearest = np.argmin(np.linalg.norm(coords[:, None] - means[None], axis=2), axis=1)
    assert (nearest == groups).mean() >= 0.95


def test_project_2d_without_coordinates_gives_an_empty_map_not_an_error() -> None:
    # a corpus too small to cluster has reduced coordinates with no columns
    coords = project_2d(np.zeros((3, 0), dtype=np.float32), random_state=1)
    assert coords.shape == (3, 2) and np.isnan(coords).all()


@pytest.mark.parametrize("drop", [True, False], ids=["no-columns", "empty-columns"])
def test_charts_of_territory_group_and_votes_only_when_the_data_has_them(drop: bool) -> None:
    full = build_figures(_ideas(), _themes(), _priorities(), _theme_swot(), None, Params().report)
    assert {"heatmap_territory", "heatmap_group", "votes"} <= set(full)
    ideas = _ideas()
    if drop:
        ideas = ideas.drop(columns=["territory", "group", "votes"])
    else:
        ideas = ideas.assign(territory=None, group=" ", votes=0.0)
    no_votes = _priorities().assign(part_votes=0.0)
    figures = build_figures(ideas, _themes(), no_votes, _theme_swot(), None, Params().report)
    left_out = {"heatmap_territory", "heatmap_group", "votes"}
    assert list(figures) == [name for name in FIGURE_NAMES if name not in left_out]
    legend = [text.get_text() for text in figures["priorities"].axes[0].get_legend().get_texts()]
    assert "balsis" not in legend and "idejas" in legend
    assert "balsis" in [
        text.get_text() for text in full["priorities"].axes[0].get_legend().get_texts()
    ]
