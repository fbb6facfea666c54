"""The step layer: one module per stage, one function per step, shared by both fronts.

``pipeline.steps.<stage>`` takes the stage's inputs and its own params sections and returns its
outputs. The DVC stage of the same name (``pipeline/stages/<stage>.py``) reads the inputs from
files, calls the step and writes what it returns; ``balsis run`` (:mod:`pipeline.workflow`) calls
every step in one process. So both routes compute the same thing, a step's signature says which
params it reads (the sections its stage declares in ``dvc.yaml``), and a stage depends only on the
code of its own step.
"""
