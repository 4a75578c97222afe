"""Layer 4, the knowledge base: topics, rendering to pages, the cache, the nav and the export.

Data flows ``Persona`` → ``Topic`` → ``KBPage``. It may import ``ingest``, ``markdown`` and ``core``.
"""
