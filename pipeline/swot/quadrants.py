"""The four SWOT (SVID) quadrants, in the order every table and probability column uses."""

from __future__ import annotations

QUADRANTS: tuple[str, ...] = ("S", "W", "O", "T")
# Headings as the SVID table and the report print them.
QUADRANT_NAMES_LV = {
    "S": "Stiprās puses",
    "W": "Vājās puses",
    "O": "Iespējas",
    "T": "Draudi",
}
QUADRANT_NAMES_EN = {"S": "Strengths", "W": "Weaknesses", "O": "Opportunities", "T": "Threats"}
