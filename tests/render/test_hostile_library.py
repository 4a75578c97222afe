"""A hostile persona library never takes the KB down, publishes nothing outside ``kb/``
and never ends in a traceback (issue #15). Each case failed, hung or crashed before.

Cases that could hang on a regression run in a subprocess with a timeout, so a hang
fails the test instead of the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import markdown
import pytest
from persona_kb._internal.core.diagnostics import PersonaKBError, Severity
from persona_kb._internal.ingest.pipeline import ingest
from persona_kb._internal.kb.build import (
    GENERATED_MARKER,
    MARKDOWN_EXTENSIONS,
    KBOptions,
    build_knowledge_base,
)
from persona_kb._internal.kb.export import check_output_folder, export_pages

FIXTURE_CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
PERSONA = "---\nname: ok\ndescription: fine\n---\n\n# Ok\n\n## Rules\n\n- Be kind.\n"


def _run(code: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _lint(folder: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "persona_kb._internal.adapters.cli.main", "lint", str(folder)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _library(tmp_path: Path) -> Path:
    source = tmp_path / "kb"
    source.mkdir()
    (source / "ok.md").write_text(PERSONA, encoding="utf-8")
    return source


ALIAS_BOMB = """\
---
name: bomb
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
tools: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
capabilities: *g
do_not: *g
---

# Bomb
"""


def test_a_yaml_alias_bomb_is_set_aside_at_its_line_and_the_rest_is_built(tmp_path: Path) -> None:
    source = _library(tmp_path)
    (source / "bomb.md").write_text(ALIAS_BOMB, encoding="utf-8")
    done = _lint(source, timeout=60)
    assert "bomb.md:2:" in done.stdout + done.stderr
    assert "PKB205" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    # the bomb's front matter is ignored, never expanded; its body is still a persona
    assert "2 personas" in done.stdout + done.stderr


def test_deep_yaml_nesting_is_refused(tmp_path: Path) -> None:
    source = _library(tmp_path)
    deep = "[" * 200 + "]" * 200
    (source / "deep.md").write_text(f"---\nname: deep\ntools: {deep}\n---\n\n# D\n", "utf-8")
    result = ingest([source])
    assert [d.code for d in result.diagnostics if d.severity is Severity.WARNING] == ["PKB205"]
    assert sorted(p.name for p in result.personas) == ["D", "ok"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_md_is_refused_without_blocking(tmp_path: Path) -> None:
    source = _library(tmp_path)
    os.mkfifo(source / "pipe.md")
    done = _lint(source, timeout=60)
    output = done.stdout + done.stderr
    assert "pipe.md:1:1: warning" in output
    assert "PKB112" in output
    assert "Traceback" not in output


def test_a_symlink_to_a_device_or_outside_file_is_skipped(tmp_path: Path) -> None:
    source = _library(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("# Secret\n\nroot:x:0:0\n", encoding="utf-8")
    (source / "zero.md").symlink_to("/dev/zero")
    (source / "passwd.md").symlink_to(secret)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.md").write_text("# [core]\n", encoding="utf-8")
    (source / "git.md").symlink_to(Path("..") / ".git" / "config.md")
    (source / "inside.md").symlink_to("ok.md")  # inside the folder: read as usual
    result = ingest([source])
    codes = sorted((Path(d.span.path).name, d.code) for d in result.diagnostics)
    assert ("passwd.md", "PKB111") in codes
    assert ("zero.md", "PKB111") in codes
    assert ("git.md", "PKB111") in codes
    kb = build_knowledge_base(KBOptions(source=source))
    text = "\n".join(p.markdown for p in kb.pages)
    assert "root:x:0:0" not in text
    assert "[core]" not in text


def test_export_refuses_an_output_folder_symlinked_out_of_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "docs" / "kb").symlink_to(elsewhere)
    with pytest.raises(PersonaKBError, match="outside the project"):
        check_output_folder(project / "docs" / "kb", project)
    check_output_folder(project / "docs" / "real", project)  # a plain folder is fine


def test_a_240_character_topic_builds_and_exports(tmp_path: Path) -> None:
    source = _library(tmp_path)
    topic = "t" * 240
    (source / "long.md").write_text(
        f"---\nname: long\ntopic: {topic}\n---\n\n# Long\n\n## Rules\n\n- x\n", "utf-8"
    )
    kb = build_knowledge_base(KBOptions(source=source))
    assert all(len(part) < 100 for p in kb.pages for part in Path(p.path).parts)
    assert any(d.code == "PKB500" and "shortened" in d.text for d in kb.diagnostics)
    report = export_pages(kb.pages, tmp_path / "docs" / "kb")
    assert report.ok
    assert len(report.written) == len(kb.pages)


@pytest.mark.parametrize("ending", ["> a | b\n> --|--\n>", "> a | b", "> --|--", ">"])
def test_a_persona_ending_in_a_quoted_table_is_read(tmp_path: Path, ending: str) -> None:
    # Fuzz finding: markdown-it-py 3.0 raised IndexError and the persona was dropped.
    source = tmp_path / "kb"
    source.mkdir()
    (source / "q.md").write_text(f"---\nname: q\n---\n\n# Q\n\n## Notes\n\n{ending}", "utf-8")
    result = ingest([source])
    assert [d.code for d in result.diagnostics if d.code == "PKB109"] == []
    assert [p.name for p in result.personas] == ["q"]
    build_knowledge_base(KBOptions(source=source))


def test_line_separators_in_front_matter_keep_reported_lines_in_the_file(tmp_path: Path) -> None:
    # Fuzz finding: YAML counts U+2028 as a line break, which pushed lines past the end.
    source = tmp_path / "kb"
    source.mkdir()
    text = '---\nname: u\ndescription: "a\u2028b\u2028c\u2028d"\ntools: [a\n---\n\n# U\n'
    (source / "u.md").write_text(text, encoding="utf-8")
    result = ingest([source])
    lines = [d.span.line for d in result.diagnostics if d.span.path.endswith("u.md")]
    assert lines
    assert all(1 <= line <= text.count("\n") for line in lines)


def test_nested_html_never_reaches_python_markdown_as_a_recursion(tmp_path: Path) -> None:
    source = _library(tmp_path)
    nested = "<div markdown>\n" * 1200 + "deep\n" + "</div>\n" * 1200
    (source / "nest.md").write_text(f"---\nname: n\n---\n\n# N\n\n## Notes\n\n{nested}", "utf-8")
    kb = build_knowledge_base(KBOptions(source=source))
    assert any(d.code == "PKB304" for d in kb.diagnostics)
    extensions = [*MARKDOWN_EXTENSIONS, "md_in_html"]
    for page in kb.pages:
        markdown.markdown(page.markdown, extensions=extensions)  # no RecursionError


def test_export_keeps_a_hand_written_page_that_quotes_the_marker(tmp_path: Path) -> None:
    source = _library(tmp_path)
    out = tmp_path / "docs" / "kb"
    kb = build_knowledge_base(KBOptions(source=source))
    export_pages(kb.pages, out)
    guide = out / "how-it-works.md"
    guide.write_text(
        f"# How it works\n\nEvery page starts with:\n\n```markdown\n{GENERATED_MARKER}\n```\n",
        encoding="utf-8",
    )
    report = export_pages(kb.pages, out)
    assert guide.is_file()
    assert report.removed == []
    assert not list(out.rglob(".persona-kb-*.tmp"))


def test_export_removes_only_what_its_manifest_lists_unchanged(tmp_path: Path) -> None:
    source = _library(tmp_path)
    out = tmp_path / "docs" / "kb"
    (source / "go.md").write_text(PERSONA.replace("ok", "go").replace("Ok", "Go"), "utf-8")
    kb = build_knowledge_base(KBOptions(source=source))
    export_pages(kb.pages, out)
    topics = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(topics) >= 1
    edited = next(out.rglob("QUICK-REFERENCE.md"))
    edited.write_text(edited.read_text("utf-8") + "\nMy own note.\n", encoding="utf-8")
    (source / "go.md").unlink()
    (source / "ok.md").unlink()
    (source / "other.md").write_text(PERSONA.replace("ok", "zz"), "utf-8")
    kb = build_knowledge_base(KBOptions(source=source))
    report = export_pages(kb.pages, out)
    assert edited.is_file()  # changed since written: someone's work, never deleted
    assert edited not in report.removed
    assert report.removed  # the untouched stale pages did go


def test_a_deeply_nested_json_example_is_a_diagnostic_not_a_traceback() -> None:
    from persona_kb._internal.checks.examples.languages import check_json

    # 100,000 deep (200 KB): past the parser's limit on every Python we support; 3.13's
    # parser goes deeper than 3.11's, so a shallower block would pass there.
    problem = check_json("[" * 100_000 + "]" * 100_000)
    assert problem is not None
    assert "nested too deeply" in problem[1]
    assert check_json('{"a": [1, 2]}') is None


def test_kill_9_during_export_leaves_no_temporary_file(tmp_path: Path) -> None:
    # A real library (wshobson's agents, MIT) exported again and again, each run killed
    # at a different instant while it writes; then one export finishes the job.
    project = tmp_path / "project"
    shutil.copytree(FIXTURE_CORPUS / "wshobson__agents", project / "kb")
    out = project / "docs" / "kb"
    command = [sys.executable, "-m", "persona_kb._internal.adapters.cli.main", "export"]
    for delay in (0.0, 0.02, 0.06, 0.15, 0.4):
        shutil.rmtree(out, ignore_errors=True)
        process = subprocess.Popen(
            command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while process.poll() is None and not (out.is_dir() and any(out.rglob("*.md"))):
            time.sleep(0.005)  # until the first page is on disk: the writes have begun
        time.sleep(delay)
        process.kill()
        process.wait()
        assert list(out.rglob(".persona-kb-*.tmp")) == [], delay
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    check = subprocess.run(
        [*command, "--check"], cwd=project, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert list(out.rglob(".persona-kb-*.tmp")) == []


def test_yaml_examples_with_application_tags_or_bad_values_never_crash() -> None:
    from persona_kb._internal.checks.examples.languages import check_yaml

    # MkDocs' and GitLab's own tags are valid YAML: read as plain values, never run.
    mkdocs = (
        "toc:\n  slugify: !!python/object/apply:pymdownx.slugs.slugify\n    kwds: {case: lower}\n"
    )
    assert check_yaml(mkdocs) is None
    assert check_yaml("site_url: !ENV [SITE_URL, 'x']\nhook: !!python/name:os.system\n") is None
    assert check_yaml("script: !reference [.setup, script]\n") is None
    # A value its standard tag cannot read, or nesting past the parser: a diagnostic.
    problem = check_yaml("port: !!int eighty\n")
    assert problem is not None
    assert "cannot be read" in problem[1]
    deep = check_yaml("[" * 100_000)
    assert deep is not None
    assert "nested too deeply" in deep[1]
    broken = check_yaml("a: [1\n")
    assert broken is not None
    assert broken[0] == 2
