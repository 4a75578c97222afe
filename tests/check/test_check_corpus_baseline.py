"""A library we did not write, as a site: ``check`` with a baseline passes, and a block broken
afterwards fails it (at its persona line), while the baselined failures stay quiet.

Reads ``../shared/corpus`` (one category of the VoltAgent subagents: 16 personas, 27 code
blocks, JSON, TypeScript and more, with a real failure: an npm package that is not
installed). Skips, saying why, where that folder does not exist (it does not for users).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main

REPO = Path(__file__).resolve().parents[2]
LIBRARY = REPO.parent / "shared" / "corpus" / "VoltAgent__awesome-claude-code-subagents"
CATEGORY = "categories/06-developer-experience"


@pytest.fixture
def corpus_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not (LIBRARY / CATEGORY).is_dir():
        pytest.skip(f"{LIBRARY} is not here: the shared corpus exists only beside the repo")
    shutil.copytree(LIBRARY / CATEGORY, tmp_path / "personas" / CATEGORY)
    shutil.copy(LIBRARY / "LICENSE", tmp_path / "personas" / "LICENSE")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Corpus\n\nA third-party library.\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: corpus\nplugins:\n  - persona-kb:\n      source: personas\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _break_a_json_block(root: Path) -> tuple[str, int]:
    """Insert an invalid line after the opening ``{`` of the first JSON block that has one;
    return the persona path and the line of the broken text."""
    for persona in sorted((root / "personas" / CATEGORY).glob("*.md")):
        lines = persona.read_text(encoding="utf-8").splitlines(keepends=True)
        for n, line in enumerate(lines[:-1]):
            if line.strip() == "```json" and lines[n + 1].strip() == "{":
                lines.insert(n + 2, '  "persona-kb-broke-this": ,\n')
                persona.write_text("".join(lines), encoding="utf-8")
                return persona.relative_to(root).as_posix(), n + 3
    raise AssertionError("no JSON block opening with '{' in the category")


@pytest.mark.slow
def test_check_with_a_baseline_passes_and_a_newly_broken_block_fails_it(
    corpus_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    skip = ["--skip", "links", "--jobs", "1"]
    assert main(["check", *skip, "--update-baseline"]) == 0
    out = capsys.readouterr().out
    recorded = json.loads((corpus_site / "persona-kb-baseline.json").read_text("utf-8"))
    assert recorded["failures"], "the library has failures to record"
    assert "baselined failure" in out

    assert main(["check", *skip]) == 0  # the baseline alone makes it pass
    capsys.readouterr()

    path, line = _break_a_json_block(corpus_site)
    assert main(["check", *skip]) == 1
    out = capsys.readouterr().out
    errors = [row for row in out.splitlines() if ": error: " in row]
    assert len(errors) == 1, out
    assert errors[0].startswith(f"{path}:{line}:"), errors[0]
    count = len(recorded["failures"])
    assert f"{count} baselined failure{'s' if count != 1 else ''} remain" in out
