"""The knowledge base for agents: GitHub-flavoured export, ``index.json``, ``llms.txt``, search.

Everything here reads the built [`KnowledgeBase`][persona_kb._internal.kb.build.KnowledgeBase]
and its pages; nothing imports MkDocs.
"""
