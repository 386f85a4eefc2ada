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

import threading

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
