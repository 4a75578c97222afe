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
