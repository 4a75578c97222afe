"""One config reader: MkDocs' own loader (INHERIT, !ENV, properdocs.yml) for every command,
and one options model whose bad values read the same from the CLI, pytest and mkdocs.yml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.adapters.site_loader import load_site_config
from persona_kb._internal.config.options import ExampleSettings
from persona_kb._internal.core.diagnostics import PersonaKBError

PERSONA = """\
---
name: python-helper
description: Helps with Python.
topic: python
---
# Python helper

## Rules

- Use type hints on public functions.

## Example

```python
total = sum(range(4))
assert total == 6
```
"""

PLUGIN = """\
theme:
  name: material
plugins:
  - persona-kb:
      source: kb
      enabled: !ENV [PERSONA_KB_ON, true]
"""


def project(root: Path, layout: str) -> Path:
    """A small site in ``root``: one persona, one page, the config in ``layout``."""
    (root / "kb").mkdir(parents=True)
    (root / "kb" / "python-helper.md").write_text(PERSONA, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nSee the [KB](kb/README.md).\n")
    if layout == "inherit":
        (root / "base.yml").write_text("site_name: Inherited\n" + PLUGIN, encoding="utf-8")
        (root / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_url: https://x.test/\n")
        return root / "mkdocs.yml"
    (root / "properdocs.yml").write_text("site_name: Fork\n" + PLUGIN, encoding="utf-8")
    return root / "properdocs.yml"


@pytest.fixture(params=["inherit", "properdocs"])
def site(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERSONA_KB_ON", raising=False)
    return project(tmp_path, str(request.param))


def test_the_reader_merges_inherit_and_reads_env(site: Path) -> None:
    config = load_site_config(None)
    assert config.config_path.name == site.name
    assert config.kb is not None
    assert config.kb.source == Path("kb")
    assert config.settings["site_name"] in {"Inherited", "Fork"}


def test_env_turns_the_plugin_off_everywhere(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERSONA_KB_ON", "false")
    assert load_site_config(None).kb is None


@pytest.mark.slow
@pytest.mark.usefixtures("site")
def test_every_command_works_with_inherit_and_with_only_properdocs_yml(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lint"]) == 0
    assert "1 file, 1 persona" in capsys.readouterr().out
    assert main(["export"]) == 0
    assert Path("docs/kb/python/README.md").is_file()
    assert main(["export", "--check"]) == 0
    assert main(["examples"]) == 0
    assert main(["check", "--site-dir", "built"]) == 0, capsys.readouterr()
    assert main(["links", "built"]) == 0
    out = capsys.readouterr().out
    assert "0 broken" in out


def test_source_resolves_against_the_config_file_wherever_lint_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path / "site", "inherit")
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--config", str(config)]) == 0
    assert "1 file, 1 persona" in capsys.readouterr().out


def test_a_plugin_option_of_the_wrong_type_names_the_option_and_line(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - persona-kb:\n      cache: maybe\n")
    with pytest.raises(PersonaKBError, match=r"mkdocs\.yml:4: plugin 'persona-kb' option 'cache'"):
        load_site_config(config)


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:os.system\n"
        "      bad: !!python/object/apply:os.system [echo pwned]\n"
    )
    settings = load_site_config(config).settings
    emoji = settings["markdown_extensions"][0]["pymdownx.emoji"]
    assert emoji["emoji_index"] == "!!python/name:os.system"


# A bad value: the same sentence, naming the option as each entry point spells it.
BAD = "is 'Skip'; use one of: fail, skip"


def test_a_bad_option_from_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, "inherit")
    monkeypatch.chdir(tmp_path)
    err = _cli_error(["examples", "--missing-module", "Skip"])
    assert f"invalid option: --missing-module {BAD}" in err
    err = _cli_error(["check", "--isolation", "bogus"])
    assert "invalid option: --isolation is 'bogus'; use one of: page, block" in err


def test_a_bad_option_from_mkdocs_yml_fails_cli_and_build_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, "inherit")
    (tmp_path / "base.yml").write_text(
        "site_name: x\nplugins:\n  - persona-kb:\n      examples:\n        missing_module: Skip\n"
    )
    monkeypatch.chdir(tmp_path)
    assert f"invalid option: examples.missing_module {BAD}" in _cli_error(["examples"])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode != 0
    assert f"invalid option: examples.missing_module {BAD}" in done.stderr


def test_a_bad_option_from_pytest(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(
        "-o", "persona_kb=true", "-o", "persona_kb_missing_module=Skip", "-p", "no:cacheprovider"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*invalid option: persona_kb_missing_module {BAD}*"])


def test_mkdocs_yml_sets_example_defaults_the_cli_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, "inherit")
    (tmp_path / "base.yml").write_text(
        "site_name: x\nplugins:\n  - persona-kb:\n      examples:\n"
        "        missing_module: skip\n        timeout: 3\n"
    )
    monkeypatch.chdir(tmp_path)
    assert load_site_config(None).examples == ExampleSettings(missing_module="skip", timeout=3.0)


def _cli_error(argv: list[str]) -> str:
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(argv) == 2
    return err.getvalue()
