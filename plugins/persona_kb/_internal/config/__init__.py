"""Layer 5, site configuration: the typed settings read from ``mkdocs.yml`` and the options model.

It may import ``kb`` and below, never ``checks`` or ``adapters``, MkDocs or pytest.
"""
