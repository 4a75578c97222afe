#!/usr/bin/env bash
# A new user's first build, as the README describes it: build the wheel and the sdist,
# `pip install` the wheel with plain pip into a fresh `python3 -m venv`, then build a
# minimal project with `theme: mkdocs` and `plugins: [search, persona-kb]` --strict.
# No uv, no Material, no dev dependencies in that venv: only what the wheel declares.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

uv build --quiet --out-dir "$work/dist"

echo "-- the sdist holds the package and the top-level files only"
python3 - "$work"/dist/*.tar.gz <<'PY'
import sys
import tarfile

with tarfile.open(sys.argv[1]) as sdist:
    names = [n.split("/", 1)[1] for n in sdist.getnames() if "/" in n]
stray = [n for n in names if not n.startswith("plugins/persona_kb/") and "/" in n]
assert not stray, f"unexpected files in the sdist: {stray[:10]}"
for wanted in ("README.md", "LICENSE", "CHANGELOG.md", "pyproject.toml", "PKG-INFO"):
    assert wanted in names, f"{wanted} is missing from the sdist"
print(f"   {len(names)} files")
PY

echo "-- plain pip install of the wheel into a fresh venv"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$work"/dist/*.whl
"$work/venv/bin/persona-kb" --version
"$work/venv/bin/python" -m persona_kb --version

echo "-- mkdocs build --strict of a minimal theme: mkdocs project"
project="$work/project"
mkdir -p "$project/docs" "$project/kb"
cat > "$project/mkdocs.yml" <<'YAML'
site_name: clean install
theme:
  name: mkdocs
plugins:
  - search
  - persona-kb
YAML
printf '# Home\n\nWelcome.\n' > "$project/docs/index.md"
cat > "$project/kb/python-api-engineer.md" <<'MD'
---
name: python-api-engineer
description: Builds FastAPI services in typed Python.
---

# Python API Engineer

## Patterns

#### ❌ WRONG: blocking sleep in an async route

```python
import time

async def handler() -> None:
    time.sleep(1)
```

#### ✅ CORRECT: await the async sleep

```python
import asyncio

async def handler() -> None:
    await asyncio.sleep(1)
```
MD
(cd "$project" && NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true "$work/venv/bin/mkdocs" build --strict)
page="$project/site/kb/python/PYTHON-SPECIFIC-PATTERNS/index.html"
grep -q 'tabbed-labels' "$page"
grep -q 'assets/persona-kb/tabbed-fallback.css' "$page"
test -f "$project/site/assets/persona-kb/tabbed-fallback.css"
echo "-- clean install: ok"
