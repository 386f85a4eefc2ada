"""Joining a Ray cluster from an app replica (or starting an embedded one).

``GENLAB_RAY_ADDRESS=host:port`` joins a running cluster at its native GCS address (``ray start --head``
prints it); ``local`` starts a small cluster inside this process. Call :func:`connect` once, in the
launcher's main thread before Streamlit starts (``ray.init`` from a script thread cannot install its SIGTERM
handler and warns).

Token authentication: since Ray 2.59 new clusters may expect a token, and a driver joining by address must
know before ``import ray`` (Ray reads ``RAY_AUTH_MODE`` when it loads). When ``RAY_AUTH_TOKEN`` or
``RAY_AUTH_TOKEN_PATH`` is set, :func:`connect` sets ``RAY_AUTH_MODE=token`` for you; start the head with the
same two variables (``deploy/cluster.sh`` does). The choice is made in this package's ``__init__``, which runs
before any of its modules imports Ray.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

ADDRESS_ENV = "GENLAB_RAY_ADDRESS"
NAMESPACE = "genlab"  # every GenLab actor lives here: replicas find a shared run by its name
REPO = Path(__file__).resolve().parents[3]


class ClusterUnavailable(RuntimeError):
    """The cluster named by ``GENLAB_RAY_ADDRESS`` could not be joined; the message says why and what to do."""


def address() -> str | None:
    """``GENLAB_RAY_ADDRESS`` (``host:port`` or ``local``), or None: the thread backend."""
    value = os.environ.get(ADDRESS_ENV, "").strip()
    return value or None


def _answers(where: str, timeout_s: float = 3.0) -> None:
    """Fail in seconds when nothing listens at ``host:port`` (``ray.init`` would retry for a minute while the
    launcher, and so the class, waits)."""
    host, _, port = where.rpartition(":")
    if where.startswith("ray://") or not port.isdigit():
        return  # refused below with its own message
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout_s).close()
    except OSError as exc:
        raise ClusterUnavailable(
            f"Nothing answers at {ADDRESS_ENV}={where} ({exc.strerror or exc}). Start the cluster's head there "
            f"(`ray start --head --port={port}`, or `bash deploy/cluster.sh start`), or unset {ADDRESS_ENV} "
            f"to train on this server's threads.") from exc


def connect(where: str | None = None) -> float:
    """Join the cluster at ``where`` (default ``GENLAB_RAY_ADDRESS``) in namespace ``genlab``.

    Returns:
        the seconds it took (the bench's "cluster start" row for ``local``).
    Raises:
        ClusterUnavailable: Ray is not installed, the address does not answer, or the token is refused.
    """
    where = where or address()
    if where is None:
        raise ClusterUnavailable(f"{ADDRESS_ENV} is not set: there is no cluster to join.")
    t0 = time.perf_counter()  # (the package's __init__ chose the token mode before Ray loaded)
    if where.startswith("ray://"):
        raise ClusterUnavailable(
            f"{ADDRESS_ENV}={where}: use the cluster's native address host:port (the one `ray start --head` "
            "prints), not a ray:// client address: a client connection cannot own the detached shared runs.")
    if where != "local":
        _answers(where)
    try:
        import ray
    except ImportError as exc:
        raise ClusterUnavailable(
            f"{ADDRESS_ENV}={where} asks for the Ray backend, but Ray is not installed here: "
            f"`pip install ray==2.60.0` (requirements-dev.txt pins it), or unset {ADDRESS_ENV}.") from exc
    if ray.is_initialized():
        return 0.0
    try:
        # the workers import GenLab from this checkout and see the app's settings (data, shared runs folder)
        env = {k: v for k, v in os.environ.items() if k.startswith("GENLAB_")}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
        runtime_env = {"env_vars": env}
        if where == "local":
            # an embedded cluster: as many CPUs as the machine has, no dashboard (it is not needed)
            # address="local": a new cluster, never one a `ray start` left on this machine (Ray's default)
            ray.init(address="local", namespace=NAMESPACE, include_dashboard=False, log_to_driver=False,
                     configure_logging=False, runtime_env=runtime_env)
        else:
            ray.init(address=where, namespace=NAMESPACE, log_to_driver=False, configure_logging=False,
                     runtime_env=runtime_env)
    except Exception as exc:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError, ValueError here
        token = "set" if os.environ.get("RAY_AUTH_TOKEN") or os.environ.get("RAY_AUTH_TOKEN_PATH") else "not set"
        raise ClusterUnavailable(
            f"Could not join the Ray cluster at {where} ({type(exc).__name__}: {str(exc)[:300]}). Check that "
            f"its head runs (`ray start --head --port=...`) and answers at that address; a cluster with token "
            f"authentication needs the same RAY_AUTH_TOKEN here (it is {token}).") from exc
    return time.perf_counter() - t0


def has_gpu() -> bool:
    """Does any node of the cluster offer a GPU? (A run then asks for one.)"""
    import ray

    return ray.cluster_resources().get("GPU", 0) > 0
