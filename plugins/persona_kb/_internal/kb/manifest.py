"""The build's manifest in the on-disk cache: which persona files made which pages.

A build with an on-disk cache records the display path and SHA-256 of every persona
file it read, the cache keys of its topics and its index page. A checker that only
needs the pages and their source maps (``persona-kb links``) then hashes the persona
files, and when they are exactly the ones recorded, takes the pages from the cache:
no persona is decoded, no topic assigned, nothing rendered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from persona_kb._internal.core.model import KBPage
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.ingest.discover import discover_persona_files
from persona_kb._internal.ingest.reader import read_file_bytes, sha256
from persona_kb._internal.kb.cache import RenderCache, entry_from_json, entry_to_json
from persona_kb._internal.kb.cache_store import CacheStore

KIND = "manifest"


def manifest_key(options_key: Sequence[str]) -> str:
    """The manifest's key: a hash of everything (but the personas) that shapes the pages."""
    return hashlib.sha256(json.dumps(list(options_key)).encode()).hexdigest()


def save_manifest(
    store: CacheStore,
    key: str,
    files: Sequence[tuple[str, str]],
    topic_keys: Sequence[str],
    index: KBPage,
) -> None:
    """Record what one build read and made (``files``: display path and SHA-256)."""
    store.put(
        KIND,
        key,
        {
            "files": [list(f) for f in files],
            "topics": list(topic_keys),
            "index": entry_to_json(((index,), ())),
        },
    )
    store.retain(KIND, [key])


def cached_pages(
    store: CacheStore,
    rendered: RenderCache,
    key: str,
    source: Path,
) -> tuple[KBPage, ...] | None:
    """The pages of the last build, if the persona files under ``source`` are exactly the
    ones it read (same paths, same bytes); else ``None`` (build the knowledge base)."""
    data = store.get(KIND, key)
    if not isinstance(data, dict):
        return None
    try:
        recorded = {str(path): str(digest) for path, digest in data["files"]}
        topic_keys = [str(k) for k in data["topics"]]
        index_pages, _ = entry_from_json(data["index"])
    except (KeyError, TypeError, ValueError, AssertionError, RecursionError):
        return None
    files, _diagnostics = discover_persona_files([source])
    if len(files) != len(recorded):
        return None
    for file in files:
        shown = display_path(file)
        data_bytes = read_file_bytes(file, shown)
        if not isinstance(data_bytes, bytes) or recorded.get(shown) != sha256(data_bytes):
            return None
    pages: list[KBPage] = []
    for topic_key in topic_keys:
        entry = rendered.get(topic_key)
        if entry is None:
            return None
        pages.extend(entry[0])
    return (*pages, *index_pages)
