"""SWOT quadrants and question frames, measured: ``python -m benchmarks.swot_frames``.

Figures:

- the proposals sample (``data/raw/proposals.csv``, no questions): SWOT macro-F1 against
  ``data/reference/proposals_gold.csv`` as ``dvc repro`` wrote it to ``metrics/swot.json``, and
  the share of answers with no praise cue (none of the cue file's ``strength_cues``) that come
  out S, from ``data/processed/idea_swot.parquet``;
- hand-written survey answers with their questions (``tests/data/survey_frames.csv``, written
  for Balsis apart from the labelled set): the share of answers to lack questions in W and of
  answers to wish questions in S, with the frames and without them (the question left out);
- the labelled set's cross-validated scores (``metrics/swot_cv.json``);
- real text (``../shared/realdata/sib200``, if present beside the checkout): SIB-200 sentences
  are news and encyclopedia sentences, not proposals, so no gold quadrant; the share that comes
  out S with and without the praise rule shows what the rule does to text nobody here wrote.

``measure()`` returns the figures, ``render()`` the Markdown for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.embed.encoder import load_sentence_model, resolve_model
from pipeline.embed.texts import embed_texts
from pipeline.params import Params, SwotParams, load_params
from pipeline.swot.assign import assign_swot
from pipeline.swot.cues import CueMatcher
from pipeline.swot.frames import question_frames
from pipeline.swot.persist import swot_model_from_params
from pipeline.swot.train import prepare_statements

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "tests" / "data" / "survey_frames.csv"
SIB = ROOT.parent / "shared" / "realdata" / "sib200"
MODELS = ROOT / "models"

logger = logging.getLogger(__name__)


def _no_praise_s_share(idea_swot: pd.DataFrame, matcher: CueMatcher) -> dict[str, Any]:
    """Answers without a strength cue, and the share of them that came out S."""
    answers = idea_swot[idea_swot["swot"].fillna("") != ""]
    strength = set(matcher.strength_cue_ids)
    no_praise = answers[[not (strength & set(c)) for c in answers["swot_cues"]]]
    return {
        "answers": len(answers),
        "no_praise": len(no_praise),
        "no_praise_in_S": float((no_praise["swot"] == "S").mean()) if len(no_praise) else 0.0,
        "shares": answers["swot"].value_counts(normalize=True).round(4).to_dict(),
    }


def proposals_sample(matcher: CueMatcher) -> dict[str, Any]:
    """The sample's figures from the DVC outputs (run ``dvc repro`` first)."""
    metrics = json.loads((ROOT / "metrics" / "swot.json").read_text(encoding="utf-8"))
    idea_swot = pd.read_parquet(ROOT / "data" / "processed" / "idea_swot.parquet")
    return {
        "macro_f1": metrics["macro_f1"],
        "f1": {q: metrics[f"f1_{q}"] for q in "SWOT"},
        **_no_praise_s_share(idea_swot, matcher),
    }


def _ideas(texts: list[str], questions: list[str] | None) -> pd.DataFrame:
    prepared = prepare_statements(texts)
    ideas = pd.DataFrame(
        {
            "idea_id": [f"a{i}" for i in range(len(texts))],
            "text_normalised": prepared["text_normalised"],
            "language": prepared["language"],
            "lemmas": prepared["lemmas"],
            "non_answer": False,
        }
    )
    if questions is not None:
        ideas["question"] = questions
    return ideas


def _assign(
    ideas: pd.DataFrame, encoder: Any, params: Params, swot: SwotParams, matcher: CueMatcher
) -> pd.DataFrame:
    embeddings, _ = embed_texts(
        ideas["text_normalised"].tolist(),
        encoder,
        prompt_name=params.embed.prompt_name,
        progress=False,
    )
    model = swot_model_from_params(swot, matcher, model_dir=MODELS / "swot", encoder=encoder)
    return assign_swot(
        ideas,
        embeddings,
        model,
        matcher,
        adapt_priors=swot.adapt_priors,
        adapt_min_ideas=swot.adapt_min_ideas,
        s_without_praise=swot.s_without_praise,
        frame_overrides=swot.question_frames,
    )


def survey_answers(encoder: Any, params: Params, matcher: CueMatcher) -> dict[str, Any]:
    """Lack answers in W, wish answers in S: with the question's frame and without it."""
    survey = pd.read_csv(SURVEY, dtype=str, keep_default_na=False)
    frames = question_frames(survey["question"], params.swot.question_frames)
    frame = survey["question"].map(frames).to_numpy()
    gold = survey["quadrant"].to_numpy()
    results: dict[str, Any] = {
        "answers": len(survey),
        "questions": {q: f for q, f in frames.items()},
    }
    for name, questions in (("with_frames", list(survey["question"])), ("without", None)):
        swot = _assign(
            _ideas(list(survey["answer"]), questions), encoder, params, params.swot, matcher
        )
        got = swot["swot"].astype(str).to_numpy()
        results[name] = {
            "lack_in_W": float((got[frame == "lack"] == "W").mean()),
            "wish_in_S": float((got[frame == "wish"] == "S").mean()),
            "accuracy": float((got == gold).mean()),
            "frame_decided": int(swot["swot_evidence"].str.contains("jautājums:").sum()),
        }
    return results


def labelled_cv() -> dict[str, Any]:
    """The labelled set's cross-validated scores as ``dvc repro`` wrote them."""
    report = json.loads((ROOT / "metrics" / "swot_cv.json").read_text(encoding="utf-8"))
    return {
        "n": report["n_statements"],
        "macro_f1": report["cv"]["macro_f1"],
        "by_style": report.get("cv_macro_f1_by_style", {}),
    }


def real_text(encoder: Any, params: Params, matcher: CueMatcher) -> dict[str, Any] | None:
    """Share of SIB-200 sentences (lv, ru) in S, with and without the praise rule."""
    if not SIB.exists():
        return None
    results: dict[str, Any] = {}
    for language in ("lv", "ru"):
        texts = pd.read_csv(SIB / f"sib200_{language}_traindev.csv", dtype=str)["text"].tolist()
        ideas = _ideas(texts, None)
        for name, factor in (("praise_rule", params.swot.s_without_praise), ("without", 1.0)):
            swot = dataclasses.replace(params.swot, s_without_praise=factor)
            got = _no_praise_s_share(_assign(ideas, encoder, params, swot, matcher), matcher)
            results[f"{language}_{name}"] = got
    return results


def measure() -> dict[str, Any]:
    """Every figure of this benchmark (reads the DVC outputs; embeds the survey answers)."""
    params = load_params()
    matcher = CueMatcher()
    encoder = load_sentence_model(resolve_model(params.embed.model, MODELS))
    return {
        "proposals": proposals_sample(matcher),
        "survey": survey_answers(encoder, params, matcher),
        "labelled_cv": labelled_cv(),
        "real": real_text(encoder, params, matcher),
        "s_without_praise": params.swot.s_without_praise,
    }


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render(results: dict[str, Any]) -> str:
    """The figures as a Markdown section."""
    p, s, cv = results["proposals"], results["survey"], results["labelled_cv"]
    w, wo = s["with_frames"], s["without"]
    lines = [
        "## SWOT quadrants and question frames",
        "",
        f"`swot.s_without_praise`: {results['s_without_praise']}.",
        "",
        "| figure | value | target |",
        "| --- | --- | --- |",
        f"| proposals sample: SWOT macro-F1 | {p['macro_f1']:.3f} | >= 0.80 |",
        f"| proposals sample: answers with no praise cue that come out S | "
        f"{_pct(p['no_praise_in_S'])} ({p['no_praise']} answers) | <= 5% |",
        f"| survey answers: lack answers in W | {_pct(w['lack_in_W'])} "
        f"(without the question: {_pct(wo['lack_in_W'])}) | >= 90% |",
        f"| survey answers: wish answers in S | {_pct(w['wish_in_S'])} "
        f"(without the question: {_pct(wo['wish_in_S'])}) | <= 5% |",
        f"| survey answers: right quadrant | {_pct(w['accuracy'])} "
        f"(without the question: {_pct(wo['accuracy'])}) | |",
        f"| labelled set ({cv['n']} statements): 5-fold CV macro-F1 | {cv['macro_f1']:.3f} | |",
        "",
        f"Survey answers: {s['answers']} written for Balsis (`tests/data/survey_frames.csv`); "
        f"the frame decided the quadrant of {w['frame_decided']}. Questions and their frames: "
        + "; ".join(f'"{q}" {f}' for q, f in s["questions"].items())
        + ".",
    ]
    if cv["by_style"]:
        lines += [
            "",
            "Labelled-set CV macro-F1 by style: "
            + ", ".join(f"{k} {v:.3f}" for k, v in cv["by_style"].items())
            + ".",
        ]
    real = results.get("real")
    if real is None:
        lines += ["", "Real text: skipped: no ../shared/realdata."]
    else:
        lines += [
            "",
            "Real text (SIB-200 train+dev, news and encyclopedia sentences, no gold quadrant): "
            "sentences in S",
        ]
        for language in ("lv", "ru"):
            with_rule, without = real[f"{language}_praise_rule"], real[f"{language}_without"]
            lines.append(
                f"- {language}: {_pct(with_rule['shares'].get('S', 0.0))} with the praise rule, "
                f"{_pct(without['shares'].get('S', 0.0))} without "
                f"({with_rule['answers']} sentences, {with_rule['no_praise']} without a praise cue)"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    results = measure()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.write(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
