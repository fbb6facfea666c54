"""The charts of a run: the one list of their names.

A chart is saved as ``<name>.png`` and ``<name>.svg`` and the report embeds it by that name.
Kept apart from the drawing code so that the report can read the list without matplotlib.
"""

from __future__ import annotations

# In the order the report shows them: the priorities in their own section, then the rest.
FIGURE_NAMES = (
    "priorities",
    "svid_matrix",
    "keywords",
    "heatmap_territory",
    "heatmap_group",
    "votes",
    "document_map",
)
