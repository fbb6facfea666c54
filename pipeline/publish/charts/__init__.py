"""Charts for the planner: keywords, priorities, the SVID matrix, heatmaps, a map of ideas, votes.

Every plot function takes plain tables and returns a :class:`matplotlib.figure.Figure`; nothing
here draws on screen or writes a file except :func:`pipeline.publish.charts.build.save_figures`.
Text is Latvian by default (``lang="en"`` for English), drawn in one font that has every Latvian
and Cyrillic letter (:mod:`pipeline.publish.charts.style`), through a matplotlib rc context: the
global ``rcParams`` are never changed.

What counts: an idea is *visible* unless a person hid it (``hidden``) or it says nothing
(``non_answer``); hidden ideas and non-answers are left out of every count and every chart.
Theme names, keywords, territories, groups and the other labels pass the publication boundary
(:func:`pipeline.publish.boundary.public_text`) unless ``redact=False``, because the charts are
published.

Tables and the columns each chart needs (the reviewed tables of :mod:`pipeline.review.table`):

* ``ideas`` (one row per idea): ``theme``, ``hidden``, ``non_answer``; the keyword chart also
  ``content_lemmas`` (and uses ``lemmas``, ``text_normalised`` when present); the heatmap the
  ``territory`` or ``group`` column (and ``theme_name`` when no themes table is given); the map
  uses ``outlier`` and ``theme_by_person`` when present.
* ``themes`` (one row per theme): ``theme``, ``name_lv`` (``name_en``, ``renamed``, ``is_new``
  are used for English); the keyword chart also ``keywords``; the SVID matrix also ``n_ideas``,
  ``swot_dominant``, ``swot_share_S/W/O/T`` (``swot_n`` when present), i.e. the themes joined
  with ``theme_swot``; the votes chart also ``n_ideas`` and ``votes``.
* ``priorities``: ``theme``, ``priority_rank``, ``priority_score`` and the ``part_*`` columns.
"""
