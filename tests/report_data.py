"""A small reviewed pipeline output with hostile and personal text, for report tests."""

from __future__ import annotations

import pandas as pd

from pipeline.params import Params
from pipeline.publish.report.inputs import ReportInputs
from pipeline.summary.priority import priorities
from pipeline.summary.svid import svid_table, theme_swot

SCRIPT = "<script>document.title='pwned'</script> Vajag jaunu soliņu"
IMG = '<img src=x onerror="document.title=1"> Parkā nav apgaismojuma'
FORMULA = '=HYPERLINK("http://example.com","klikšķini") ceļš uz skolu bedrains'
PHONE = "Zvaniet man +371 29 123 456, pastāstīšu par bedrēm"
EMAIL = "Rakstiet uz janis.berzins@inbox.lv par autobusu"

ROWS = [
    # idea_id, text, theme, swot, territory, group, votes
    ("1-1", "Ceļš uz Kalnājiem pilns ar bedrēm", "roads", "W", "Kalnāji", "iedzīvotājs", 3),
    ("2-1", "Iela pie skolas bez ietves, bīstami", "roads", "T", "Rudzupe", "jaunā ģimene", 5),
    ("3-1", FORMULA, "roads", "W", "Rudzupe", "seniors", 1),
    ("4-1", PHONE, "roads", "W", "Kalnāji", "iedzīvotājs", 0),
    ("5-1", "Asfalts uz Dzērvju ceļa labs", "roads", "S", "Dzērves", "iedzīvotājs", 2),
    ("6-1", "Autobuss uz Rīgu tikai divreiz dienā", "transport", "W", "Dzērves", "seniors", 4),
    ("7-1", EMAIL, "transport", "W", "Kalnāji", "jaunietis", 2),
    ("8-1", "Vakara reiss uz pilsētu ļautu strādāt", "transport", "O", "Rudzupe", "jaunietis", 6),
    ("9-1", SCRIPT, "parks", "W", "Rudzupe", "jaunā ģimene", 1),
    ("10-1", IMG, "parks", "W", "Kalnāji", "seniors", 2),
    ("11-1", "Ezera krastu varētu sakopt atpūtai", "parks", "O", "Dzērves", "iedzīvotājs", 3),
    ("12-1", "nav", "", "", "Dzērves", "iedzīvotājs", 0),
    ("13-1", "Šo ideju plānotājs paslēpa", "parks", "W", "Dzērves", "iedzīvotājs", 9),
]
NAMES = {"roads": "Ceļi un ielas", "transport": "Sabiedriskais transports", "parks": "Parki"}


def report_inputs(**changes: object) -> ReportInputs:
    ideas = pd.DataFrame(
        [
            {
                "response_id": idea_id.split("-")[0],
                "idea_id": idea_id,
                "text": text,
                "text_clean": text,
                "language": "lv",
                "non_answer": text == "nav",
                "duplicate_of": None,
                "territory": territory,
                "group": group,
                "source": "aptauja",
                "date": "2026-03-14",
                "votes": float(votes),
                "theme": theme,
                "theme_confidence": 0.9,
                "outlier": False,
                "swot": swot,
                "swot_confidence": 0.8,
                "swot_evidence": "",
                "urgency": int("bīstami" in text),
                "hidden": idea_id == "13-1",
                "theme_by_person": idea_id == "8-1",
                "swot_by_person": idea_id == "2-1",
            }
            for idea_id, text, theme, swot, territory, group, votes in ROWS
        ]
    )
    ideas["duplicate_of"] = ideas["duplicate_of"].astype("string")
    visible = ideas[~ideas["hidden"]]
    themes = pd.DataFrame(
        {
            "theme": list(NAMES),
            "name_lv": list(NAMES.values()),
            "name_en": ["Ceļi un ielas", "Public transport", "Parks"],  # renamed in Latvian only
            "keywords": [["ceļš", "bedre", "iela"], ["autobuss", "reiss"], ["parks", "ezers"]],
            "n_ideas": [5, 3, 3],
            "n_responses": [5, 3, 3],
            "votes": [11.0, 12.0, 6.0],
            "is_new": [False, False, False],
            "renamed": [True, False, False],
            "representatives": [["1-1", "3-1"], ["6-1"], ["9-1", "10-1"]],
        }
    )
    answered = visible[visible["theme"] != ""]
    values = {
        "ideas": ideas,
        "themes": themes,
        "priorities": priorities(answered, Params().priority.weights),
        "svid": svid_table(answered, NAMES, min_ideas=1, min_share=0.0),
        "theme_swot": theme_swot(answered).reset_index(),
        "review_log": {
            "applied": [{"kind": "rename", "target": "roads", "detail": "Ceļi un ielas"}],
            "unmatched": [{"kind": "move", "target": "99-1", "reason": "no idea 99-1"}],
        },
        "report": Params().report,
        "source_name": "aptauja.xlsx",
    }
    values.update(changes)
    return ReportInputs(**values)  # type: ignore[arg-type]
