"""Latvian-aware normalisation: one row per idea, flagged but never deleted.

Modules: :mod:`~pipeline.normalise.clean` (text clean-up, matching key),
:mod:`~pipeline.normalise.split` (one response into ideas), :mod:`~pipeline.normalise.nonanswers`,
:mod:`~pipeline.normalise.language` (detection), :mod:`~pipeline.normalise.duplicates`, and
:mod:`~pipeline.normalise.ideas`: the step itself, whose module docs list the ideas table's columns.
"""

# TEMPORARY re-exports for modules outside pipeline/normalise that still import these names
# from the package; remove once they import the submodules directly.
from pipeline.normalise.clean import clean_text
from pipeline.normalise.ideas import normalise_responses, normalise_text
from pipeline.normalise.language import detect_language

__all__ = ["clean_text", "detect_language", "normalise_responses", "normalise_text"]
