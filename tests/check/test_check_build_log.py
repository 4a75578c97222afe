"""MkDocs' log lines become diagnostics at the line to fix."""

from __future__ import annotations

from pathlib import Path

from persona_kb._internal.checks.build import parse_build_log
from persona_kb._internal.checks.links.site import PageSource

LOG = """\
INFO    -  Cleaning site directory
WARNING -  mkdocstrings: griffe: plugins/pkg/x.py:12: No type or annotation for parameter 'x'
WARNING -  persona_kb: kb/a.md:3:5: front matter recovered (see also kb/b.md:1) [PKB201]
WARNING -  Doc file 'guide.md' contains a link 'gone.md', but the target is not found among \
documentation files.
WARNING -  A reference to 'missing.md' is included in the 'nav' configuration, which is not \
found in the documentation files.
WARNING -  The following pages exist in the docs directory, but are not included in the "nav" \
configuration:
  - orphan.md
  - guide.md
ERROR   -  Config value 'plugins': The "nope" plugin is not installed
Aborted with 5 warnings in strict mode!
"""


def test_build_log(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nnav:\n  - Home: index.md\n  - Gone: missing.md\n", "utf-8")
    guide = "# Guide\n\nSome text.\n\nSee [the gone page](gone.md).\n"
    sources = {"guide.md": PageSource("docs/guide.md", lambda: guide, "guide.md")}
    found = [(d.code, str(d.span), d.message) for d in parse_build_log(LOG, config, sources)]
    shown = config.as_posix()
    prefix = "mkdocs build --strict: "
    assert found == [
        ("PKB710", "plugins/pkg/x.py:12", prefix + "No type or annotation for parameter 'x'"),
        ("PKB201", "kb/a.md:3", prefix + "front matter recovered (see also kb/b.md:1)"),
        (
            "PKB710",
            "docs/guide.md:5",
            prefix + "Doc file 'guide.md' contains a link 'gone.md', but the target is not "
            "found among documentation files",
        ),
        (
            "PKB710",
            f"{shown}:4",
            prefix + "A reference to 'missing.md' is included in the 'nav' configuration, "
            "which is not found in the documentation files",
        ),
        ("PKB710", f"{shown}:1", prefix + "orphan.md is not included in the nav configuration"),
        ("PKB710", "docs/guide.md:1", prefix + "guide.md is not included in the nav configuration"),
        (
            "PKB711",
            f"{shown}:1",
            prefix + "Config value 'plugins': The \"nope\" plugin is not installed",
        ),
    ]
