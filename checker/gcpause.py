"""Pausing Python's cyclic garbage collector around bulk work on acyclic data."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Facts, indexes and results are acyclic frozen data: the cyclic collector only slows
    their bulk creation down (it rescans every object made so far), so it waits. Nests."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
