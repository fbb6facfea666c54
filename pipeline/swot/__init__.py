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
