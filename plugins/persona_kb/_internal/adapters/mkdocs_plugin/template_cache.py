"""Keep the theme's compiled Jinja templates between ``mkdocs serve`` rebuilds.

MkDocs reloads the config, and so builds a new Jinja environment, for every rebuild;
each rebuild then compiles the theme's templates again (about half a second for
Material). Compiled templates are a pure function of their source, so the plugin hands
every new environment the same in-memory bytecode cache; Jinja checks each entry against
the template's source checksum, so an edited template is compiled afresh.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    """A Jinja bytecode cache that lives as long as the process (one ``serve`` session)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from the cache, if this template was compiled before."""
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Remember the template ``bucket`` just compiled."""
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        """Forget every compiled template."""
        self._store.clear()
