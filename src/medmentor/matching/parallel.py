"""Row blocks on every core, with the BLAS library held to one thread per block
(and the cyclic garbage collector paused while the engine allocates).

On a shared machine, OpenBLAS's own threads busy-wait for each other and make the
many medium-sized products of the score kernel several times slower whenever another
process holds a core. So the engine runs its blocks on its own threads (NumPy
releases the GIL in products, partitions and reductions) and asks OpenBLAS, when it
can find it, for one thread meanwhile. Results do not depend on either: scores are
integers, exact in float32 in any order of summation, and blocks are put back in
order.
"""

from __future__ import annotations

import ctypes
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
R = TypeVar("R")
_SYMBOLS = (
    "scipy_openblas_%s_num_threads64_",
    "openblas_%s_num_threads64_",
    "openblas_%s_num_threads",
)


def _openblas() -> tuple[Callable[[int], None], Callable[[], int]] | None:
    folder = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(folder.glob("*openblas*")):
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for pattern in _SYMBOLS:
            setter = getattr(lib, pattern % "set", None)
            getter = getattr(lib, pattern % "get", None)
            if setter is not None and getter is not None:
                return _bind(setter, getter)
    return None


def _bind(setter: Any, getter: Any) -> tuple[Callable[[int], None], Callable[[], int]]:
    getter.restype = ctypes.c_int

    def set_threads(k: int) -> None:
        setter(ctypes.c_int(k))

    def get_threads() -> int:
        return int(getter())

    return set_threads, get_threads


_BLAS = _openblas()


def cores() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold OpenBLAS (when found) to one thread inside the block."""
    if _BLAS is None:
        yield
        return
    set_threads, get_threads = _BLAS
    before = get_threads()
    set_threads(1)
    try:
        yield
    finally:
        set_threads(before)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block.

    A solve creates some 10^5 small objects (encoded values, pairs, components,
    reasons), none of them in reference cycles; each burst of allocations would
    otherwise start a collection that walks the caller's whole heap (the problem's
    people, and the web application's objects) and finds nothing: about a tenth of a
    60,000-mentee solve. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def map_blocks(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[fn(x) for x in items]``, computed on every core, in order."""
    workers = min(cores(), len(items))
    if workers <= 1:
        return [fn(x) for x in items]
    with single_threaded_blas(), ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))
