"""Find the BLAS numpy uses, its kernel and thread count, so a benchmark can report them.

threadpoolctl is used when installed; otherwise OpenBLAS is reached through ctypes in
the shared library numpy has loaded (any symbol prefix: scipy-openblas renames them).
"""

from __future__ import annotations

import ctypes
import os

import numpy as np


def _loaded_openblas() -> ctypes.CDLL | None:
    np.dot(np.ones((2, 2)), np.ones((2, 2)))  # make sure BLAS is loaded
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    return ctypes.CDLL(sorted(paths)[0]) if paths else None


def _function(library: ctypes.CDLL, name: str):
    for symbol in (f"scipy_openblas_{name}64_", f"openblas_{name}64_", f"openblas_{name}"):
        if hasattr(library, symbol):
            return getattr(library, symbol)
    return None


def describe_blas() -> dict[str, object]:
    """Return numpy's BLAS: name, version/config, kernel (core type) and threads."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                return {
                    "library": pool.get("internal_api"),
                    "version": pool.get("version"),
                    "kernel": pool.get("architecture"),
                    "threads": pool.get("num_threads"),
                }
    library = _loaded_openblas()
    if library is None:
        return {"library": "unknown", "version": None, "kernel": None, "threads": None}
    config, corename, threads = (
        _function(library, name) for name in ("get_config", "get_corename", "get_num_threads")
    )
    for function in (config, corename):
        if function is not None:
            function.restype = ctypes.c_char_p
    return {
        "library": "openblas",
        "version": config().decode() if config else None,
        "kernel": corename().decode() if corename else None,
        "threads": threads() if threads else None,
    }


def set_blas_threads(count: int) -> bool:
    """Set numpy's BLAS thread count in this process; return False when not possible."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    if threadpool_limits is not None:
        threadpool_limits(limits=count, user_api="blas")
        return True
    library = _loaded_openblas()
    function = _function(library, "set_num_threads") if library is not None else None
    if function is None:
        return False
    function(count)
    return True


def environment_note() -> str:
    """Return the OpenBLAS variables set in the environment (they change the kernel)."""
    names = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    found = [f"{name}={os.environ[name]}" for name in names if name in os.environ]
    return ", ".join(found) if found else "none of OPENBLAS_CORETYPE/L2_SIZE/NUM_THREADS set"
