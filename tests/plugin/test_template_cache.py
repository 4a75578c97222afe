"""The in-memory Jinja bytecode cache that ``mkdocs serve`` rebuilds share."""

from __future__ import annotations

import jinja2
from persona_kb._internal.adapters.mkdocs_plugin.template_cache import MemoryBytecodeCache


class CountingCache(MemoryBytecodeCache):
    def __init__(self) -> None:
        super().__init__()
        self.hits = 0

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().load_bytecode(bucket)
        self.hits += bucket.code is not None


def _env(templates: dict[str, str], cache: MemoryBytecodeCache) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates), bytecode_cache=cache)


def test_a_new_environment_reuses_compiled_templates() -> None:
    cache = CountingCache()
    templates = {"page.html": "Hello {{ name }}"}
    assert _env(templates, cache).get_template("page.html").render(name="a") == "Hello a"
    assert cache.hits == 0
    assert _env(templates, cache).get_template("page.html").render(name="b") == "Hello b"
    assert cache.hits == 1


def test_an_edited_template_is_compiled_afresh() -> None:
    cache = CountingCache()
    _env({"page.html": "old {{ x }}"}, cache).get_template("page.html")
    fresh = _env({"page.html": "new {{ x }}"}, cache).get_template("page.html")
    assert fresh.render(x=1) == "new 1"
    assert cache.hits == 0
    cache.clear()
    _env({"page.html": "new {{ x }}"}, cache).get_template("page.html")
    assert cache.hits == 0
