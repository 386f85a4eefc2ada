"""What trains on the cluster, for the admin (and the cluster test, which kills a worker by its PID).

    python -m models.runs.cluster list           # key, status, steps, device, worker PID of every run
    python -m models.runs.cluster pid gan/shared # the PID of the process training that run

Joins the cluster as the app does (``GENLAB_RAY_ADDRESS``, ``RAY_AUTH_TOKEN``), and leaves it again.
"""

from __future__ import annotations

import pickle
import sys

import ray

from .pool_actor import CALL_TIMEOUT_S, POOL_NAME
from .connect import NAMESPACE, connect


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("list", "pid") or (argv[0] == "pid" and len(argv) != 2):
        print(__doc__, file=sys.stderr)
        return 2
    connect()
    try:
        pool = ray.get_actor(POOL_NAME, namespace=NAMESPACE)
    except ValueError:
        print("No runs: no app replica has trained on this cluster yet.", file=sys.stderr)
        return 1
    runs = ray.get(pool.runs.remote(), timeout=CALL_TIMEOUT_S)
    if argv[0] == "pid":
        if argv[1] not in runs:
            print(f"No run under {argv[1]!r}; the cluster has {', '.join(sorted(runs)) or 'none'}.", file=sys.stderr)
            return 1
        print(ray.get(ray.get_actor(runs[argv[1]], namespace=NAMESPACE).pid.remote(), timeout=CALL_TIMEOUT_S))
        return 0
    for key, name in sorted(runs.items()):
        try:
            record = ray.get(ray.get_actor(name, namespace=NAMESPACE).record.remote(), timeout=CALL_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - ended (its record is with the pool) or lost
            record = ray.get(pool.record.remote(name), timeout=CALL_TIMEOUT_S)
            record = None if record is None else pickle.loads(record)
        if record is None:
            print(f"{key}\tlost")
            continue
        snap, meta = record["snapshot"], record["meta"]
        where = f"{meta.get('device')} on {meta.get('node')}"
        print(f"{key}\t{snap.status}\t{snap.steps} steps\t{where}\tpid {meta.get('pid')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
