"""``python -m persona_kb``: the same command line as ``persona-kb``."""

from __future__ import annotations

import sys

from persona_kb._internal.adapters.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
