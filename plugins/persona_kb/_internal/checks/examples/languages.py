"""Checks for the languages that are parsed, not run: YAML, JSON, TOML, INI and shell.

Each check returns ``None`` when the block is fine, or ``(code line, message)``
with a 1-based line inside the block. Nothing here executes the block.
"""

from __future__ import annotations

import configparser
import json
import re
import subprocess
import tomllib
from collections.abc import Callable

import yaml

from persona_kb._internal.markdown.info_string import normalize_language

LanguageCheck = Callable[[str], "tuple[int, str] | None"]

# A console transcript is shell to check; every other name is the fence's own language.
_CHECKED_AS: dict[str, str] = {"console": "bash"}


def normalise_language(language: str) -> str:
    """The checker a fence language gets: the Markdown layer's name for it
    (``Python``/``py``/``python3`` → ``python``, ``yml`` → ``yaml``), with ``console``
    transcripts checked as ``bash``."""
    name = normalize_language(language)
    return _CHECKED_AS.get(name, name)


def check_yaml(code: str) -> tuple[int, str] | None:
    """Every document parses with ``yaml.safe_load_all``."""
    try:
        for _document in yaml.safe_load_all(code):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return line, " ".join(str(p) for p in (exc.context, exc.problem) if p)
    except yaml.YAMLError as exc:
        return 1, str(exc)
    return None


def check_json(code: str) -> tuple[int, str] | None:
    """The block is one JSON document."""
    try:
        json.loads(code)
    except json.JSONDecodeError as exc:
        return exc.lineno, exc.msg
    except RecursionError:
        # Valid or not, it is nested deeper than Python's parser goes: say so, no traceback.
        return 1, "nested too deeply to check (over Python's recursion limit); flatten it"
    return None


_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def check_toml(code: str) -> tuple[int, str] | None:
    """The block parses with ``tomllib``."""
    try:
        tomllib.loads(code)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        return (int(found.group(1)) if found else 1), _TOML_LINE.sub("", str(exc)).strip()
    return None


def check_ini(code: str) -> tuple[int, str] | None:
    """The block parses with ``configparser`` (no interpolation: ``%`` is literal)."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    try:
        parser.read_string(code)
    except configparser.MissingSectionHeaderError as exc:
        return exc.lineno, "a key appears before any [section] header"
    except configparser.ParsingError as exc:
        first = exc.errors[0][0] if exc.errors else 1
        return first, "lines that are neither a [section], a key = value, nor a comment"
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as exc:
        return exc.lineno or 1, exc.message
    except configparser.Error as exc:
        return 1, exc.message
    return None


_BASH_LINE = re.compile(r"line (\d+): (.*)")


def console_commands(code: str) -> tuple[str, tuple[int, ...]]:
    """For a ``console`` session: the commands after ``$ `` prompts, with their lines."""
    commands: list[str] = []
    lines: list[int] = []
    for number, line in enumerate(code.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith(("$ ", "# ")) or stripped == "$":
            commands.append(stripped[2:])
            lines.append(number)
    return "\n".join(commands), tuple(lines)


def check_bash(code: str) -> tuple[int, str] | None:
    """``bash -n``: syntax only, nothing runs. ``$``-prompted sessions check the commands."""
    if any(line.lstrip().startswith("$ ") for line in code.splitlines()):
        code, lines = console_commands(code)
    else:
        lines = ()
    try:
        done = subprocess.run(
            ["bash", "-n"], input=code, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, f"bash -n could not run: {exc}"
    if done.returncode == 0:
        return None
    found = _BASH_LINE.search(done.stderr)
    line = int(found.group(1)) if found else 1
    if lines:
        line = lines[min(line, len(lines)) - 1]
    message = found.group(2).strip() if found else done.stderr.strip() or "syntax error"
    return line, message


PARSED_LANGUAGES: dict[str, LanguageCheck] = {
    "yaml": check_yaml,
    "json": check_json,
    "toml": check_toml,
    "ini": check_ini,
    "bash": check_bash,
}
"""Languages checked by parsing, keyed by normalised name."""

EXECUTED_LANGUAGES = frozenset({"python", "pycon"})
"""Languages that the worker runs."""
