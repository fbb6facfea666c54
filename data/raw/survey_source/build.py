"""Build the bundled survey sample from its hand-written answers.

``answers.tsv`` (beside this file) holds every free-text answer of the sample with its gold
quadrant and theme, written for Balsis. This script deals them out to 170 invented respondents
of an invented rural municipality (seeded, so every run gives the same file), draws the
respondents' age group, residence and tick boxes, and writes:

- ``data/raw/survey.xlsx``: the survey as a form export has it, one row per respondent;
- ``data/raw/survey_source/survey.csv``: the same table as text, to review and diff;
- ``data/reference/survey_gold.csv``: one row per written answer: ``respondent``, ``question``
  (the column header), ``frame`` (what the question asks for: ``lack``, ``wish`` or ``pride``),
  ``quadrant`` (S/W/O/T, empty for a non-answer), ``theme`` (taxonomy id,
  ``new:<label>`` for a theme the taxonomy lacks, ``a;b`` when an answer names two, empty for a
  non-answer) and ``answer``.

How the answers are labelled (``quadrant``):

- an answer to the lack question ("Kas jūsu pagastā visvairāk pietrūkst?") is a weakness (W)
  unless it clearly praises ("Nekā netrūkst, man te patīk": S);
- an answer to the wish question is W when it asks for a basic service or facility the parish
  lacks or has too little of (a repaired road, a doctor, a bus, a playground, a sports ground,
  a youth centre, longer opening hours), and an opportunity (O) when it proposes something new
  to build on (tourism, a market, events and festivals, courses, a use for an empty building
  or for the lake, support for businesses, a participatory budget); never S. The same rule as
  ``pipeline/swot/data/question_frames.yaml``;
- an answer to the pride question is a strength (S) unless it says there is nothing to be
  proud of (W).

``theme`` is the taxonomy theme the answer is about (``data/reference/themes.yaml``), or a
``new:`` label for the local shop and post office, the community and general statements.

Run from the repository root: ``python data/raw/survey_source/build.py``. The XLSX is byte for
byte the same on every run (fixed document dates and ZIP entry times).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[3]
SOURCE = Path(__file__).resolve().parent / "answers.tsv"
XLSX = ROOT / "data" / "raw" / "survey.xlsx"
CSV_TWIN = Path(__file__).resolve().parent / "survey.csv"
GOLD = ROOT / "data" / "reference" / "survey_gold.csv"

N_RESPONDENTS = 170
SEED = 15
FIXED_TIME = dt.datetime(2026, 4, 1, 12, 0, 0)

QUESTIONS = {
    "lack": "Kas jūsu pagastā visvairāk pietrūkst?",
    "wish": "Jūsu ieteikumi un idejas: ko pagastā vajadzētu izveidot vai uzlabot?",
    "pride": "Ar ko jūs lepojaties savā pagastā? Kas šeit darbojas labi?",
}
AREAS = "Kuras jomas būtu jāuzlabo pirmām kārtām? (atzīmējiet līdz trim)"
ACTIVITIES = "Kurās aktivitātēs jūs labprāt piedalītos?"
TIMESTAMP, NUMBER, AGE, RESIDENCE = "Laikspiedols", "Anketas Nr.", "Vecuma grupa", "Dzīvesvieta"
HEADER = [TIMESTAMP, NUMBER, AGE, RESIDENCE, *QUESTIONS.values(), AREAS, ACTIVITIES]

AGE_GROUPS = {"līdz 18": 12, "18–25": 18, "26–40": 40, "41–62": 60, "63 un vairāk": 40}
PLACES = {
    "Silciems": 50,
    "Vīksnas pagasts": 40,
    "Ozolmuiža": 30,
    "Lazdukalna pagasts": 35,
    "Cits": 15,
}
# The tick-box options in the form's order, and the theme each one is about (only to make a
# respondent tick what they also wrote about more often than chance).
AREA_OPTIONS = {
    "Ceļi un ielas": "roads",
    "Veselības aprūpe": "healthcare",
    "Sabiedriskais transports": "public_transport",
    "Darba vietas": "business_jobs",
    "Jauniešu brīvais laiks": "youth",
    "Sporta un atpūtas vietas": "recreation_sport",
    "Bērnudārzi un rotaļu laukumi": "families_children",
    "Kultūras pasākumi": "culture",
    "Sociālā aprūpe": "seniors_social",
    "Ielu apgaismojums": "safety",
    "Internets un mobilie sakari": "digital",
    "Vide un atkritumi": "environment",
    "Tūrisms": "tourism",
}
AREA_POPULARITY = [30, 16, 14, 18, 10, 8, 6, 7, 6, 8, 6, 4, 3]
# Written into "Cits" (other) by a few respondents: the form keeps their text as an option.
AREA_OTHER = ["veikals", "Pasts", "veikals", "Dzeramais ūdens"]
ACTIVITY_OPTIONS = [
    "Sporta nodarbības",
    "Koncerti un izrādes",
    "Kursi pieaugušajiem",
    "Pulciņi bērniem",
    "Senioru tikšanās",
    "Talkas",
    "Tirdziņi",
]


def read_answers(path: Path = SOURCE) -> dict[str, list[dict[str, str]]]:
    """The hand-written answers per question key, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    answers: dict[str, list[dict[str, str]]] = {key: [] for key in QUESTIONS}
    for row in rows:
        answers[row["question"]].append(row)
    return answers


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _deal(rng: random.Random, answers: list[dict[str, str]]) -> list[dict[str, str] | None]:
    """Every answer to one respondent each, in random order; the rest left blank."""
    if len(answers) > N_RESPONDENTS:
        raise ValueError(f"{len(answers)} answers for {N_RESPONDENTS} respondents")
    slots: list[dict[str, str] | None] = [*answers, *[None] * (N_RESPONDENTS - len(answers))]
    rng.shuffle(slots)
    return slots


def _first_theme(answer: dict[str, str] | None) -> str:
    if answer is None or answer["theme"] == "-":
        return ""
    return answer["theme"].split(";")[0]


def _areas(rng: random.Random, lack: dict[str, str] | None, wish: dict[str, str] | None) -> str:
    options = list(AREA_OPTIONS)
    if rng.random() < 0.06:
        return ""
    wanted = rng.choice([1, 2, 2, 3, 3, 3])
    ticked: set[str] = set()
    for answer, chance in ((lack, 0.75), (wish, 0.4)):
        theme = _first_theme(answer)
        matching = [o for o, t in AREA_OPTIONS.items() if t == theme]
        if matching and rng.random() < chance:
            ticked.add(matching[0])
    while len(ticked) < wanted:
        ticked.add(rng.choices(options, weights=AREA_POPULARITY)[0])
    return ", ".join(o for o in options if o in ticked)


def _activities(rng: random.Random, age: str) -> str:
    if rng.random() < 0.12:
        return ""
    weights = [6, 6, 3, 3, 1, 3, 4]
    if age == "63 un vairāk":
        weights = [1, 6, 2, 1, 8, 3, 5]
    elif age in ("līdz 18", "18–25"):
        weights = [9, 5, 1, 1, 0, 2, 2]
    wanted = rng.choice([1, 1, 2, 2, 3])
    ticked: set[str] = set()
    while len(ticked) < wanted:
        ticked.add(rng.choices(ACTIVITY_OPTIONS, weights=weights)[0])
    return ";".join(o for o in ACTIVITY_OPTIONS if o in ticked)


def build_rows() -> tuple[list[list[object]], list[dict[str, str]]]:
    """The survey rows (as in the export) and the gold rows."""
    rng = random.Random(SEED)
    answers = read_answers()
    dealt = {key: _deal(rng, pool) for key, pool in answers.items()}
    others = iter(sorted(rng.sample(range(N_RESPONDENTS), len(AREA_OTHER))))
    other_at = dict(zip(others, AREA_OTHER, strict=True))
    time = dt.datetime(2026, 3, 2, 9, 12, 41)
    rows: list[list[object]] = []
    gold: list[dict[str, str]] = []
    for i in range(N_RESPONDENTS):
        number = i + 1
        time += dt.timedelta(minutes=rng.randint(3, 280), seconds=rng.randint(0, 59))
        if time.hour < 7:  # nobody answers between midnight and seven
            time = time.replace(hour=7 + time.hour)
        age = _weighted(rng, AGE_GROUPS)
        place = _weighted(rng, PLACES)
        texts = []
        for key, question in QUESTIONS.items():
            answer = dealt[key][i]
            texts.append("" if answer is None else answer["answer"])
            if answer is not None:
                labelled = answer["quadrant"] != "-"
                gold.append(
                    {
                        "respondent": str(number),
                        "question": question,
                        "frame": key,
                        "quadrant": answer["quadrant"] if labelled else "",
                        "theme": answer["theme"] if labelled else "",
                        "answer": answer["answer"],
                    }
                )
        areas = _areas(rng, dealt["lack"][i], dealt["wish"][i])
        if i in other_at:
            areas = ", ".join(part for part in (areas, other_at[i]) if part)
        rows.append([time, number, age, place, *texts, areas, _activities(rng, age)])
    return rows, gold


def _deterministic_zip(data: bytes) -> bytes:
    """The same ZIP with every entry dated ``FIXED_TIME``."""
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            target.writestr(entry, content)
    return out.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """The survey as a workbook with one sheet, like a form's export."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Atbildes"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    workbook.properties.creator = "Balsis"
    workbook.properties.lastModifiedBy = "Balsis"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _deterministic_zip(buffer.getvalue())


def csv_text(rows: list[list[object]]) -> str:
    """The survey as CSV text (timestamps as ``YYYY-MM-DD HH:MM:SS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([v.isoformat(" ") if isinstance(v, dt.datetime) else v for v in row])
    return buffer.getvalue()


def gold_text(gold: list[dict[str, str]]) -> str:
    """The gold labels as CSV text."""
    buffer = io.StringIO()
    fields = ["respondent", "question", "frame", "quadrant", "theme", "answer"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(gold)
    return buffer.getvalue()


def main() -> None:
    rows, gold = build_rows()
    XLSX.write_bytes(xlsx_bytes(rows))
    CSV_TWIN.write_text(csv_text(rows), encoding="utf-8")
    GOLD.write_text(gold_text(gold), encoding="utf-8")
    print(f"{len(rows)} respondents in {XLSX.relative_to(ROOT)}, {len(gold)} answers in the gold")


if __name__ == "__main__":
    main()
