"""Survey exports: one response per answer, each with the question it answers.

A *wide* file (Google Forms, LimeSurvey, a municipality's Excel) has one row per respondent and
one column per question: every non-empty answer cell becomes a response with the id
``<respondent>-q<k>`` (``k``: the question's place in ``ingest.questions``, from 1) and the
column's header, as written in the file, as its question. A *long* file has one row per answer
and a column naming the question: a respondent id may then repeat (once per question), and
the responses get the id ``<id>-q<k>`` (``k``: the question's place in order of first
appearance) when it does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from pipeline.errors import InputError
from pipeline.ingest.values import cell_text

logger = logging.getLogger(__name__)


def wide_answers(
    table: pd.DataFrame, question_columns: Sequence[str], respondents: Sequence[str]
) -> tuple[list[int], list[str], list[str], list[str]]:
    """Every non-empty answer of a wide file, respondent by respondent, in question order.

    Args:
        table: One row per respondent.
        question_columns: The free-text question columns, as the file names them.
        respondents: The id of each row of ``table``.

    Returns:
        Per answer: the position of its row in ``table``, its response id
        (``<respondent>-q<k>``), its question (the column header) and its text as written.
    """
    positions: list[int] = []
    response_ids: list[str] = []
    questions: list[str] = []
    texts: list[str] = []
    cells = zip(*(table[column] for column in question_columns), strict=True)
    for position, (respondent, answers) in enumerate(zip(respondents, cells, strict=True)):
        for k, (column, value) in enumerate(zip(question_columns, answers, strict=True), 1):
            text = cell_text(value)
            if not text.strip():
                continue
            positions.append(position)
            response_ids.append(f"{respondent}-q{k}")
            questions.append(column)
            texts.append(text)
    silent = len(respondents) - len(set(positions))
    if silent:
        logger.info(
            "%d of %d respondents answered none of the %d question(s); their tick boxes "
            "still count",
            silent,
            len(respondents),
            len(question_columns),
        )
    return positions, response_ids, questions, texts


def long_ids(
    ids: Sequence[str],
    questions: Sequence[str],
    rows: Sequence[int],
    column: str | None,
    source: str,
) -> list[str]:
    """The response ids of a long file whose ``ids`` name respondents (and may repeat).

    Unique ids are kept as they are; when an id repeats, every response gets
    ``<id>-q<k>``, ``k`` being the question's place in order of first appearance.

    Raises:
        InputError: One respondent answers one question in two rows.
    """
    if len(set(ids)) == len(ids):
        return list(ids)
    first_row: dict[tuple[str, str], int] = {}
    for row, id_, question in zip(rows, ids, questions, strict=True):
        key = (id_, question)
        if key in first_row:
            raise InputError(
                source,
                f"respondent '{id_}' answers the question '{question}' twice: rows "
                f"{first_row[key]} and {row}",
                row=row,
                column=column,
                hint="each row of a long file is one respondent's answer to one question",
            )
        first_row[key] = row
    order = {question: k for k, question in enumerate(dict.fromkeys(questions), start=1)}
    return [f"{id_}-q{order[question]}" for id_, question in zip(ids, questions, strict=True)]
