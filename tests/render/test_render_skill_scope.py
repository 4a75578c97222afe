"""Issue #9 behaviour kept on the issue #10 pages: an instruction file's scope on its
README row, and a skill's bundled files in the guide mapped to their own lines."""

from __future__ import annotations

from pathlib import Path

from persona_kb._internal.kb.build import KBOptions, build_knowledge_base


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_readme_row_says_what_the_file_applies_to(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "kb/.github/instructions/python.instructions.md": (
                "---\napplyTo: '**/*.py'\ndescription: Python rules\n---\n"
                "# Python\n\n- Always use type hints.\n"
            )
        },
    )
    kb = build_knowledge_base(KBOptions(source=tmp_path / "kb"))
    readme = next(p for p in kb.pages if p.path.endswith("/README.md"))
    assert "Python rules *Applies to: files matching `**/*.py`.*" in readme.markdown


def test_bundled_files_are_one_guide_passage_with_valid_anchors(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "kb/pdf-tools/SKILL.md": (
                "---\nname: pdf-tools\ndescription: Work with PDF files.\n---\n"
                "# PDF tools\n\n## Usage\n\nRead references/forms.md.\n"
            ),
            "kb/pdf-tools/references/forms.md": (
                "# Forms\n\n## Filling forms\n\nFill it. See [filling](#filling-forms).\n\n"
                "## Usage\n\nBUNDLED-USAGE\n"
            ),
            "kb/pdf-tools/scripts/fill.py": "print('never run')\n",
        },
    )
    kb = build_knowledge_base(KBOptions(source=tmp_path / "kb"))
    guide = next(p for p in kb.pages if p.path.endswith("COMPREHENSIVE-GUIDE.md"))
    lines = guide.markdown.split("\n")
    assert "### Bundled files {#pdf-tools-bundled-files}" in lines
    heading = next(line for line in lines if line.startswith("#### Filling forms {#"))
    anchor = heading.rsplit("{#", 1)[1].rstrip("}")
    # the file's own `#fragment` link lands on its heading's id on the guide
    assert f"Fill it. See [filling](PDF-TOOLS-COMPREHENSIVE-GUIDE.md#{anchor})." in lines
    ids = [line.rsplit("{#", 1)[1] for line in lines if line.startswith("#") and "{#" in line]
    assert all(" " not in i for i in ids)
    assert len(ids) == len(set(ids))  # the file's own "Usage" does not reuse an id
    number = next(i for i, line in enumerate(lines, 1) if line == "BUNDLED-USAGE")
    span = guide.source_map.lookup(number)
    assert span is not None
    assert span.path.endswith("references/forms.md")
    assert span.line == 9
    assert any("scripts/fill.py" in line for line in lines)


def test_links_to_bundled_files_land_on_their_heading_in_the_guide(tmp_path: Path) -> None:
    """A skill links its own files (`references/x.md`, `../guide.md` from a nested one):
    the guide shows those files, so the links point at their headings there, in the site
    and in the GitHub export alike."""
    from persona_kb._internal.kb.agents.github import github_pages

    _write(
        tmp_path,
        {
            "kb/pyzotero/SKILL.md": (
                "---\nname: pyzotero\ndescription: Use the Zotero API.\n---\n"
                "# Pyzotero\n\n## Errors\n\nSee [error handling](references/error-handling.md)"
                " and [retries](references/error-handling.md#retries).\n"
            ),
            "kb/pyzotero/references/error-handling.md": (
                "# Error handling\n\n## Retries\n\nBack off. See [the CLI](../cli.md).\n"
            ),
            "kb/pyzotero/cli.md": "# CLI\n\nRun `zotero`.\n",
        },
    )
    kb = build_knowledge_base(KBOptions(source=tmp_path / "kb"))
    guide = next(p for p in kb.pages if p.path.endswith("-COMPREHENSIVE-GUIDE.md"))
    text = guide.markdown
    assert "{#pyzotero-references-error-handling-md}" in text
    assert "](PYZOTERO-COMPREHENSIVE-GUIDE.md#pyzotero-references-error-handling-md)" in text
    assert "{#pyzotero-cli-md}" in text
    assert "](PYZOTERO-COMPREHENSIVE-GUIDE.md#pyzotero-cli-md)" in text  # from the nested file
    retries = text.split("[retries](", 1)[1].split(")", 1)[0]
    anchor = retries.split("#", 1)[1]
    assert f"{{#{anchor}}}" in text  # the bundled file's own section
    assert "references/error-handling.md)" not in text
    # GitHub's anchors in the export: every rewritten link still lands on a heading.
    (exported,) = [g.page for g in github_pages([guide], cache=None)]
    assert "{#" not in exported.markdown
