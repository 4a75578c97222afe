"""``codes:`` and inline comments in a real ``mkdocs build --strict``."""

from __future__ import annotations

from tempsite import BASE_CONFIG, Project

RAW_HTML = """\
---
name: raw-html-demo
description: A persona with an event handler in its HTML.
topic: python
---

# Raw HTML demo

{comment}Press <kbd onclick="steal()">Ctrl</kbd> to copy.
"""
# The paragraph with the handler is line 9 (10 after a comment).


def _config(project: Project, codes: str) -> None:
    plugin = "  - persona-kb:\n      codes:\n" + codes
    project.write("mkdocs.yml", BASE_CONFIG.replace("  - persona-kb\n", plugin))


def test_code_policy_decides_what_fails_a_strict_build(project: Project) -> None:
    project.write("kb/raw.md", RAW_HTML.format(comment=""))
    failed = project.build()
    assert failed.returncode != 0
    assert "kb/raw.md:9:" in failed.stderr
    assert "[PKB502]" in failed.stderr

    project.write("kb/raw.md", RAW_HTML.format(comment="<!-- persona-kb: ignore PKB502 -->\n"))
    quiet = project.build()
    assert quiet.returncode == 0, quiet.stderr
    assert "PKB502" not in quiet.stderr

    project.write("kb/raw.md", RAW_HTML.format(comment=""))
    _config(project, "        severity:\n          PKB5: info\n")
    relevelled = project.build()
    assert relevelled.returncode == 0, relevelled.stderr

    _config(project, "        ignore: [PKB5O2]\n")
    bad = project.build()
    assert bad.returncode != 0
    # `- persona-kb` (the base config's last line) becomes three lines; `ignore:` is the third.
    line = BASE_CONFIG.count("\n") + 2
    assert (
        f"mkdocs.yml:{line}: plugin option 'codes.ignore' names 'PKB5O2', which is not a "
        "persona-kb code; use a code such as PKB201 or a prefix such as PKB2"
    ) in bad.stderr
