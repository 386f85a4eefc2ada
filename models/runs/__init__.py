"""The run layer: every training in GenLab, live or not, goes through these seven small files.

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
- :mod:`~models.runs.fit`: a model trained whole by its package's ``fit`` function (what
  :func:`models.checkpoints.load_or_train` does when no weights exist) is a job of the pool too, queued and
  capped like the rest, with its progress published from inside its one long step.

The pages draw any run with one panel, :mod:`ui.run_panel`.
"""
