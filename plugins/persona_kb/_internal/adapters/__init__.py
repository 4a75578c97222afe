"""Layer 7, the thin adapters: the CLI, the MkDocs plugin and the pytest plugin.

Only here may MkDocs, ProperDocs or pytest be imported; the adapters hold no logic of their own.
"""
