"""``persona-kb`` starts fast: building the parser loads no part of the core.

Each subcommand module keeps argparse and the standard library at module level and
imports the core in its handler, so ``persona-kb links SITE`` does not pay for Jinja2,
markdown-it, the readers or the example runner. A fresh interpreter per case is the
only honest way to see what an import pulls in.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli import lint as cli_lint
from persona_kb._internal.adapters.cli.main import build_parser

SUBCOMMANDS = ("check", "examples", "export", "lint", "links", "topics")

HEAVY = (
    "jinja2",
    "markdown_it",
    "mdit_py_plugins",
    "yaml",
    "ftfy",
    "nh3",
    "mkdocs",
    "persona_kb._internal.kb.build",
    "persona_kb._internal.ingest",
    "persona_kb._internal.kb.render",
    "persona_kb._internal.markdown",
    "persona_kb._internal.checks.examples",
    "persona_kb._internal.checks.examples.runner",
    "persona_kb._internal.checks.links",
    "persona_kb._internal.checks.pipeline",
    "persona_kb._internal.kb.export",
    "persona_kb._internal.config.settings",
    "urllib.request",
    "http.client",
)
"""Packages the parser must not load (a package also stands for its submodules)."""

LIGHT_CORE = frozenset(
    {
        "persona_kb",
        "persona_kb._internal",
        "persona_kb._internal.adapters",
        "persona_kb._internal.core",
        "persona_kb._internal.core.diagnostics",
        "persona_kb._internal.core.lazy",
        "persona_kb._internal.core.model",
        "persona_kb._internal.core.paths",
    }
)
"""The only core modules the parser may load: ``persona_kb`` itself imports them."""

PROBE = """\
import contextlib, io, json, sys
from pathlib import Path
from persona_kb._internal.adapters.cli.main import build_parser, main

argv = json.loads(sys.argv[1])
out = io.StringIO()
with contextlib.redirect_stdout(out):
    if argv is None:
        build_parser()
        code = 0
    else:
        code = main(argv)
Path(sys.argv[2]).write_text(
    json.dumps({"code": code, "stdout": out.getvalue(), "modules": sorted(sys.modules)})
)
"""


def _probe(tmp_path: Path, argv: list[str] | None) -> dict[str, object]:
    """Run ``main(argv)`` (or just ``build_parser()``) in a fresh interpreter."""
    result_file = tmp_path / "probe.json"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE, json.dumps(argv), str(result_file)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    data: dict[str, object] = json.loads(result_file.read_text())
    data["importers"] = _importers(completed.stderr)
    return data


def _importers(importtime: str) -> dict[str, str]:
    """Module -> the module whose import loaded it, from ``-X importtime`` output."""
    parents: dict[str, str] = {}
    pending: list[tuple[int, str]] = []
    for line in importtime.splitlines():
        if not line.startswith("import time:") or line.endswith("| imported package"):
            continue
        field = line.rsplit("|", 1)[1]
        name = field.strip()
        depth = (len(field) - len(field.lstrip())) // 2
        while pending and pending[-1][0] > depth:
            child_depth, child = pending.pop()
            if child_depth == depth + 1:
                parents[child] = name
        pending.append((depth, name))
    return parents


def _chain(result: dict[str, object], module: str) -> str:
    """``jinja2 <- persona_kb._internal.kb.render.environment <- ... <- persona_kb``."""
    parents = result["importers"]
    assert isinstance(parents, dict)
    chain = [module]
    while chain[-1] in parents and len(chain) < 50:
        chain.append(parents[chain[-1]])
    return " <- ".join(chain)


def _loaded(modules: object, package: str) -> list[str]:
    assert isinstance(modules, list)
    return [m for m in modules if m == package or m.startswith(package + ".")]


CASES = [None, ["--help"], *([name, "--help"] for name in SUBCOMMANDS)]


@pytest.mark.parametrize("argv", CASES, ids=lambda a: "build_parser" if a is None else " ".join(a))
def test_parser_and_help_load_no_heavy_module(tmp_path: Path, argv: list[str] | None) -> None:
    result = _probe(tmp_path, argv)
    assert result["code"] == 0
    heavy = [_chain(result, package) for package in HEAVY if package in result["modules"]]
    assert heavy == [], "the parser must not load these (import chain):\n" + "\n".join(heavy)
    core = set(_loaded(result["modules"], "persona_kb")) - LIGHT_CORE
    extra = sorted(m for m in core if not m.startswith("persona_kb._internal.adapters.cli"))
    assert extra == [], "core modules loaded by the parser: " + ", ".join(extra)
    if argv is not None:
        assert "usage: persona-kb" in str(result["stdout"])


def test_links_without_external_leaves_the_http_stack_unloaded(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<html><body><h1 id="top">Home</h1><a href="#top">top</a></body></html>\n'
    )
    result = _probe(tmp_path, ["links", "site"])
    assert result["code"] == 0
    assert str(result["stdout"]).splitlines()[-1] == ("persona-kb links: 1 page, 1 link, 0 broken")
    modules = result["modules"]
    assert _loaded(modules, "persona_kb._internal.checks.links.run")  # the check really ran
    assert _loaded(modules, "persona_kb._internal.checks.links.external") == []
    assert _loaded(modules, "http.client") == []


def test_every_report_renderer_covers_the_shared_formats() -> None:
    from persona_kb._internal.adapters.cli.formats import FORMATS
    from persona_kb._internal.checks.examples.report import RENDERERS as EXAMPLES
    from persona_kb._internal.checks.output import RENDERERS as CHECK

    assert sorted(EXAMPLES) == sorted(CHECK) == sorted(FORMATS)


def test_examples_default_tier_choices_name_core_tiers() -> None:
    from typing import get_args

    from persona_kb._internal.checks.examples.spec import TIER_WORDS
    from persona_kb._internal.config.options import DefaultTier

    assert all(choice in TIER_WORDS for choice in get_args(DefaultTier))


def test_lint_without_a_site_config_reads_kb_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli_lint.default_source(None) == Path(cli_lint.DEFAULT_SOURCE)


def test_lint_with_a_named_config_that_is_missing_is_a_usage_error(tmp_path: Path) -> None:
    from persona_kb._internal.core.diagnostics import PersonaKBError

    with pytest.raises(PersonaKBError, match=r"missing\.yml not found"):
        cli_lint.default_source(tmp_path / "missing.yml")


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub: argparse.ArgumentParser = action.choices[name]
    return sub


EXAMPLES_NEVER_LOAD = (
    "persona_kb._internal.kb.build",
    "persona_kb._internal.ingest.reader",
    "jinja2",
    "ftfy",
    "jsonschema",
    "lemminflect",
    "asyncio",
)
"""What ``persona-kb examples`` on pages outside the persona-kb plugin has no use for: the
KB builder and the readers (reading a config must not import them), and the event loop
(only the fork server runs blocks)."""


@pytest.mark.parametrize("site", [True, False], ids=["plain site", "pages without a site"])
def test_examples_outside_the_plugin_load_no_builder(tmp_path: Path, site: bool) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n```python\nassert 1 + 1 == 2\n```\n", encoding="utf-8"
    )
    if site:
        (tmp_path / "mkdocs.yml").write_text("site_name: plain\n", encoding="utf-8")
    paths = [] if site else ["docs"]
    result = _probe(tmp_path, ["examples", *paths, "--jobs", "1", "--format", "json"])
    assert result["code"] == 0, result["stdout"]
    report = json.loads(str(result["stdout"]))
    assert [r["status"] for r in report["results"]] == ["passed"]
    # Without a site config, nothing reads installed metadata (only --version does).
    never = EXAMPLES_NEVER_LOAD if site else (*EXAMPLES_NEVER_LOAD, "importlib.metadata")
    loaded = [_chain(result, m) for m in never if m in result["modules"]]
    assert loaded == [], "examples loaded (import chain):\n" + "\n".join(loaded)
