"""The run layer on a Ray cluster: the same jobs, snapshots and run panel as the thread backend, for a class
spread over several app replicas.

Only :mod:`models.runs.backend` imports this package, and only when ``GENLAB_RAY_ADDRESS`` is set, so
``python app.py`` on a laptop never imports Ray (it is not in ``requirements.txt``). Read in this order:

- :mod:`~models.runs.cluster.connect`: joining the cluster (by address, or ``local`` for an embedded one),
  token authentication, whether it has a GPU.
- :mod:`~models.runs.cluster.pool_actor`: ``PoolActor``, the cluster-wide cap and queue, and the registry
  from run keys to actors (and finished runs' last records).
- :mod:`~models.runs.cluster.run_actor`: ``RunActor`` trains one job with an ordinary
  :class:`models.runs.run.Run` in its own worker process.
- :mod:`~models.runs.cluster.proxy`: ``RayRun``, what a page holds instead of a :class:`~models.runs.run.Run`
  (same methods), which remembers the last snapshot, so a killed worker leaves its picture on the page.
- :mod:`~models.runs.cluster.pool`: ``RayPool``, the :class:`~models.runs.pool.RunPool` of the cluster.
"""

import os as _os
import sys as _sys

# Ray reads RAY_AUTH_MODE when it is imported, and every module of this package imports it: a token in the
# environment (RAY_AUTH_TOKEN or RAY_AUTH_TOKEN_PATH, as deploy/cluster.sh sets) means token mode, decided
# here, before any of them loads.
if "ray" not in _sys.modules and (_os.environ.get("RAY_AUTH_TOKEN") or _os.environ.get("RAY_AUTH_TOKEN_PATH")):
    _os.environ.setdefault("RAY_AUTH_MODE", "token")
