"""Latvian-aware normalisation: one row per idea, flagged but never deleted.

Modules: :mod:`~pipeline.normalise.clean` (text clean-up, matching key),
:mod:`~pipeline.normalise.split` (one response into ideas), :mod:`~pipeline.normalise.nonanswers`,
:mod:`~pipeline.normalise.language` (detection), :mod:`~pipeline.normalise.duplicates`, and
:mod:`~pipeline.normalise.ideas`: the step itself, whose module docs list the ideas table's columns.
"""
