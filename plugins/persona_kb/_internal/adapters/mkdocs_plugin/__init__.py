"""The MkDocs (and ProperDocs) adapter: ``plugins: [persona-kb]``.

It maps MkDocs events onto the core in ``persona_kb._internal.kb.build`` and holds no
persona logic of its own.
"""
