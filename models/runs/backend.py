"""Which run pool this app process uses: threads on this machine, or a Ray cluster.

``python app.py`` trains every run in a thread of the app process (:class:`~models.runs.pool.RunPool`);
nothing here imports Ray then. With ``GENLAB_RAY_ADDRESS=host:port`` (or ``local``), every run is an actor on
the cluster (:class:`~models.runs.cluster.pool.RayPool`), shared by all the app replicas that join it. The
launcher calls :func:`connect_if_configured` in its main thread before Streamlit starts; the pages call
:func:`pool`. When the cluster cannot be joined, the app keeps working on threads and :func:`fallback_reason`
says why, for the run panel to show.
"""

from __future__ import annotations

import sys
import threading

from .pool import RunPool, default_pool

_POOL = None
_FALLBACK: str | None = None
_GUARD = threading.Lock()


def connect_if_configured() -> str | None:
    """Join the cluster named by ``GENLAB_RAY_ADDRESS``, if any. Returns None on success or when no cluster
    is configured, else the reason the app falls back to threads (also printed for the admin)."""
    global _FALLBACK
    from .cluster.connect import address  # Ray-free: it only reads the variable

    if address() is None:
        return None
    from .cluster.connect import ClusterUnavailable, connect

    try:
        connect()
    except ClusterUnavailable as exc:
        _FALLBACK = f"{exc} Training runs on this app server's own threads meanwhile."
        print(f"GenLab: {_FALLBACK}", file=sys.stderr, flush=True)
    return _FALLBACK


def fallback_reason() -> str | None:
    """Why this process trains on threads although a cluster is configured, or None."""
    return _FALLBACK


def uses_cluster() -> bool:
    """Does this process train on a Ray cluster?"""
    return not isinstance(pool(), RunPool)


def pool():
    """The process-wide pool: the cluster's when this process joins one, else :func:`default_pool`."""
    global _POOL, _FALLBACK
    with _GUARD:
        if _POOL is not None:
            return _POOL
        from .cluster.connect import address

        if address() is None or _FALLBACK is not None:
            _POOL = default_pool()
            return _POOL
        from .cluster.connect import ClusterUnavailable, connect

        try:
            connect()  # at once when the launcher joined already (``streamlit run app.py`` and tests do it here)
            from .cluster.pool import RayPool

            _POOL = RayPool()
        except Exception as exc:  # noqa: BLE001 - whatever the cluster does, the class goes on, on threads
            reason = str(exc) if isinstance(exc, ClusterUnavailable) else (
                f"The Ray cluster could not be used ({type(exc).__name__}: {str(exc)[:300]}).")
            _FALLBACK = f"{reason} Training runs on this app server's own threads meanwhile."
            print(f"GenLab: {_FALLBACK}", file=sys.stderr, flush=True)
            _POOL = default_pool()
        return _POOL
