"""Themes: keywords, representative ideas and taxonomy names for clusters of ideas.

The step takes the ideas table (see :mod:`pipeline.normalise`), its sentence embeddings and a
cluster label per idea (-1 = outlier) and gives:

* keywords per cluster: class-based TF-IDF over ``content_lemmas`` (so "ceļš", never "ceļu"
  and "ceļiem" apart), plus bigrams of lemmas that stand next to each other in the text
  ("sporta laukums"), diversified with maximal marginal relevance (MMR) on keyword embeddings;
* representative ideas: the most central distinct ideas of a cluster;
* a name from the theme taxonomy (``data/reference/themes.yaml``) or, when nothing in it fits,
  a keyword name marked new; clusters named with the same theme become its sub-themes;
* a theme per idea: its cluster's name unless the idea's own evidence clearly says otherwise.

Decisions:
    * Duplicates: a text counts once per cluster. An idea whose original (or an earlier copy)
      is in the same cluster weighs 0 for keywords, centroids and seed-word overlap, and is
      never a representative; it still counts in ``n_ideas`` and votes.
    * Non-answers are left out of every cluster, whatever label the caller gave them.
    * Mixed languages: keywords come from all languages, but a planner reads Latvian, so the
      keywords of a cluster are listed Latvian first: a keyword is Latvian when at least half
      of the cluster's texts that contain it are Latvian or Latgalian; the others follow, each
      group in MMR order.
    * Naming is relative, since E5 cosines are compressed into 0.80-0.95: an idea's
      similarities to the themes are standardised across the themes (z-scores), turned into
      shares with a softmax and mixed with whether it uses one of a theme's seed words. Ideas
      are compared in a language-centred space (:func:`language_centred`), so a Russian idea
      meets the themes as a Latvian one does.
    * A cluster is named by the vote of its members (the mean of their scores); the best
      share, in 0..1, is its confidence, and below ``min_confidence`` it keeps a keyword name
      and is new. Clusters group ideas by phrasing and place as well as by theme, so an idea
      is then named on its own too: its cluster's vote and its own score are mixed
      (``ThemeNamer.cluster_weight``), and it takes the best theme of the mix. A theme can so
      hold ideas from other clusters, or only such ideas (a taxonomy theme no cluster was
      named with); an outlier whose own score reaches ``min_confidence`` is named as well.

Models: every function that embeds takes ``model``, which is a sentence-transformers model (it
is asked for the ``query`` prompt when it has one), any object with ``encode(texts)``, or a
plain callable ``texts -> array``. Rows are L2-normalised here, so a test can pass a tiny fake.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from threadpoolctl import threadpool_limits

from pipeline.errors import InputError
from pipeline.lang import lv as latvian
from pipeline.params import ThemesParams
from pipeline.topics.spread import nearest_within, spread_radii

logger = logging.getLogger(__name__)

Encoder = Callable[[Sequence[str]], np.ndarray]

REQUIRED_THEME_FIELDS = ("id", "name_lv", "name_en", "description", "seeds")
NEW_THEME_PREFIX = "new-"
# How sharply the standardised theme similarities are turned into shares. At 2.0 a theme that
# stands 1.5 standard deviations above the next one gets most of the share, and a flat profile
# (a cluster no theme describes) spreads it out (measured on the bundled sample).
_SHARPNESS = 2.0
_LATVIAN = frozenset({"lv", "ltg", "und"})
# Lemmas that say nothing about a theme but are in no stop list (latvian.stop_words): size and
# praise, people and time in general, administrative units, light verbs, and lemmatiser
# artefacts of function words ("tur" -> "turēt", Latgalian "pogostā" -> "poga").
GENERIC_LEMMAS = frozenset(
    "labs slikts liels mazs jauns vecs viens otrs cits daudzi cilvēks iedzīvotājs gads reize "
    "diena laiks vieta lieta pagasts novads pilsēta ciems ciemats notikt darīt iet nākt dot "
    "likt palikt teikt turēt pats km poga myusu navar "
    "ни раз год человек весь делать хотеть "
    "like get really honestly people year".split()
)


@functools.cache
def _given_names() -> frozenset[str]:
    """Latvian given names (lemmas): people who sign or leave contact details, never themes."""
    return frozenset(latvian.resource_lines("lv_given_names.txt"))


# Words of territory names that are not place names themselves.
_ADMINISTRATIVE = frozenset("pagasts novads pilsēta ciems ciemats apkaime valstspilsēta".split())
_LATVIAN_LOCATIVE = ("ā", "ē", "ī", "ū", "ās", "ēs", "īs")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_THEME_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


# ---------------------------------------------------------------------------------------------
# Models


def as_encoder(model: Any, prompt_name: str | None = "query") -> Encoder:
    """Wrap a sentence model or a function as ``texts -> unit-length float32 rows``.

    Args:
        model: A sentence-transformers model (given ``prompt_name`` when it defines that
            prompt), any object with ``encode(texts)``, or a callable ``texts -> array``.
        prompt_name: Prompt of a sentence-transformers model; E5 clusters best with "query".

    Returns:
        A function that embeds a list of texts into L2-normalised rows.

    Raises:
        TypeError: ``model`` can neither encode nor be called.
    """
    if isinstance(model, _CachedEncoder):
        return model
    if hasattr(model, "encode"):
        prompts = getattr(model, "prompts", None)
        kwargs: dict[str, Any] = {}
        if isinstance(prompts, Mapping) and prompt_name in prompts:
            kwargs = {"prompt_name": prompt_name, "show_progress_bar": False}

        def raw(texts: Sequence[str]) -> np.ndarray:
            return np.asarray(model.encode(list(texts), **kwargs))

    elif callable(model):

        def raw(texts: Sequence[str]) -> np.ndarray:
            return np.asarray(model(list(texts)))

    else:
        raise TypeError(
            f"model must be a sentence model, have encode(texts), or be callable; "
            f"got {type(model).__name__}"
        )
    return _CachedEncoder(raw)


class _CachedEncoder:
    """Embeds each distinct text once per run (keywords recur across clusters and themes)."""

    def __init__(self, raw: Callable[[Sequence[str]], np.ndarray]) -> None:
        self.raw = raw
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            # scikit-learn and torch each bring their own libgomp; with both loaded their
            # spinning threads fight over the cores and torch runs ~10x slower (measured on
            # 2 cores). One OpenMP thread avoids that and costs little for short texts.
            with threadpool_limits(limits=1, user_api="openmp"):
                rows = np.asarray(self.raw(missing), dtype=np.float32)
            if rows.ndim != 2 or len(rows) != len(missing):
                raise ValueError(
                    f"model returned an array of shape {rows.shape} for {len(missing)} texts"
                )
            self.cache.update(zip(missing, _unit_rows(rows), strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Taxonomy


@dataclass(frozen=True)
class Theme:
    """One theme of the taxonomy.

    Attributes:
        id: Stable identifier (lower case, digits, "_" or "-"), e.g. "roads".
        name_lv: Latvian name shown in reports.
        name_en: English name.
        description: One line in Latvian, embedded to match clusters.
        seeds: Words residents use about the theme (Latvian, Russian; phrases allowed).
    """

    id: str
    name_lv: str
    name_en: str
    description: str
    seeds: tuple[str, ...]


def load_taxonomy(path: str | Path) -> list[Theme]:
    """Read and validate a theme taxonomy YAML file.

    The file holds ``themes:``, a list of entries with ``id``, ``name_lv``, ``name_en``,
    ``description`` and ``seeds`` (a list of words or phrases).

    Args:
        path: The YAML file.

    Returns:
        The themes in file order.

    Raises:
        InputError: The file is missing or not YAML, or an entry lacks a field, has an empty
            or mistyped one, or repeats an id; the message names the file and the entry.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "theme taxonomy file not found")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(path, f"not valid YAML: {exc}") from exc
    entries = document.get("themes") if isinstance(document, dict) else document
    if not isinstance(entries, list) or not entries:
        raise InputError(
            path, "no themes found", hint="expected a 'themes:' list of entries with id, ..."
        )
    return taxonomy_from_records(entries, source=path)


def taxonomy_from_records(records: Sequence[Any], source: str | Path = "<taxonomy>") -> list[Theme]:
    """Validate theme records (parsed YAML entries) and build :class:`Theme` objects.

    Args:
        records: Mappings with the fields of :class:`Theme`.
        source: Where the records come from, for error messages.

    Returns:
        The themes in order.

    Raises:
        InputError: A record is invalid or an id repeats.
    """
    hint = f"every theme needs {', '.join(REQUIRED_THEME_FIELDS)}"
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        where = f"theme entry {number}"
        if not isinstance(record, Mapping):
            raise InputError(source, f"{where} is not a mapping of fields", hint=hint)
        if isinstance(record.get("id"), str) and record["id"].strip():
            where += f" (id '{record['id']}')"
        missing = [name for name in REQUIRED_THEME_FIELDS if name not in record]
        if missing:
            raise InputError(source, f"{where}: missing field(s) {', '.join(missing)}", hint=hint)
        for name in REQUIRED_THEME_FIELDS[:-1]:
            value = record[name]
            if not isinstance(value, str) or not value.strip():
                raise InputError(source, f"{where}: field '{name}' must be non-empty text")
        theme_id = record["id"].strip()
        if not _THEME_ID.match(theme_id) or theme_id.startswith(NEW_THEME_PREFIX):
            raise InputError(
                source,
                f"{where}: id '{theme_id}' is not allowed",
                hint=f"use lower-case letters, digits, '_' or '-', not starting with "
                f"'{NEW_THEME_PREFIX}' (reserved for new themes)",
            )
        seeds = record["seeds"]
        if isinstance(seeds, str) or not isinstance(seeds, Sequence) or not seeds:
            raise InputError(source, f"{where}: field 'seeds' must be a non-empty list")
        if not all(isinstance(seed, str) and seed.strip() for seed in seeds):
            raise InputError(source, f"{where}: every seed must be non-empty text")
        if theme_id in seen:
            raise InputError(
                source, f"{where}: duplicate id '{theme_id}' (first used by entry {seen[theme_id]})"
            )
        seen[theme_id] = number
        themes.append(
            Theme(
                id=theme_id,
                name_lv=record["name_lv"].strip(),
                name_en=record["name_en"].strip(),
                description=record["description"].strip(),
                seeds=tuple(seed.strip() for seed in seeds),
            )
        )
    return themes


# ---------------------------------------------------------------------------------------------
# Shared helpers


def _require_columns(ideas: pd.DataFrame, columns: Iterable[str]) -> None:
    missing = [column for column in columns if column not in ideas.columns]
    if missing:
        raise ValueError(f"ideas table lacks column(s) {', '.join(missing)}")


def _labels_array(labels: Sequence[int] | np.ndarray, n: int) -> np.ndarray:
    array = np.asarray(labels)
    if array.shape != (n,):
        raise ValueError(f"expected {n} cluster labels, got an array of shape {array.shape}")
    return array.astype(np.int64)


def _non_answer(ideas: pd.DataFrame) -> np.ndarray:
    if "non_answer" not in ideas.columns:
        return np.zeros(len(ideas), dtype=bool)
    return ideas["non_answer"].fillna(False).to_numpy(dtype=bool)


def _text_weights(ideas: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    """1.0 for the first copy of each text within its cluster, 0.0 for further copies."""
    if "duplicate_of" in ideas.columns:
        group = ideas["duplicate_of"].astype("string").fillna(ideas["idea_id"].astype("string"))
    else:
        group = ideas["idea_id"].astype("string")
    keys = pd.DataFrame({"label": labels, "group": group.to_numpy()})
    return (~keys.duplicated()).to_numpy(dtype=np.float64)


def _lemma_language(language: object) -> str:
    code = str(language) if isinstance(language, str) else "lv"
    return "lv" if code in ("ltg", "und", "") else code


def _centroids(
    embeddings: np.ndarray, labels: np.ndarray, weights: np.ndarray, clusters: Sequence[int]
) -> np.ndarray:
    rows = []
    for cluster in clusters:
        member = (labels == cluster) & (weights > 0)
        if not member.any():
            member = labels == cluster
        rows.append(embeddings[member].mean(axis=0))
    if not rows:
        return np.zeros((0, embeddings.shape[1]), dtype=np.float32)
    return _unit_rows(np.stack(rows).astype(np.float32))


def _words(value: object) -> list[str]:
    """A list cell of the ideas table (a list, an array from Parquet, or missing) as strings."""
    if value is None or isinstance(value, float | str):
        return []
    return [str(w) for w in value]  # type: ignore[attr-defined]


def _keyword_name(keywords: Sequence[str], n: int) -> str:
    """A name of ``n`` keywords, things before actions: "maiznīca, piens" rather than
    "lepoties, maiznīca" (verbs only fill up a name that lacks nouns)."""
    things = [k for k in keywords if not _is_verb(k.split()[-1])]
    actions = [k for k in keywords if _is_verb(k.split()[-1])]
    return ", ".join((things + actions)[:n])


# ---------------------------------------------------------------------------------------------
# Keywords


def _is_verb(lemma: str) -> bool:
    """Whether a lemma is an infinitive (Latvian -t/-ties, Russian -ть/-ться/-ти/-чь)."""
    if _CYRILLIC.search(lemma):
        return lemma.endswith(("ть", "ться", "ти", "тись", "чь", "чься"))
    return lemma.endswith(("t", "ties")) and lemma.isalpha()


def territory_matcher(territories: Iterable[str]) -> Callable[[str], bool]:
    """A test for lemmas that are (forms of) territory names, e.g. "ezerkalnē" for "Ezerkalne".

    Args:
        territories: Territory names as in the ideas table ("Rudzupes pagasts").

    Returns:
        A function telling whether a lemma is one of the names' place words; administrative
        words ("pagasts", "novads") are not place words.
    """
    lemmas: set[str] = set()
    stems: set[str] = set()
    for name in territories:
        if not isinstance(name, str):
            continue
        for word in latvian.tokenize(name, "lv"):
            if latvian.lemmatize(word, "lv") in _ADMINISTRATIVE:
                continue
            lemmas.add(latvian.fold(latvian.lemmatize(word, "lv")))
            lemmas.add(latvian.fold(word))
            # Inflected forms the lemmatiser does not know ("Kalnājos") share the stem.
            stem = re.sub(r"[aeiouy]+s?$|s$|ju$|u$", "", latvian.fold(word))
            if len(stem) >= 4:
                stems.add(stem)

    def is_territory(lemma: str) -> bool:
        key = latvian.fold(lemma)
        return key in lemmas or any(
            key.startswith(stem) and len(key) - len(stem) <= 3 for stem in stems
        )

    return is_territory


# Latvian genitive endings (singular -a, -as, -es, -s, -us; plural -u), which a noun modifier
# keeps whatever the case of its head.
_GENITIVE_ENDINGS = ("a", "as", "es", "s", "us", "u")


# Endings of Russian adjective lemmas (masculine nominative singular).
_RUSSIAN_ADJECTIVE_ENDINGS = ("ый", "ий", "ой")

# Endings of Latvian definite adjectives that no noun shares (-ajam, -ajiem, -ajai, ...).
_DEFINITE_ENDINGS = frozenset({"ais", "ajam", "ajā", "ajiem", "ajos", "ajai", "ajām", "ajās"})


class _Terms:
    """Term lists of the ideas: content lemmas and adjacent content-lemma bigrams.

    A bigram is two content lemmas next to each other in the text, neither a verb nor a
    Latvian locative ("istabu pagastā" is two phrases), not both generic words.
    """

    def __init__(
        self, ideas: pd.DataFrame, ngram_max: int, excluded: Callable[[str], bool]
    ) -> None:
        self.per_idea: list[list[str]] = []
        self.surfaces: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        self.excluded = excluded
        has_lemmas = "lemmas" in ideas.columns
        texts = ideas["text_normalised"] if "text_normalised" in ideas.columns else None
        languages = ideas["language"] if "language" in ideas.columns else None
        for position, cell in enumerate(ideas["content_lemmas"]):
            content = _words(cell)
            terms = list(dict.fromkeys(w for w in content if not self._is_excluded(w)))
            if ngram_max >= 2:
                sequence = _words(ideas["lemmas"].iat[position]) if has_lemmas else content
                text = texts.iat[position] if texts is not None else None
                lang = _lemma_language(languages.iat[position] if languages is not None else "lv")
                terms.extend(self._bigrams(sequence, set(content), text, lang))
            self.per_idea.append(terms)

    def _is_excluded(self, lemma: str) -> bool:
        return lemma in GENERIC_LEMMAS or lemma in _given_names() or self.excluded(lemma)

    def _bigrams(
        self, sequence: list[str], content: set[str], text: object, lang: str
    ) -> list[str]:
        tokens = latvian.tokenize(text, lang) if isinstance(text, str) else []
        aligned = len(tokens) == len(sequence)
        found: list[str] = []
        for i in range(len(sequence) - 1):
            first, second = sequence[i], sequence[i + 1]
            if first not in content or second not in content or first == second:
                continue
            if _is_verb(first) or _is_verb(second) or self.excluded(first) or self.excluded(second):
                continue
            if first in _given_names() or second in _given_names():
                continue
            if first in GENERIC_LEMMAS and second in GENERIC_LEMMAS:
                continue
            pair = (tokens[i].lower(), tokens[i + 1].lower()) if aligned else None
            if lang == "lv" and not self._latvian_phrase(first, second, pair):
                continue
            key = f"{first} {second}"
            if key not in found:
                found.append(key)
            if pair:
                self.surfaces[key][pair] += 1
        return found

    @staticmethod
    def _latvian_phrase(first: str, second: str, pair: tuple[str, str] | None) -> bool:
        """Whether two Latvian words can be one noun phrase (modifier, then head noun).

        A locative ends the phrase ("istabu pagastā"), unless it is the -ā of a definite
        adjective ("ātrā palīdzība"); an adjective after a noun is a predicate ("algas mazas").
        """
        if _is_latvian_adjective(second):
            return False
        if pair is None:
            return True
        if pair[1].endswith(_LATVIAN_LOCATIVE):
            return False
        return not pair[0].endswith(_LATVIAN_LOCATIVE) or _is_latvian_adjective(first)

    def display(self, term: str) -> str:
        """How a term reads: a lemma, or a bigram as people write it.

        A bigram shows its most common written form with the head as the lemma ("sporta
        laukums", "детский сад"). Otherwise a Latvian adjective takes the definite form that
        agrees with the head's lemma ("sociālo darbinieku" -> "sociālais darbinieks"), a
        Latvian genitive modifier that never changes form keeps it before the head's lemma
        ("šķirošanas konteineru" -> "šķirošanas konteiners"), a Russian phrase keeps its first
        word as the lemma ("дом культуры"); anything else shows as written most often.
        """
        if " " not in term:
            return term
        pairs = self.surfaces.get(term)
        if not pairs:
            return term
        first, second = term.split(" ", 1)

        def most_common(keep: Callable[[tuple[str, str]], bool]) -> str | None:
            matching = [(n, pair) for pair, n in pairs.items() if keep(pair)]
            return " ".join(max(matching)[1]) if matching else None

        shown = most_common(lambda pair: pair[1] == second)
        if shown:
            return shown
        if _CYRILLIC.search(term):
            if first.endswith(_RUSSIAN_ADJECTIVE_ENDINGS):
                # "детском саду" -> "детский сад": both lemmas agree in the nominative
                return term
            # a noun head with a genitive modifier: "доме культуры" -> "дом культуры"
            modifiers = Counter()
            for (_, modifier), n in pairs.items():
                modifiers[modifier] += n
            return most_common(lambda pair: pair[0] == first) or (
                f"{first} {modifiers.most_common(1)[0][0]}"
            )
        if _is_latvian_adjective(first, written={pair[0] for pair in pairs}):
            # an adjective agrees with the head's lemma: "sociālo darbinieku" -> "sociālais
            # darbinieks", "ātrās palīdzības" -> "ātrā palīdzība" (feminine heads end in -a, -e)
            return f"{first[:-1]}{'ā' if second.endswith(('a', 'e')) else 'ais'} {second}"
        modifiers = {pair[0] for pair in pairs}
        modifier = next(iter(modifiers))
        if len(modifiers) == 1 and modifier.endswith(_GENITIVE_ENDINGS):
            # a noun in the genitive does not change with its head ("šķirošanas konteiners")
            return f"{modifier} {second}"
        return most_common(lambda _: True) or term


def _is_latvian_adjective(lemma: str, written: Iterable[str] = ()) -> bool:
    """Whether a Latvian lemma has a definite adjective form ("vecs" -> "vecais").

    The dictionary says so, or one of the ``written`` forms of the word is a definite
    inflection of it ("vientuļajiem" for "vientuļš").
    """
    if not lemma.endswith(("s", "š")) or len(lemma) < 3:
        return False
    definite = lemma[:-1] + "ais"
    if latvian.is_known_word(definite) and latvian.lemmatize(definite, "lv") == lemma:
        return True
    stem = lemma[:-1]
    return any(form.startswith(stem) and form[len(stem) :] in _DEFINITE_ENDINGS for form in written)


def _join_nearest_theme(
    embeddings: np.ndarray, theme_ids: np.ndarray, rows: np.ndarray, quantile: float
) -> tuple[np.ndarray, np.ndarray]:
    """The theme each of ``rows`` joins, "" for none, and how close it is (0..1).

    An idea joins the theme with the nearest centroid (cosine) when it is no farther from it
    than ``quantile`` of that theme's members are: the rule of HDBSCAN noise reassignment
    (:mod:`pipeline.topics.spread`). Closeness is 1 at the centroid and 0 at that distance.
    """
    joined = np.full(len(rows), "", dtype=object)
    closeness = np.zeros(len(rows))
    themes = sorted(set(theme_ids[theme_ids != ""].tolist()))
    if not len(rows) or not themes:
        return joined, closeness
    index = {theme: k for k, theme in enumerate(themes)}
    labels = np.array([index.get(t, -1) for t in theme_ids], dtype=np.int64)
    unit = _unit_rows(embeddings)
    weights = np.ones(len(labels))
    distances = 1.0 - unit @ _centroids(unit, labels, weights, range(len(themes))).T
    radii = spread_radii(distances, labels, quantile)
    nearest, close, how_close = nearest_within(distances[rows], radii)
    joined[close] = [themes[k] for k in nearest[close]]
    closeness[close] = how_close[close]
    return joined, closeness


def _mmr(relevance: np.ndarray, similarity: np.ndarray, n: int, diversity: float) -> list[int]:
    """Indices chosen by maximal marginal relevance, most relevant first."""
    if len(relevance) == 0:
        return []
    selected = [int(np.argmax(relevance))]
    remaining = [i for i in range(len(relevance)) if i != selected[0]]
    while remaining and len(selected) < n:
        redundancy = similarity[np.ix_(remaining, selected)].max(axis=1)
        gain = (1.0 - diversity) * relevance[remaining] - diversity * redundancy
        best = remaining[int(np.argmax(gain))]
        selected.append(best)
        remaining.remove(best)
    return selected


class ClusterKeywords:
    """Keywords per cluster by class-based TF-IDF over lemmas, diversified with MMR.

    Every cluster is one class; its texts' content lemmas and adjacent-lemma bigrams are
    counted once per distinct text, and a term's weight is ``tf(term, cluster) * log(1 + A /
    f(term))`` (BERTopic's c-TF-IDF; ``A`` is the mean number of terms per class, ``f`` the
    term's count over all classes, outliers included as background). A bigram seen in at least
    ``bigram_min_count`` texts of a cluster replaces a part when it accounts for at least
    ``bigram_share`` of that part's occurrences there, and takes over the part's score.

    Args:
        n_keywords: Keywords per cluster.
        ngram_max: 1 (lemmas only) or 2 (lemmas and bigrams).
        mmr_diversity: 0 keeps c-TF-IDF order; towards 1 prefers keywords unlike those chosen.
        bigram_min_count: Texts of a cluster a bigram must occur in to be a keyword.
        bigram_share: Share of a lemma's occurrences a bigram must cover to replace it.
        n_candidates: Top terms per cluster that MMR chooses from.
        exclude_territory_names: Leave out the place words of the ``territory`` column
            ("Rudzupe"); where a theme is raised is the territory breakdown's job.
        model: Sentence model for keyword embeddings (see :func:`as_encoder`); without it
            MMR uses lemma overlap only.

    Attributes:
        keywords_: Cluster label -> keywords (display strings), Latvian first.
        terms_: Cluster label -> the same keywords as term keys (lemmas, "lemma lemma").
        scores_: Cluster label -> c-TF-IDF score of each keyword.
    """

    def __init__(
        self,
        n_keywords: int = 10,
        ngram_max: int = 2,
        mmr_diversity: float = 0.3,
        bigram_min_count: int = 2,
        bigram_share: float = 0.5,
        n_candidates: int = 30,
        exclude_territory_names: bool = True,
        model: Any = None,
    ) -> None:
        self.n_keywords = n_keywords
        self.ngram_max = ngram_max
        self.mmr_diversity = mmr_diversity
        self.bigram_min_count = bigram_min_count
        self.bigram_share = bigram_share
        self.n_candidates = n_candidates
        self.exclude_territory_names = exclude_territory_names
        self.model = model

    def fit(self, ideas: pd.DataFrame, labels: Sequence[int] | np.ndarray) -> ClusterKeywords:
        """Find the keywords of every cluster (label >= 0) of the ideas.

        Args:
            ideas: Ideas table with ``idea_id``, ``content_lemmas`` and, when present,
                ``lemmas``, ``text_normalised``, ``language``, ``non_answer``, ``duplicate_of``.
            labels: Cluster label per idea; -1 is an outlier (background only).

        Returns:
            self
        """
        if self.ngram_max not in (1, 2):
            raise ValueError(f"ngram_max must be 1 or 2, got {self.ngram_max}")
        if not 0.0 <= self.mmr_diversity <= 1.0:
            raise ValueError(f"mmr_diversity must be within 0..1, got {self.mmr_diversity}")
        _require_columns(ideas, ("idea_id", "content_lemmas"))
        ideas = ideas.reset_index(drop=True)
        labels = _labels_array(labels, len(ideas))
        labels = np.where(_non_answer(ideas), -1, labels)
        self.keywords_: dict[int, list[str]] = {}
        self.terms_: dict[int, list[str]] = {}
        self.scores_: dict[int, list[float]] = {}
        clusters = sorted(int(c) for c in set(labels.tolist()) if c >= 0)
        excluded: Callable[[str], bool] = _never
        if self.exclude_territory_names and "territory" in ideas.columns:
            excluded = territory_matcher(ideas["territory"].dropna().unique())
        terms = _Terms(ideas, self.ngram_max, excluded)
        weights = _text_weights(ideas, labels) * (~_non_answer(ideas))
        if not clusters or not any(terms.per_idea):
            self.keywords_ = {c: [] for c in clusters}
            self.terms_ = {c: [] for c in clusters}
            self.scores_ = {c: [] for c in clusters}
            return self

        vectorizer = CountVectorizer(analyzer=_identity, binary=True, lowercase=False)
        counts = vectorizer.fit_transform(terms.per_idea)
        vocabulary = vectorizer.get_feature_names_out()
        classes = [-1, *clusters]
        row_of = {c: i for i, c in enumerate(classes)}
        membership = sparse.csr_matrix(
            (weights, ([row_of[int(c)] for c in labels], np.arange(len(labels)))),
            shape=(len(classes), len(labels)),
        )
        class_counts = np.asarray((membership @ counts).todense())
        languages = ideas["language"] if "language" in ideas.columns else ["lv"] * len(ideas)
        latvian_rows = np.array([lang in _LATVIAN for lang in languages], dtype=float)
        latvian_counts = np.asarray((membership @ sparse.diags(latvian_rows) @ counts).todense())
        scores = _ctfidf(class_counts)
        is_bigram = np.array([" " in term for term in vocabulary])
        index_of = {term: i for i, term in enumerate(vocabulary)}

        pools: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for cluster in clusters:
            row = row_of[cluster]
            pools[cluster] = self._candidates(
                class_counts[row], scores[row], vocabulary, is_bigram, index_of
            )
        similarity = self._similarity_function(terms, vocabulary, pools)
        for cluster in clusters:
            candidates, relevance = pools[cluster]
            if len(candidates) == 0:
                self.keywords_[cluster], self.terms_[cluster], self.scores_[cluster] = [], [], []
                continue
            chosen = candidates[
                _mmr(
                    relevance / relevance.max(),
                    similarity(candidates),
                    self.n_keywords,
                    self.mmr_diversity,
                )
            ]
            row = row_of[cluster]
            share_lv = latvian_counts[row, chosen] / np.maximum(class_counts[row, chosen], 1e-12)
            order = sorted(range(len(chosen)), key=lambda i: share_lv[i] < 0.5)
            chosen = chosen[order]
            self.terms_[cluster] = [str(vocabulary[i]) for i in chosen]
            self.keywords_[cluster] = [terms.display(str(vocabulary[i])) for i in chosen]
            relevance_of = dict(zip(candidates.tolist(), relevance.tolist(), strict=True))
            self.scores_[cluster] = [float(relevance_of[i]) for i in chosen]
        return self

    def _candidates(
        self,
        counts: np.ndarray,
        scores: np.ndarray,
        vocabulary: np.ndarray,
        is_bigram: np.ndarray,
        index_of: Mapping[str, int],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Term indices MMR may choose from for one cluster, with their (adjusted) scores."""
        adjusted = scores.copy()
        eligible = counts > 0
        eligible &= ~is_bigram | (counts >= self.bigram_min_count - 1e-9)
        absorbed = np.zeros(len(counts), dtype=bool)
        for i in np.flatnonzero(eligible & is_bigram):
            for part in str(vocabulary[i]).split(" "):
                j = index_of.get(part)
                if j is not None and counts[i] >= self.bigram_share * counts[j] - 1e-9:
                    absorbed[j] = True
                    adjusted[i] = max(adjusted[i], scores[j])
        eligible &= ~absorbed & (adjusted > 0)
        indices = np.flatnonzero(eligible)
        top = indices[np.argsort(-adjusted[indices], kind="stable")][: self.n_candidates]
        return top, adjusted[top]

    def _similarity_function(
        self,
        terms: _Terms,
        vocabulary: np.ndarray,
        pools: Mapping[int, tuple[np.ndarray, np.ndarray]],
    ) -> Callable[[np.ndarray], np.ndarray]:
        """Redundancy between candidate terms: relative embedding similarity or shared lemmas.

        Embedding cosines are rescaled against the mean cosine of all candidate pairs, since
        E5 puts almost every pair at 0.80-0.95.
        """
        used = sorted({int(i) for candidates, _ in pools.values() for i in candidates})
        vectors: dict[int, np.ndarray] = {}
        baseline = 0.0
        if self.model is not None and self.mmr_diversity > 0 and used:
            encoder = as_encoder(self.model)
            rows = encoder([terms.display(str(vocabulary[i])) for i in used])
            vectors = dict(zip(used, rows, strict=True))
            if len(used) > 1:
                gram = rows @ rows.T
                baseline = float((gram.sum() - np.trace(gram)) / (len(used) * (len(used) - 1)))
        lemma_sets = {i: frozenset(str(vocabulary[i]).split(" ")) for i in used}

        def similarity(candidates: np.ndarray) -> np.ndarray:
            sets = [lemma_sets[int(i)] for i in candidates]
            lexical = np.array([[len(a & b) / len(a | b) for b in sets] for a in sets])
            if not vectors:
                return lexical
            rows = np.stack([vectors[int(i)] for i in candidates])
            semantic = np.clip((rows @ rows.T - baseline) / max(1.0 - baseline, 1e-6), 0.0, 1.0)
            return np.maximum(lexical, semantic)

        return similarity


def _identity(terms: list[str]) -> list[str]:
    return terms


def _never(_: str) -> bool:
    return False


def _ctfidf(class_counts: np.ndarray) -> np.ndarray:
    """BERTopic's class-based TF-IDF: L1-normalised class frequency times log(1 + A / f_t)."""
    totals = class_counts.sum(axis=1, keepdims=True)
    tf = class_counts / np.where(totals > 0, totals, 1.0)
    frequency = class_counts.sum(axis=0)
    average = class_counts.sum() / max(int((totals > 0).sum()), 1)
    idf = np.log1p(average / np.where(frequency > 0, frequency, np.inf))
    return tf * idf


def keyword_quality(
    keywords_per_theme: Mapping[Any, Sequence[str]] | Sequence[Sequence[str]],
) -> float:
    """Share of keywords that are stop words or repeat a lemma within their theme.

    A keyword is lemmatised word by word (Russian when it is Cyrillic, else Latvian), so
    "ceļu" after "ceļš" in one theme is a repeat, and "sporta laukums" is the pair
    (sports, laukums). A keyword is a stop word when all its words are Latvian, Russian or
    (for plain ASCII) English stop words. Lower is better; use it to compare keyword methods.

    Args:
        keywords_per_theme: Theme -> keywords, or one keyword list per theme.

    Returns:
        The share in 0..1 (0.0 when there are no keywords).
    """
    lists = (
        list(keywords_per_theme.values())
        if isinstance(keywords_per_theme, Mapping)
        else list(keywords_per_theme)
    )
    total = bad = 0
    for keywords in lists:
        seen: set[tuple[str, ...]] = set()
        for keyword in keywords:
            total += 1
            words = str(keyword).lower().split()
            if not words:
                bad += 1
                continue
            key = tuple(latvian.fold(_word_lemma(w)) for w in words)
            if all(_is_stop_anywhere(w) for w in words) or key in seen:
                bad += 1
            seen.add(key)
    return bad / total if total else 0.0


def _word_lemma(word: str) -> str:
    return latvian.lemmatize(word, "ru" if _CYRILLIC.search(word) else "lv")


def _is_stop_anywhere(word: str) -> bool:
    if _CYRILLIC.search(word):
        return latvian.is_stop(word, "ru")
    if latvian.is_stop(word, "lv") or latvian.is_stop(_word_lemma(word), "lv"):
        return True
    return word.isascii() and latvian.is_stop(word, "en")


# ---------------------------------------------------------------------------------------------
# Representatives


def representative_ideas(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    n: int = 5,
) -> dict[int, list[str]]:
    """The ``n`` most central ideas of every cluster, duplicates and non-answers left out.

    Ideas are ranked by cosine to the cluster centroid (each distinct text counted once). One
    idea per response and per folded text comes first; further ideas of a response already
    shown fill the list only when the cluster has too few responses.

    Args:
        ideas: Ideas table with ``idea_id``, ``response_id``; ``duplicate_of``, ``non_answer``,
            ``text_folded`` are used when present.
        embeddings: Unit-length rows aligned with ``ideas``.
        labels: Cluster label per idea (-1 = outlier, skipped).
        n: Ideas per cluster.

    Returns:
        Cluster label -> idea ids, most central first.
    """
    _require_columns(ideas, ("idea_id", "response_id"))
    ideas = ideas.reset_index(drop=True)
    embeddings = np.asarray(embeddings, dtype=np.float32)
    labels = np.where(_non_answer(ideas), -1, _labels_array(labels, len(ideas)))
    weights = _text_weights(ideas, labels)
    clusters = sorted(int(c) for c in set(labels.tolist()) if c >= 0)
    centroids = _centroids(embeddings, labels, weights, clusters)
    duplicate = (
        ideas["duplicate_of"].notna().to_numpy()
        if "duplicate_of" in ideas.columns
        else np.zeros(len(ideas), dtype=bool)
    )
    folded = (
        ideas["text_folded"].astype(str).to_numpy()
        if "text_folded" in ideas.columns
        else ideas["idea_id"].astype(str).to_numpy()
    )
    responses = ideas["response_id"].astype(str).to_numpy()
    result: dict[int, list[str]] = {}
    for cluster, centroid in zip(clusters, centroids, strict=True):
        members = np.flatnonzero((labels == cluster) & ~duplicate)
        ranked = members[np.argsort(-(embeddings[members] @ centroid), kind="stable")]
        chosen: list[int] = []
        later: list[int] = []
        shown_responses: set[str] = set()
        shown_texts: set[str] = set()
        for i in ranked:
            if folded[i] in shown_texts:
                continue
            if responses[i] in shown_responses:
                later.append(int(i))
                continue
            chosen.append(int(i))
            shown_responses.add(responses[i])
            shown_texts.add(folded[i])
        chosen.extend(later)
        result[cluster] = [str(ideas["idea_id"].iat[i]) for i in chosen[:n]]
    return result


# ---------------------------------------------------------------------------------------------
# Naming


Seed = tuple[frozenset[str], ...]


def _seed_lemma_sets(theme: Theme) -> list[Seed]:
    """Each seed as its content words, each word as its folded lemma or as written.

    Accepting the written form too keeps a seed usable when the lemmatiser mistakes it
    ("дорога" -> "дорогой") while texts give the right lemma for other forms.
    """
    seeds: list[Seed] = []
    for seed in theme.seeds:
        lang = "ru" if _CYRILLIC.search(seed) else "lv"
        words = []
        for token in latvian.tokenize(seed, lang):
            lemma = latvian.lemmatize(token, lang)
            if len(lemma) > 1 and not latvian.is_stop(lemma, lang):
                words.append(frozenset({latvian.fold(lemma), latvian.fold(token)}))
        if words:
            seeds.append(tuple(words))
    return seeds


def _mentions(seed: Seed, words: set[str]) -> bool:
    return all(not alternatives.isdisjoint(words) for alternatives in seed)


class ThemeNamer:
    """Names clusters, and the ideas in them, with taxonomy themes, or marks them new.

    Every idea gets a score in 0..1 for every theme that mixes two relative signals: the
    softmax of its embedding's standardised similarity to the theme embeddings (description
    plus seed words, standardised across themes per idea), and whether its content lemmas
    contain one of the theme's seed words (lemmatised, diacritics folded). A cluster's score
    for a theme is the mean of its distinct texts' scores (a vote of its members, so one
    off-theme centroid cannot decide); its best score is the cluster's confidence, and below
    ``min_confidence`` no theme fits and the cluster is new.

    An idea's theme (:meth:`assign`) weighs its cluster's vote against its own score with
    ``cluster_weight``: a member whose own evidence clearly speaks for another theme (a
    street-lighting idea in a roads cluster) is named with that theme. A new cluster has no
    vote: its members, like outliers, are named with a theme they fit well on their own.

    A seed word an idea uses only to say where (:func:`pipeline.lang.lv.place_words`: "grozs
    pie skolas", "Skolas ielā") counts ``place_weight`` of a seed word it is about.

    Args:
        keyword_weight: Weight of the seed-word overlap (0..1); the rest is the embedding match.
        place_weight: What a seed word used only as a place counts for (0..1; 1: as much as
            any other use, 0: nothing).
        min_confidence: Confidence a theme needs to name a cluster or a member of a new one.
        cluster_weight: Weight of the cluster's vote in an idea's score (0..1): 1 names every
            member like its cluster, 0 names every idea on its own.
        name_outliers: Name an outlier (label -1) by its own score when that reaches
            ``min_confidence``; otherwise outliers get no theme.
        prompt_name: Prompt used with a sentence-transformers model.

    Attributes:
        themes_: The taxonomy.
        theme_ids_: Theme ids in taxonomy order.
        theme_embeddings_: One unit row per theme.
        seed_lemmas_: Per theme, its seeds: per word, its folded lemma and written form.
    """

    def __init__(
        self,
        keyword_weight: float = 0.5,
        min_confidence: float = 0.2,
        cluster_weight: float = 0.3,
        name_outliers: bool = True,
        prompt_name: str | None = "query",
        place_weight: float = 0.5,
    ) -> None:
        self.keyword_weight = keyword_weight
        self.place_weight = place_weight
        self.min_confidence = min_confidence
        self.cluster_weight = cluster_weight
        self.name_outliers = name_outliers
        self.prompt_name = prompt_name

    def fit(self, taxonomy: Sequence[Theme] | str | Path, model: Any) -> ThemeNamer:
        """Embed every theme's description and seed words once.

        Args:
            taxonomy: Themes, or the path of a taxonomy YAML file.
            model: Sentence model or encoder (see :func:`as_encoder`).

        Returns:
            self
        """
        if not 0.0 <= self.cluster_weight <= 1.0:
            raise ValueError(f"cluster_weight must be within 0..1, got {self.cluster_weight}")
        if not 0.0 <= self.keyword_weight <= 1.0:
            raise ValueError(f"keyword_weight must be within 0..1, got {self.keyword_weight}")
        if not 0.0 <= self.place_weight <= 1.0:
            raise ValueError(f"place_weight must be within 0..1, got {self.place_weight}")
        themes = load_taxonomy(taxonomy) if isinstance(taxonomy, str | Path) else list(taxonomy)
        if not themes:
            raise ValueError("the taxonomy has no themes")
        encoder = as_encoder(model, self.prompt_name)
        descriptions = encoder([theme.description for theme in themes])
        seed_rows = encoder([seed for theme in themes for seed in theme.seeds])
        seed_means, start = [], 0
        for theme in themes:
            seed_means.append(seed_rows[start : start + len(theme.seeds)].mean(axis=0))
            start += len(theme.seeds)
        self.themes_ = themes
        self.theme_ids_ = [theme.id for theme in themes]
        self.theme_embeddings_ = _unit_rows(descriptions + _unit_rows(np.stack(seed_means)))
        self.seed_lemmas_ = [_seed_lemma_sets(theme) for theme in themes]
        return self

    def decision_scores(
        self,
        centroids: np.ndarray,
        cluster_texts: Sequence[Sequence[Iterable[str]]],
        cluster_places: Sequence[Sequence[Iterable[str]]] | None = None,
    ) -> np.ndarray:
        """Scores in 0..1 of every centroid (row) for every theme (column).

        A centroid's embedding share and the share of its texts that use a theme's seed words
        are mixed by ``keyword_weight``; a text that uses a theme's seed words only as places
        counts ``place_weight``. :meth:`idea_scores` is this with one text per row.

        Args:
            centroids: One unit row per cluster, in the embedding space of the model.
            cluster_texts: Per cluster, the content lemmas of each of its distinct texts.
            cluster_places: Per cluster, per text, its place words
                (:func:`pipeline.lang.lv.place_words`); None: no word is a place.

        Returns:
            Array of shape (clusters, themes).
        """
        centroids = _unit_rows(np.atleast_2d(np.asarray(centroids, dtype=np.float32)))
        if len(centroids) != len(cluster_texts):
            raise ValueError("need one list of texts per centroid")
        shares = self._embedding_shares(centroids)
        overlap = np.zeros_like(shares)
        if cluster_places is not None and len(cluster_places) != len(cluster_texts):
            raise ValueError("need one list of place words per list of texts")
        for row, texts in enumerate(cluster_texts):
            text_sets = [{latvian.fold(str(w)) for w in text} for text in texts]
            if not text_sets:
                continue
            places = (
                [set()] * len(text_sets)
                if cluster_places is None
                else [{latvian.fold(str(w)) for w in p} for p in cluster_places[row]]
            )
            for column, seeds in enumerate(self.seed_lemmas_):
                hits = 0.0
                for words, where in zip(text_sets, places, strict=True):
                    if any(_mentions(seed, words - where) for seed in seeds):
                        hits += 1.0
                    elif where and any(_mentions(seed, words) for seed in seeds):
                        hits += self.place_weight
                overlap[row, column] = hits / len(text_sets)
        weight = self.keyword_weight
        return (1.0 - weight) * shares + weight * overlap

    def _embedding_shares(self, rows: np.ndarray) -> np.ndarray:
        """Softmax of each row's similarities to the themes, standardised across the themes."""
        similarity = rows @ self.theme_embeddings_.T
        if similarity.shape[1] <= 1:
            return np.ones_like(similarity)
        spread = similarity.std(axis=1, keepdims=True)
        z = (similarity - similarity.mean(axis=1, keepdims=True)) / np.where(
            spread > 0, spread, 1.0
        )
        shares = np.exp(_SHARPNESS * (z - z.max(axis=1, keepdims=True)))
        return shares / shares.sum(axis=1, keepdims=True)

    def idea_scores(
        self,
        embeddings: np.ndarray,
        lemmas: Sequence[Any],
        places: Sequence[Iterable[str]] | None = None,
    ) -> np.ndarray:
        """Scores in 0..1 of every idea (row) for every theme (column).

        Args:
            embeddings: One row per idea in the model's space (best centred by language, see
                :func:`language_centred`); rows of zeros or NaN (non-answers) score 0.
            lemmas: Content lemmas of each idea (lists, arrays or missing values).
            places: Place words of each idea (:func:`idea_places`); None: none.

        Returns:
            Array of shape (ideas, themes), float64.
        """
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if len(embeddings) != len(lemmas):
            raise ValueError(f"{len(embeddings)} embeddings but {len(lemmas)} lemma lists")
        if places is not None and len(places) != len(lemmas):
            raise ValueError(f"{len(lemmas)} lemma lists but {len(places)} place lists")
        valid = np.isfinite(embeddings).all(axis=1) & (np.abs(embeddings).sum(axis=1) > 0)
        scores = np.zeros((len(embeddings), len(self.theme_ids_)), dtype=np.float64)
        if valid.any():
            rows = np.flatnonzero(valid)
            scores[rows] = self.decision_scores(
                embeddings[rows],
                [[_words(lemmas[i])] for i in rows],
                None if places is None else [[places[i]] for i in rows],
            )
        return scores

    def cluster_votes(
        self,
        idea_scores: np.ndarray,
        labels: Sequence[int] | np.ndarray,
        weights: np.ndarray | None = None,
    ) -> dict[int, np.ndarray]:
        """Each cluster's score per theme: the weighted mean of its members' idea scores.

        Args:
            idea_scores: :meth:`idea_scores` of all ideas.
            labels: Cluster label per idea (-1: outlier, not counted).
            weights: Weight per idea (0 for further copies of a text); None: 1 each.

        Returns:
            Cluster label -> scores per theme (0..1).
        """
        idea_scores = np.asarray(idea_scores, dtype=np.float64)
        labels = _labels_array(labels, len(idea_scores))
        weights = np.ones(len(labels)) if weights is None else np.asarray(weights, float)
        votes: dict[int, np.ndarray] = {}
        for cluster in sorted(int(c) for c in set(labels.tolist()) if c >= 0):
            member = labels == cluster
            if weights[member].sum() <= 0:
                weights = np.where(member, 1.0, weights)
            votes[cluster] = np.average(idea_scores[member], axis=0, weights=weights[member])
        return votes

    def predict(
        self, centroids: np.ndarray, cluster_texts: Sequence[Sequence[Iterable[str]]]
    ) -> list[str]:
        """The theme id of every cluster, "" when no theme reaches ``min_confidence``."""
        scores = self.decision_scores(centroids, cluster_texts)
        best = scores.argmax(axis=1)
        return [
            self.theme_ids_[b] if scores[i, b] >= self.min_confidence else ""
            for i, b in enumerate(best)
        ]

    def name_clusters(
        self,
        ideas: pd.DataFrame,
        embeddings: np.ndarray,
        labels: Sequence[int] | np.ndarray,
        keywords: Mapping[int, Sequence[str]] | None = None,
        n_name_keywords: int = 3,
        *,
        idea_scores: np.ndarray | None = None,
    ) -> pd.DataFrame:
        """Name every cluster (label >= 0) of the ideas by its members' vote.

        Args:
            ideas: Ideas table with ``idea_id`` and ``content_lemmas``.
            embeddings: Unit rows aligned with ``ideas``.
            labels: Cluster label per idea (-1 = outlier).
            keywords: Cluster -> keywords, for the names of new clusters.
            n_name_keywords: Keywords in a keyword name.
            idea_scores: :meth:`idea_scores` of the ideas if already computed.

        Returns:
            One row per cluster: ``cluster``, ``theme`` (taxonomy id, "" if new),
            ``best_theme`` (the best match even if too weak), ``confidence``, ``is_new``,
            ``name_lv``, ``name_en`` (for new clusters both are the keyword name).
        """
        _require_columns(ideas, ("idea_id", "content_lemmas"))
        ideas = ideas.reset_index(drop=True)
        labels = np.where(_non_answer(ideas), -1, _labels_array(labels, len(ideas)))
        columns = ["cluster", "theme", "best_theme", "confidence", "is_new", "name_lv", "name_en"]
        if not (labels >= 0).any():
            return pd.DataFrame(columns=columns)
        if idea_scores is None:
            idea_scores = self.idea_scores(embeddings, ideas["content_lemmas"].tolist())
        votes = self.cluster_votes(idea_scores, labels, _text_weights(ideas, labels))
        by_id = {theme.id: theme for theme in self.themes_}
        rows = []
        for cluster, scores in votes.items():
            best = int(scores.argmax())
            confidence = float(scores[best])
            best_theme = self.theme_ids_[best]
            is_new = confidence < self.min_confidence
            if is_new:
                name = _keyword_name(list((keywords or {}).get(cluster, [])), n_name_keywords)
                name = name or f"cluster {cluster}"
                name_lv = name_en = name
            else:
                name_lv, name_en = by_id[best_theme].name_lv, by_id[best_theme].name_en
            rows.append(
                {
                    "cluster": cluster,
                    "theme": "" if is_new else best_theme,
                    "best_theme": best_theme,
                    "confidence": confidence,
                    "is_new": is_new,
                    "name_lv": name_lv,
                    "name_en": name_en,
                }
            )
        return pd.DataFrame(rows, columns=columns)

    def assign(
        self,
        idea_scores: np.ndarray,
        labels: Sequence[int] | np.ndarray,
        cluster_themes: Mapping[int, str],
        votes: Mapping[int, np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray]:
        """The taxonomy theme of every idea, from its own score and its cluster's vote.

        An idea's score is ``cluster_weight`` times its cluster's vote plus the rest times its
        own score. A member of a named cluster takes the best theme of that mix. A new cluster
        fits no theme, so its vote says nothing: a member takes its own best theme when that
        reaches ``min_confidence``. An outlier has no vote either: it takes its own best theme
        when that reaches ``min_confidence`` and ``name_outliers`` is set (give non-answers
        scores of 0 to keep them out).

        Args:
            idea_scores: :meth:`idea_scores` of the ideas.
            labels: Cluster label per idea (-1: outlier).
            cluster_themes: Cluster -> its theme id ("" for a new cluster).
            votes: Cluster -> :meth:`cluster_votes` scores.

        Returns:
            ``(themes, confidence)``: a theme id per idea ("" when none: outliers and members
            of a new cluster that fit no theme) and the score of that theme (for an idea
            left in a new cluster: its cluster's confidence; for an outlier left out: 0).
        """
        idea_scores = np.asarray(idea_scores, dtype=np.float64)
        labels = _labels_array(labels, len(idea_scores))
        themes = np.full(len(labels), "", dtype=object)
        confidence = np.zeros(len(labels), dtype=np.float64)
        weight = self.cluster_weight
        for i, cluster in enumerate(labels.tolist()):
            if cluster < 0:
                best = int(idea_scores[i].argmax())
                if self.name_outliers and idea_scores[i, best] >= self.min_confidence:
                    themes[i] = self.theme_ids_[best]
                    confidence[i] = float(idea_scores[i, best])
                continue
            vote = votes[cluster]
            if cluster_themes[cluster]:
                mixed = weight * vote + (1.0 - weight) * idea_scores[i]
            else:
                mixed = idea_scores[i]  # a new cluster fits no theme: its vote says nothing
            best = int(mixed.argmax())
            if cluster_themes[cluster] or mixed[best] >= self.min_confidence:
                themes[i] = self.theme_ids_[best]
                confidence[i] = float(mixed[best])
            else:
                confidence[i] = float(vote.max())
        return themes, confidence


def idea_places(ideas: pd.DataFrame) -> list[frozenset[str]]:
    """Per idea, the words it uses only as places (:func:`pipeline.lang.lv.place_words`).

    Read from ``text_normalised`` (diacritics restored) in the idea's ``language``; without
    those columns no idea has place words.
    """
    if "text_normalised" not in ideas.columns:
        return [frozenset()] * len(ideas)
    languages = (
        ideas["language"].astype("string").fillna("lv").tolist()
        if "language" in ideas.columns
        else ["lv"] * len(ideas)
    )
    texts = ideas["text_normalised"].astype("string").fillna("").tolist()
    return [latvian.place_words(t, lang) for t, lang in zip(texts, languages, strict=True)]


def language_centred(
    embeddings: np.ndarray, ideas: pd.DataFrame, global_mean: float = 0.5
) -> np.ndarray:
    """Embeddings with each language's mean replaced by a share of the corpus mean.

    E5 puts a Russian idea nearer to Russian ideas on any theme than to the Latvian
    description of its own theme; taking each language's mean off (as the reduce step does
    before clustering) lets ideas be compared with the themes across languages. Keeping part
    of the corpus mean keeps what all ideas share with the theme texts; half of it named the
    sample's Russian, English and Latgalian ideas better than all or none, Latvian ones alike.
    Without a ``language`` column, or with a single language, the rows are returned as they are.

    Args:
        embeddings: Unit rows aligned with ``ideas`` (NaN or zero rows are left alone).
        ideas: The ideas table (``language``; ``non_answer`` rows are not fitted on).
        global_mean: Share of the corpus mean added back (0..1).
    """
    from pipeline.topics.reduce import LanguageCentering  # reduce imports this module

    embeddings = np.asarray(embeddings, dtype=np.float32)
    if "language" not in ideas.columns:
        return embeddings
    languages = ideas["language"].astype("string").fillna("und").to_numpy(dtype=object)
    fitted = ~_non_answer(ideas) & np.isfinite(embeddings).all(axis=1)
    fitted &= np.abs(np.nan_to_num(embeddings)).sum(axis=1) > 0
    if len(set(languages[fitted].tolist())) < 2:
        return embeddings
    centering = LanguageCentering(restore_global_mean=global_mean).fit(
        embeddings[fitted], languages[fitted]
    )
    centred = embeddings.copy()
    centred[fitted] = centering.transform(embeddings[fitted], languages[fitted])
    return centred


# ---------------------------------------------------------------------------------------------
# The step


THEME_COLUMNS = (
    "theme",
    "name_lv",
    "name_en",
    "keywords",
    "n_ideas",
    "n_responses",
    "votes",
    "confidence",
    "is_new",
    "subthemes",
    "subtheme_labels",
    "representatives",
    "clusters",
)
ASSIGNMENT_COLUMNS = (
    "idea_id",
    "cluster",
    "theme",
    "subtheme",
    "subtheme_name",
    "theme_confidence",
)


def build_themes(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    taxonomy: Sequence[Theme] | str | Path,
    model: Any,
    params: ThemesParams | None = None,
    *,
    membership: Sequence[float] | np.ndarray | None = None,
    namer: ThemeNamer | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keywords, representatives and names for clustered ideas, merged into themes.

    Every idea gets its theme from :meth:`ThemeNamer.assign`. Clusters named with the same
    taxonomy theme become its sub-themes ("roads/1", "roads/2", largest first), each with a
    keyword name that tells it from its siblings; an idea named apart from its cluster joins
    the sub-theme of its theme with the nearest centroid. Clusters no theme fits become new
    themes "new-1", "new-2", ... (largest first by the ideas they keep) with keyword names,
    when they keep at least ``params.min_new_theme_ideas`` ideas and at least
    ``params.min_new_theme_share`` of their members. The members of a smaller one, or of a
    mix whose members mostly went to other themes, and outliers no theme fits on its own,
    join the nearest theme when they are as close to its centroid as
    ``params.join_quantile`` of its members (else they stay without a theme). A theme's
    ``clusters`` are the clusters named with it (empty when only ideas named apart belong
    to it).

    Args:
        ideas: Ideas table (see :mod:`pipeline.normalise`); needs ``idea_id``,
            ``response_id``, ``content_lemmas``; uses ``lemmas``, ``text_normalised``,
            ``language``, ``non_answer``, ``duplicate_of``, ``text_folded``, ``votes``.
        embeddings: Unit rows aligned with ``ideas`` (the ones the clusters came from).
        labels: Cluster label per idea; -1 = outlier.
        taxonomy: Themes or a taxonomy YAML path.
        model: Sentence model or encoder for keyword and theme embeddings (see
            :func:`as_encoder`); must be the model that produced ``embeddings``.
        params: The ``themes`` parameters (defaults if None).
        membership: Optional 0..1 confidence of each idea in its cluster (e.g. HDBSCAN's
            ``probabilities_``); ``theme_confidence`` is it times the idea's naming confidence
            (a theme's ``confidence`` is the mean naming confidence of its ideas).
        namer: A fitted :class:`ThemeNamer` to reuse; by default one is fitted here.

    Returns:
        ``(themes_table, idea_assignments)``: one row per theme with the columns
        :data:`THEME_COLUMNS`, largest first; one row per idea with :data:`ASSIGNMENT_COLUMNS`
        in the order of ``ideas``. Non-answers, and outliers that fit no theme on their own,
        get theme "" and confidence 0.
    """
    params = params or ThemesParams()
    _require_columns(ideas, ("idea_id", "response_id", "content_lemmas"))
    ideas = ideas.reset_index(drop=True)
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if len(embeddings) != len(ideas):
        raise ValueError(f"{len(embeddings)} embedding rows for {len(ideas)} ideas")
    given_labels = _labels_array(labels, len(ideas))
    non_answer = _non_answer(ideas)
    work = np.where(non_answer, -1, given_labels)
    encoder = as_encoder(model, namer.prompt_name if namer is not None else "query")

    cluster_keywords = _keywords(ideas, work, params, encoder)
    if namer is None:
        namer = ThemeNamer(
            keyword_weight=params.keyword_weight,
            place_weight=params.place_weight,
            min_confidence=params.min_confidence,
            cluster_weight=params.cluster_weight,
        ).fit(taxonomy, encoder)
    centred = language_centred(embeddings, ideas)
    scores = namer.idea_scores(centred, ideas["content_lemmas"].tolist(), idea_places(ideas))
    scores[non_answer] = 0.0  # never named
    names = namer.name_clusters(
        ideas,
        centred,
        work,
        cluster_keywords.keywords_,
        params.n_name_keywords,
        idea_scores=scores,
    )
    info = names.set_index("cluster")
    cluster_votes = namer.cluster_votes(scores, work, _text_weights(ideas, work))
    named, confidence = namer.assign(
        scores, work, {int(c): str(t) for c, t in info["theme"].items()}, cluster_votes
    )

    # Members of a new cluster that no theme fits stay in it; new themes are numbered by the
    # ideas they keep, largest first. A new cluster left with fewer than
    # ``min_new_theme_ideas`` ideas is no theme, nor is one whose members mostly went to
    # other themes (less than ``min_new_theme_share`` kept): what is left of a mix.
    left = pd.Series(work[(work >= 0) & (named == "")]).value_counts()
    members = pd.Series(work[work >= 0]).value_counts()
    new_clusters = sorted(
        (
            int(c)
            for c in info.index[info["is_new"]]
            if left.get(c, 0) >= max(1, params.min_new_theme_ideas)
            and left.get(c, 0) >= params.min_new_theme_share * members[c]
        ),
        key=lambda c: (-int(left[c]), c),
    )
    theme_of: dict[int, str] = {
        cluster: f"{NEW_THEME_PREFIX}{k}" for k, cluster in enumerate(new_clusters, start=1)
    }
    for cluster, row in info.iterrows():
        if not row["is_new"]:
            theme_of[int(cluster)] = str(row["theme"])
    idea_theme_id = np.where(
        named != "", named, [theme_of.get(c, "") if c >= 0 else "" for c in work.tolist()]
    ).astype(object)
    # An answer still without a theme (a member of a new cluster too small to be a theme, or
    # HDBSCAN noise that neither joined a cluster nor fits a theme on its own) joins the
    # nearest theme when it is as close to it as its own members; the rest stay outliers.
    orphans = np.flatnonzero((idea_theme_id == "") & ~non_answer)
    joined, closeness = _join_nearest_theme(centred, idea_theme_id, orphans, params.join_quantile)
    idea_theme_id[orphans] = joined
    confidence = np.asarray(confidence, dtype=float).copy()
    confidence[orphans] = np.where(joined != "", params.min_confidence * closeness, 0.0)

    # Sub-themes: the clusters named with a theme, largest first.
    sizes = pd.Series(work[work >= 0]).value_counts()
    clusters_of: dict[str, list[int]] = defaultdict(list)
    for cluster in sorted(theme_of, key=lambda c: (-int(sizes.get(c, 0)), c)):
        clusters_of[theme_of[cluster]].append(cluster)
    theme_list = sorted(
        set(idea_theme_id[idea_theme_id != ""].tolist()),
        key=lambda t: (-int((idea_theme_id == t).sum()), t),
    )
    theme_index = {theme: i for i, theme in enumerate(theme_list)}
    idea_theme = np.array([theme_index.get(t, -1) for t in idea_theme_id], dtype=np.int64)

    theme_keywords = _keywords(ideas, idea_theme, params, encoder).keywords_
    representatives = representative_ideas(ideas, embeddings, idea_theme, params.n_representatives)
    subtheme_of: dict[int, tuple[str, str]] = {}
    for theme, clusters in clusters_of.items():
        if len(clusters) < 2:
            continue
        inside = np.isin(work, clusters)
        sibling = _keywords(ideas[inside], work[inside], params, encoder).keywords_
        shared = set.intersection(*(set(sibling.get(c, [])) for c in clusters))
        used: Counter[str] = Counter()
        for k, cluster in enumerate(clusters, start=1):
            own = [w for w in sibling.get(cluster, []) if w not in shared]
            name = _keyword_name(own or sibling.get(cluster, []), params.n_name_keywords)
            name = name or _keyword_name(
                cluster_keywords.keywords_[cluster], params.n_name_keywords
            )
            used[name] += 1
            if used[name] > 1:
                name = f"{name} ({used[name]})"
            subtheme_of[cluster] = (f"{theme}/{k}", name)
    idea_subtheme = _subtheme_clusters(centred, work, idea_theme_id, theme_of, clusters_of)

    votes = (
        pd.to_numeric(ideas["votes"], errors="coerce").fillna(0.0).to_numpy()
        if "votes" in ideas.columns
        else np.zeros(len(ideas))
    )
    responses = ideas["response_id"].astype(str).to_numpy()
    by_id = {theme.id: theme for theme in namer.themes_}
    theme_rows = []
    for theme in theme_list:
        inside = idea_theme == theme_index[theme]
        clusters = clusters_of.get(theme, [])
        if theme in by_id:
            name_lv, name_en = by_id[theme].name_lv, by_id[theme].name_en
        else:
            # a new theme is named by the ideas it keeps (members named with a taxonomy theme
            # have left it), falling back to its cluster's name
            own = _keyword_name(
                list(theme_keywords.get(theme_index[theme], [])), params.n_name_keywords
            )
            name_lv = name_en = own or info.loc[clusters[0], "name_lv"]
        per_response = pd.Series(votes[inside]).groupby(responses[inside]).max()
        theme_rows.append(
            {
                "theme": theme,
                "name_lv": name_lv,
                "name_en": name_en,
                "keywords": list(theme_keywords.get(theme_index[theme], [])),
                "n_ideas": int(inside.sum()),
                "n_responses": int(len(per_response)),
                "votes": float(per_response.sum()),
                "confidence": float(confidence[inside].mean()),
                "is_new": theme not in by_id,
                "subthemes": [subtheme_of[c][1] for c in clusters if c in subtheme_of],
                "subtheme_labels": [subtheme_of[c][0] for c in clusters if c in subtheme_of],
                "representatives": representatives.get(theme_index[theme], []),
                "clusters": clusters,
            }
        )
    themes_table = pd.DataFrame(theme_rows, columns=list(THEME_COLUMNS))
    themes_table = themes_table.sort_values(
        ["n_ideas", "theme"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)

    if membership is None:
        member_confidence = np.ones(len(ideas))
    else:
        member_confidence = np.clip(np.asarray(membership, dtype=float), 0.0, 1.0)
        if member_confidence.shape != (len(ideas),):
            raise ValueError(f"expected {len(ideas)} membership values")
    assignments = pd.DataFrame(
        {
            "idea_id": ideas["idea_id"].to_numpy(),
            "cluster": given_labels,
            "theme": [str(t) for t in idea_theme_id],
            "subtheme": [subtheme_of.get(c, ("", ""))[0] for c in idea_subtheme.tolist()],
            "subtheme_name": [subtheme_of.get(c, ("", ""))[1] for c in idea_subtheme.tolist()],
            "theme_confidence": np.where(idea_theme >= 0, confidence * member_confidence, 0.0),
        },
        columns=list(ASSIGNMENT_COLUMNS),
    )
    moved = (work >= 0) & (idea_theme_id != np.array([theme_of.get(c, "") for c in work.tolist()]))
    logger.info(
        "themes: %d clusters -> %d themes (%d new, %d with sub-themes); "
        "%d ideas named apart from their cluster",
        len(names),
        len(themes_table),
        len(new_clusters),
        sum(len(c) > 1 for c in clusters_of.values()),
        int(moved.sum()),
    )
    return themes_table, assignments


def _subtheme_clusters(
    embeddings: np.ndarray,
    labels: np.ndarray,
    idea_themes: np.ndarray,
    theme_of: Mapping[int, str],
    clusters_of: Mapping[str, Sequence[int]],
) -> np.ndarray:
    """The cluster whose sub-theme each idea belongs to (-1: none).

    An idea named like its cluster is in that cluster's sub-theme; an idea named apart from
    its cluster joins the sub-theme of its theme with the nearest centroid, so that every idea
    of a theme with sub-themes is in one of them.
    """
    result = np.full(len(labels), -1, dtype=np.int64)
    centroids: dict[int, np.ndarray] = {}
    for i, (cluster, theme) in enumerate(zip(labels.tolist(), idea_themes.tolist(), strict=True)):
        if not theme:
            continue
        if cluster >= 0 and theme_of.get(cluster) == theme:
            result[i] = cluster
            continue
        siblings = list(clusters_of.get(theme, []))
        if len(siblings) < 2:
            continue
        for sibling in siblings:
            if sibling not in centroids:
                centroids[sibling] = _unit_rows(
                    np.nan_to_num(embeddings[labels == sibling]).mean(axis=0, keepdims=True)
                )[0]
        row = np.nan_to_num(embeddings[i])
        result[i] = max(siblings, key=lambda c: float(row @ centroids[c]))
    return result


def _keywords(
    ideas: pd.DataFrame,
    labels: np.ndarray,
    params: ThemesParams,
    encoder: Encoder,
    n_keywords: int | None = None,
) -> ClusterKeywords:
    n = n_keywords or params.n_keywords
    return ClusterKeywords(
        n_keywords=n,
        ngram_max=params.ngram_max,
        mmr_diversity=params.mmr_diversity,
        bigram_min_count=params.bigram_min_count,
        bigram_share=params.bigram_share,
        n_candidates=3 * n,
        exclude_territory_names=params.exclude_territory_names,
        model=encoder,
    ).fit(ideas, labels)
