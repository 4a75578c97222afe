"""A temporary MkDocs project seeded with broken links, anchors and images.

``EXPECTED`` lists every defect as (code, Markdown path, line); the tests assert
that the checker reports exactly these, and nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

MKDOCS_YML = """\
site_name: seeded
theme:
  name: material
  features: [content.code.copy]
markdown_extensions:
  - admonition
  - attr_list
  - toc:
      permalink: true
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences
plugins:
  - search
"""

PAGES = {
    "index.md": """\
        # Home

        Read the [guide](guide.md) and the [deep page](sub/deep.md).

        A [missing page](nope.md) on line 5.

        ![logo](img/logo.svg)
        """,
    "guide.md": """\
        # Guide

        ## Real heading

        Link to [a real anchor](other.md#kept) and to [a bad one](other.md#no-such-heading).

        Some text that wraps
        over three lines, with [a broken same-page anchor](#nowhere)
        in the middle.

        ![missing image](img/missing.png)

        !!! note "Inside an admonition"
            Also see [ghost](ghost.md).

        <a href="../phantom/">raw HTML link</a>

        <img src="../img/none.svg" alt="raw HTML image">

        The [same ghost again](ghost.md) on another line.

        Reference style: [a ref][broken-ref].

        [broken-ref]: refs/missing.md

        [External](https://example.invalid/) links are not checked offline.
        """,
    "other.md": """\
        # Other

        ## Kept

        Back to the [guide](guide.md#real-heading).
        """,
    "sub/deep.md": """\
        # Deep

        Up to [the guide](../guide.md), to [the home page](../index.md),
        and out of the site: [escape](../../../../outside.md).

        An image that exists: ![logo](../img/logo.svg).
        """,
}

EXPECTED: set[tuple[str, str, int]] = {
    ("PKB700", "docs/index.md", 5),
    ("PKB701", "docs/guide.md", 5),
    ("PKB701", "docs/guide.md", 8),
    ("PKB702", "docs/guide.md", 11),
    ("PKB700", "docs/guide.md", 14),
    ("PKB700", "docs/guide.md", 16),
    ("PKB702", "docs/guide.md", 18),
    ("PKB700", "docs/guide.md", 20),
    ("PKB700", "docs/guide.md", 22),
    ("PKB703", "docs/sub/deep.md", 4),
}

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'


def write_project(root: Path, *, extra_yaml: str = "") -> Path:
    """Write the seeded project under ``root`` and return its ``mkdocs.yml``."""
    docs = root / "docs"
    for rel, text in PAGES.items():
        page = docs / rel
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(textwrap.dedent(text), encoding="utf-8")
    (docs / "img").mkdir(exist_ok=True)
    (docs / "img" / "logo.svg").write_text(LOGO, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(MKDOCS_YML + extra_yaml, encoding="utf-8")
    return config


def build(config: Path, site_dir: Path | None = None) -> Path:
    """``mkdocs build`` (not strict: the seeded links are broken on purpose)."""
    site = site_dir or config.parent / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        check=True,
        env=env,
        capture_output=True,
        cwd=config.parent,
    )
    return site


PERSONA_MKDOCS_YML = """\
site_name: personas
theme:
  name: material
validation:
  links:
    not_found: warn
    anchors: warn
markdown_extensions:
  - attr_list
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - search
  - persona-kb
"""

PERSONA = """\
---
name: python-helper
description: Helps with Python.
---

# Python helper

## Identity

You are a Python helper. Read [the missing guide](missing-guide.md) first.

## Best practices

- Check [the nowhere anchor](#nowhere).
- Keep functions small.
"""
"""A persona whose body links to a missing page (line 10) and a missing anchor (line 14)."""


def write_persona_project(root: Path) -> Path:
    """A project using the persona-kb plugin, with one persona carrying broken links."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nThe [KB](kb/README.md).\n", "utf-8")
    (root / "kb").mkdir()
    (root / "kb" / "python-helper.md").write_text(PERSONA, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(PERSONA_MKDOCS_YML, encoding="utf-8")
    return config
