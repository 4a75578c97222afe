"""Pause Python's cyclic garbage collector while persona-kb parses and renders.

Parsing a persona library allocates millions of short-lived markdown-it tokens. Each
allocation burst makes the collector run, and every full collection walks every object
the process holds (MkDocs' pages and nav, the knowledge base, the parse cache). At 1,000
personas that walking was about a third of the knowledge base's CPU time, and half of the
GitHub conversion's, for almost nothing found: the tokens hold no reference cycles, so
reference counting frees them as soon as they go out of use.

[`paused_gc`][persona_kb._internal.core.gc_pause.paused_gc] turns the collector off for
the duration of a block and back on afterwards, only if it was on and only when the last
of several nested or concurrent pauses (``mkdocs serve`` may build in a second thread)
ends. Cycles made meanwhile are collected at the next collection after that.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False
"""Whether the collector was on when the outermost pause began."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off (see the module docs)."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
