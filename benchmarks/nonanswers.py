"""Non-answer detection measured on hand-written forms (``tests/data/nonanswer_forms.csv``).

The forms were written before the patterns (``pipeline/normalise/data/non_answer_patterns.txt``)
and kept apart from them: the patterns were never edited to fit a form, nor the forms to fit
a pattern. Run with ``python -m benchmarks.nonanswers``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.normalise.nonanswers import is_non_answer

FORMS = Path(__file__).resolve().parent.parent / "tests" / "data" / "nonanswer_forms.csv"


def load_forms(path: Path = FORMS) -> list[dict[str, str]]:
    """The rows (form, label, language) of the forms file; '#' lines are its header comment."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _scores(rows: list[dict[str, str]]) -> dict[str, object]:
    truth = [row["label"] == "non-answer" for row in rows]
    flagged = [is_non_answer(row["form"]) for row in rows]
    tp = sum(t and f for t, f in zip(truth, flagged, strict=True))
    return {
        "n": len(rows),
        "n_non_answers": sum(truth),
        "precision": tp / max(1, sum(flagged)),
        "recall": tp / max(1, sum(truth)),
        "false_positives": [
            r["form"] for r, t, f in zip(rows, truth, flagged, strict=True) if f and not t
        ],  # fmt: skip
        "missed": [r["form"] for r, t, f in zip(rows, truth, flagged, strict=True) if t and not f],
    }


def measure(path: Path = FORMS) -> dict[str, object]:
    """Precision and recall of :func:`is_non_answer` overall and per language."""
    rows = load_forms(path)
    languages = sorted({row["language"] for row in rows})
    return {
        "overall": _scores(rows),
        "by_language": {
            lang: _scores([row for row in rows if row["language"] == lang]) for lang in languages
        },
    }


def render(figures: dict[str, object]) -> str:
    """A Markdown section with the figures of :func:`measure`."""
    overall = figures["overall"]
    lines = [
        "## Non-answers",
        "",
        f"{overall['n']} hand-written forms ({overall['n_non_answers']} non-answers, the rest "
        'answers phrased like them: "Nav ceļu", "Нет врача"), '
        "`tests/data/nonanswer_forms.csv`, written before the patterns and kept apart from them.",
        "",
        "| language | forms | non-answers | precision | recall |",
        "|---|---:|---:|---:|---:|",
    ]
    for lang, scores in [*figures["by_language"].items(), ("all", overall)]:
        lines.append(
            f"| {lang} | {scores['n']} | {scores['n_non_answers']} | "
            f"{scores['precision']:.3f} | {scores['recall']:.3f} |"
        )
    for key, title in (("false_positives", "Answers flagged"), ("missed", "Non-answers missed")):
        if overall[key]:
            lines += ["", f"{title}: " + "; ".join(f'"{form}"' for form in overall[key])]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(measure()), end="")
