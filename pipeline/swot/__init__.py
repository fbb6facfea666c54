"""SWOT (SVID) quadrant of every idea: S stiprās puses, W vājās puses, O iespējas, T draudi.

Residents' proposals are mostly needs (a lack, a problem: W) or ideas to use something (O);
some praise what works (S) or warn of harmful trends (T). The modules:

* :mod:`~pipeline.swot.quadrants`: the four quadrants and their names.
* :mod:`~pipeline.swot.cues`: :class:`~pipeline.swot.cues.CueMatcher` finds linguistic cues
  (lack, debitive "jā-", need, conditional, praise, trend verbs, urgency ...) whose Latvian
  labels are the evidence a planner reads ("trūkums: trūkst; jā- forma: jāsalabo").
* :mod:`~pipeline.swot.classifier`: logistic regression on the sentence embedding plus the cue
  features, trained by :mod:`~pipeline.swot.train` and saved by :mod:`~pipeline.swot.persist`.
* :mod:`~pipeline.swot.prototypes`: the fallback without a labelled set (prototype statements
  plus cue hints) and the cue-only baseline.
* :mod:`~pipeline.swot.priors`: re-weighting to the quadrant shares of the corpus at hand.
* :mod:`~pipeline.swot.assign`: every idea's quadrant, probabilities, evidence and urgency.
"""

# TEMPORARY: re-exports of the names code imported as ``from pipeline.swot import ...`` before
# the package was split into modules. Import from the modules instead; this block goes away
# (leaving only the docstring) once nothing imports from ``pipeline.swot`` directly.
from pipeline.swot.assign import assign_swot
from pipeline.swot.cues import CueMatcher
from pipeline.swot.persist import save_swot_model, swot_model_from_params
from pipeline.swot.train import train_swot

__all__ = ["CueMatcher", "assign_swot", "save_swot_model", "swot_model_from_params", "train_swot"]
