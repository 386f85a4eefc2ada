"""How many CPU threads PyTorch uses, set for one Python thread without changing it for the others.

Small networks (a 2D GAN, a tiny U-Net) train fastest on one CPU thread: splitting their small matrix
products costs more than it saves. But ``torch.set_num_threads`` is process-wide in one way that bites a
server: besides the calling thread, it sets the default that every thread started *later* takes on its
first PyTorch operation. A training thread that calls it would quietly make each later page run (a new
thread per run in Streamlit) denoise photos or extract Inception features on one core.

:func:`limit_this_thread` sets the size for the calling thread, makes that thread take it at once, then
puts the process default back (from a short-lived helper thread), so only the caller is affected.
"""

from __future__ import annotations

import os
import threading
import time

import torch

# The process default, read when this module is first imported (before any training thread runs).
DEFAULT_THREADS = torch.get_num_threads()


def limit_this_thread(n: int = 1) -> None:
    """Run this thread's PyTorch CPU operations on ``n`` threads; later threads keep :data:`DEFAULT_THREADS`.

    Args:
        n: intra-op threads for the calling thread (>= 1).
    """
    n = max(1, int(n))
    torch.set_num_threads(n)
    torch.get_num_threads()  # the thread takes its size on first use: take it now, while the default is n
    if n != DEFAULT_THREADS:
        helper = threading.Thread(target=torch.set_num_threads, args=(DEFAULT_THREADS,), name="torch-threads")
        helper.start()
        helper.join()


def idle_cores(window_s: float = 0.05) -> float:
    """How many CPU cores were idle over the next ``window_s`` seconds (the caller sleeps meanwhile, so its
    own core counts as idle).

    Reads the kernel's counters in ``/proc/stat`` twice (Linux); elsewhere falls back to the number of
    cores minus the 1-minute load average.
    """
    def counters() -> list[int]:
        with open("/proc/stat") as f:
            return [int(v) for v in f.readline().split()[1:]]  # user nice system idle iowait ...

    n = os.cpu_count() or 1
    try:
        a = counters()
        time.sleep(window_s)
        b = counters()
    except (OSError, ValueError):
        try:
            return max(0.0, n - os.getloadavg()[0])
        except (AttributeError, OSError):
            return 1.0
    total = sum(b) - sum(a)
    idle = (b[3] + b[4]) - (a[3] + a[4])
    return n * idle / total if total > 0 else float(n)


MAX_JOB_THREADS = 4  # more threads stop paying for the small networks of the pages


def threads_for_idle_cores(cap: int = MAX_JOB_THREADS) -> int:
    """Intra-op threads for a job about to start: the idle cores (at least 1, at most ``cap``).

    More threads than free cores is the one case to avoid: OpenMP threads then wait for each other and a
    small network runs several times slower than on one thread (see :mod:`models`). With the cores free,
    two threads make the DDPM U-Net's calls about 1.5x faster than one.
    """
    return job_threads(idle_cores(), cap)


def job_threads(free_cores: float, cap: int = MAX_JOB_THREADS) -> int:
    """Threads for a job given the cores free for it: at least 1, at most ``cap`` (a core 70% free counts)."""
    return max(1, min(cap, int(free_cores + 0.3)))


def flush_denormals() -> bool:
    """Treat subnormal floats (|x| < 1.2e-38) as zero in this thread's CPU arithmetic.

    Training drives some numbers there: the gradients through a saturated sigmoid, and Adam's second
    moments of such gradients (squared, then decayed by beta_2 each step). x86 CPUs compute on subnormals
    through a slow microcode path, up to 100x slower per operation; the book's dense MNIST GAN trained
    1.4x faster with them flushed (2-core CPU, one thread). The numerical effect is nil at these scales.
    Applies to the calling thread (it sets the FTZ/DAZ bits of its MXCSR register) and to threads it starts
    afterwards, which inherit the floating-point mode; other threads keep theirs. Returns False where the
    CPU does not support it.
    """
    return torch.set_flush_denormal(True)
