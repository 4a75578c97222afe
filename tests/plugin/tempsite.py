"""A temporary MkDocs project with a couple of personas, built by a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

PYTHON_PERSONA = """\
---
name: python-api-engineer
description: Builds FastAPI services in typed Python.
tools: Read, Write, Bash
model: sonnet
---

# Python API Engineer

## Best Practices

- Validate every request body with a Pydantic model.

## Patterns

#### ❌ WRONG: blocking sleep in an async route

```python
import time

async def handler() -> None:
    time.sleep(1)
```

#### ✅ CORRECT: await the async sleep

```python
import asyncio

async def handler() -> None:
    await asyncio.sleep(1)
```
"""

GO_PERSONA = """\
---
name: go-service-engineer
description: Writes small, well-tested Go services.
tools: Read, Bash
---

# Go Service Engineer

## Constraints

- Never ignore a returned error.
"""

BASE_CONFIG = """\
site_name: temp project
docs_dir: docs
theme:
  name: material
validation:
  nav:
    omitted_files: warn
    not_found: warn
  links:
    not_found: warn
    anchors: warn
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tasklist
plugins:
  - persona-kb
"""


def host_env() -> dict[str, str]:
    """The environment for a MkDocs/ProperDocs subprocess, without the 2.0 banners."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def tree_snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` with its bytes and mtime: equal snapshots, untouched tree."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@dataclass
class Project:
    """A temporary site: ``mkdocs.yml``, ``docs/`` and a ``kb/`` of personas."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def kb(self) -> Path:
        return self.root / "kb"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def config(self, extra: str = "") -> None:
        self.write("mkdocs.yml", BASE_CONFIG + textwrap.dedent(extra))

    def build(
        self, host: str = "mkdocs", *, strict: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run ``<host> build`` in the project and check that docs_dir was left alone."""
        before = tree_snapshot(self.docs)
        args = [sys.executable, "-m", host, "build"]
        if strict:
            args.append("--strict")
        result = subprocess.run(
            args,
            cwd=self.root,
            env=host_env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
            check=False,
        )
        assert tree_snapshot(self.docs) == before, "the build wrote into docs_dir"
        return result

    def html(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")


def new_project(root: Path) -> Project:
    """A fresh project with two personas (python, go), a home page and no ``nav:``."""
    p = Project(root)
    p.write("kb/python-api-engineer.md", PYTHON_PERSONA)
    p.write("kb/go-service-engineer.md", GO_PERSONA)
    p.write("docs/index.md", "# Home\n\nWelcome.\n")
    p.config()
    return p
