"""Defaults by language and by source folder, placeholder fragments and the baseline path:
one options model, the same meaning in ``mkdocs.yml``, the CLI, ``check`` and pytest."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.checks.examples.fragments import placeholder_in
from persona_kb._internal.config.options import (
    OptionSource,
    ScopedDefaults,
    example_settings,
)
from persona_kb._internal.core.diagnostics import PersonaKBError

PAGES = {
    "docs/index.md": """\
        # Home

        ```python
        import persona_kb_not_installed_anywhere
        ```

        ```json
        {"id": 1 "name": "two"}
        ```
        """,
    "docs/vendor/page.md": """\
        # Vendor

        ```python
        import persona_kb_not_installed_anywhere
        ```

        ```json
        {"id": <id>, "name": "example"}
        ```

        ```python
        print(name_nobody_defined)
        ```
        """,
    "docs/legacy/old.md": """\
        # Legacy

        ```python
        raise SystemExit(3)
        ```
        """,
}
# (path, language) -> status, in page order, under the settings below.
EXPECTED = [
    ("docs/index.md", "python", "failed"),  # missing module: fail (the global default)
    ("docs/index.md", "json", "failed"),  # a JSON error without a placeholder still fails
    ("docs/legacy/old.md", "python", "ignored"),  # folder: default_tier ignore
    ("docs/vendor/page.md", "python", "skipped"),  # folder: missing_module skip
    ("docs/vendor/page.md", "json", "skipped"),  # language json: placeholders skip
    ("docs/vendor/page.md", "python", "failed"),  # a NameError is not a fragment
]
YAML_SETTINGS = """\
      examples:
        languages:
          json: {placeholders: skip}
        folders:
          docs/vendor: {missing_module: skip}
          docs/legacy: {default_tier: ignore}
"""
FLAGS = [
    "--language-defaults",
    "json: placeholders=skip",
    "--folder-defaults",
    "docs/vendor: missing_module=skip",
    "--folder-defaults",
    "docs/legacy: default_tier=ignore",
]


def _site(root: Path, settings: str = "") -> Path:
    mkdocs = "site_name: scoped\nplugins:\n  - persona-kb:\n      source: kb\n" + settings
    (root / "kb").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    for name, text in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def _statuses(out: str) -> list[tuple[str, str, str]]:
    report = json.loads(out)
    rows = [(r["path"], r["language"], r["status"], r["line"]) for r in report["results"]]
    return [(p, lang, s) for p, lang, s, _ in sorted(rows, key=lambda r: (r[0], r[3]))]


def test_mkdocs_yml_and_cli_flags_mean_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, settings, flags in (("yml", YAML_SETTINGS, []), ("cli", "", FLAGS)):
        monkeypatch.chdir(_site(tmp_path / name, settings))
        code = main(["examples", "--format", "json", *flags])
        assert code == 1
        assert _statuses(capsys.readouterr().out) == EXPECTED, name


def test_without_scoped_defaults_every_one_fails_or_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_site(tmp_path))
    assert main(["examples", "--format", "json"]) == 1
    statuses = [s for _, _, s in _statuses(capsys.readouterr().out)]
    assert statuses == ["failed", "failed", "failed", "failed", "failed", "failed"]


def test_check_uses_the_same_settings_and_shows_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_site(tmp_path, YAML_SETTINGS))
    code = main(
        ["check", "--skip", "build", "--skip", "links", "--skip", "export", "--skip", "lint"]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "6 examples, 3 failed" in out
    assert "default tier run, missing modules fail" in out
    skip = ["--skip", "build", "--skip", "links", "--skip", "export"]
    assert main(["check", *skip, "--missing-module", "skip", "--default-tier", "no-run"]) == 1
    out = capsys.readouterr().out
    assert "default tier no-run, missing modules skip" in out
    assert "6 examples, 1 failed" in out  # no-run everywhere but the folder set ignore


def test_pytest_ini_keys_mean_the_same(pytester: pytest.Pytester) -> None:
    _site(pytester.path)
    pytester.makeini(
        textwrap.dedent(
            """\
            [pytest]
            persona_kb = true
            testpaths = mkdocs.yml
            persona_kb_language_defaults = json: placeholders=skip
            persona_kb_folder_defaults =
                docs/vendor: missing_module=skip
                docs/legacy: default_tier=ignore
            """
        )
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(failed=3, skipped=3)


def test_the_baseline_path_is_one_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_site(tmp_path, YAML_SETTINGS + "        baseline: ci/known.json\n"))
    (tmp_path / "ci").mkdir()
    assert main(["examples", "--update-baseline"]) == 0
    assert json.loads((tmp_path / "ci" / "known.json").read_text(encoding="utf-8"))
    assert not (tmp_path / "persona-kb-baseline.json").exists()
    assert main(["examples"]) == 0
    assert "3 baselined failures remain" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("values", "kind", "message"),
    [
        (
            {"languages": ["typescript missing_module=skip"]},
            "cli",
            "--language-defaults entry 'typescript missing_module=skip': use 'SCOPE: key=value, …'",
        ),
        (
            {"folders": {"vendor": {"tier": "run"}}},
            "mkdocs",
            "examples.folders entry 'vendor': unknown key 'tier'",
        ),
        (
            {"languages": ["json: placeholders=maybe"]},
            "pytest",
            "persona_kb_language_defaults entry 'json': placeholders is 'maybe'; use one of: "
            "fail, skip",
        ),
        ({"toolchains": ["cobol"]}, "cli", "--toolchain is ['cobol']; use a list of: go, rust"),
    ],
)
def test_a_bad_scoped_value_names_the_option_as_the_user_wrote_it(
    values: dict[str, object], kind: str, message: str
) -> None:
    with pytest.raises(PersonaKBError) as raised:
        example_settings(values, OptionSource(kind))  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_a_folder_wins_over_a_language_and_a_longer_folder_over_a_shorter() -> None:
    settings = example_settings(
        {
            "languages": {"ts": {"missing_module": "skip", "placeholders": "skip"}},
            "folders": ["a: missing_module=fail", "a/b: default_tier=no-run"],
        },
        OptionSource("mkdocs"),
    )

    def normalise(name: str) -> str:
        return {"ts": "typescript"}.get(name, name)

    assert settings.defaults_for("typescript", "a/b/x.md", normalise) == ScopedDefaults(
        "no-run", "fail", "skip"
    )
    assert settings.defaults_for("typescript", "ab/x.md", normalise) == ScopedDefaults(
        "run", "skip", "skip"
    )
    assert settings.defaults_for("python", "a/x.md", normalise) == ScopedDefaults(
        "run", "fail", "fail"
    )


@pytest.mark.parametrize(
    ("language", "code", "found"),
    [
        ("bash", "curl https://api.example.com/users/<user-id>\n", "<user-id>"),
        ("json", '{"key": "YOUR_API_KEY", }\n', "YOUR_API_KEY"),
        ("python", "class A:\n    ...\n", "..."),
        ("yaml", "name: {{ project_name }}\n", "{{ project_name }}"),
        ("tsx", "const a = <Button>ok</Button>;\n", None),  # a tag, not a placeholder
        ("python", "x = 1 < 2 > 0\n", None),
    ],
)
def test_placeholders_are_recognised(language: str, code: str, found: str | None) -> None:
    assert placeholder_in(language, code) == found
