"""Layer 6, the checks: code examples, links, the strict build and the ``check`` pipeline.

It may import every layer below it, never ``adapters``, MkDocs or pytest.
"""
