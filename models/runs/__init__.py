"""The run layer: every live training in GenLab goes through these six small files.

Read them in this order:

- :mod:`~models.runs.job`: a **job** is data (model family, config dataclass, dataset name, seed); it can be
  hashed, stored and sent to another process.
- :mod:`~models.runs.family`: each model family registers how a job becomes a **trainer** (networks,
  optimisers, the run's generators) that advances one step at a time and hands out **snapshots** (values:
  numpy arrays and numbers, never a live network).
- :mod:`~models.runs.randomness`: every random draw of a run comes from generators seeded by its job.
- :mod:`~models.runs.checkpoint`: a trainer's whole state (weights, optimiser, step, RNG state) written
  atomically, so a run continues exactly where it stopped.
- :mod:`~models.runs.run`: a **run** drives one trainer in a thread: play, pause, single steps, stop;
  it publishes snapshots for the pages to poll and checkpoints whenever it is about to wait.
- :mod:`~models.runs.pool`: the **pool** caps how many runs train at once, queues the rest and names runs
  by key (``gan/shared`` for the lecture hall, ``gan/<session>`` for one tab).

The pages draw any run with one panel, :mod:`ui.run_panel`.
"""
