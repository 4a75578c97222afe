"""The ``persona-kb`` command line: a thin adapter over the core."""
