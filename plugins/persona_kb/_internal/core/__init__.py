"""Layer 0, the core: the data model, diagnostics and their codes, and paths.

Everything else imports from here; nothing here imports another layer.
"""
