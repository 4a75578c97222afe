"""Fence info strings: the language, ``.class`` words and ``key="value"`` attributes.

Persona files write info strings in every dialect MkDocs accepts: plain (``python``), with
Python-Markdown attribute lists (``{.python .no-run}``, ``{ .python title="x.py" }``), with
pymdownx.highlight options (``py linenums="1" hl_lines="2 3"``), with bare marker words
(``python no-run``) and rustdoc-style commas (``python,no-run``).
"""

from __future__ import annotations

_ALIASES: dict[str, str] = {
    "py": "python",
    "py3": "python",
    "python3": "python",
    "python": "python",
    "pycon": "pycon",
    "pycon3": "pycon",
    "python-console": "pycon",
    "doctest": "pycon",
    "sh": "bash",
    "shell": "bash",
    "zsh": "bash",
    "bash": "bash",
    "console": "console",
    "shell-session": "console",
    "sh-session": "console",
    "shellsession": "console",
    "terminal": "console",
    "yml": "yaml",
    "yaml": "yaml",
    "json": "json",
    "cfg": "ini",
    "ini": "ini",
    "dosini": "ini",
    "toml": "toml",
    "js": "javascript",
    "javascript": "javascript",
    "node": "javascript",
    "mjs": "javascript",
    "cjs": "javascript",
    "ts": "typescript",
    "typescript": "typescript",
    "md": "markdown",
    "markdown": "markdown",
    "txt": "text",
    "text": "text",
    "plain": "text",
    "plaintext": "text",
    "golang": "go",
    "rs": "rust",
    "c++": "cpp",
    "cs": "csharp",
    "c#": "csharp",
    "rb": "ruby",
    "kt": "kotlin",
    "ps1": "powershell",
    "pwsh": "powershell",
    "docker": "dockerfile",
    "patch": "diff",
}


def normalize_language(word: str) -> str:
    """The canonical name of a fence language: ``py``/``python3``/``Python`` → ``python``.

    Shell dialects become ``bash`` (``console`` transcripts stay ``console``), ``yml`` becomes
    ``yaml``, ``cfg`` becomes ``ini``, ``js``/``ts`` become ``javascript``/``typescript``, ``md``
    becomes ``markdown``. ``jsonc`` and ``json5`` stay themselves: they are not JSON a strict
    parser accepts. Unknown languages are lower-cased; no language gives ``""``.
    """
    name = word.strip().strip("{}").strip().lstrip(".").lower()
    return _ALIASES.get(name, name)


def _split_words(info: str) -> list[str]:
    """Split on blanks and commas outside quotes; braces are words of their own."""
    words: list[str] = []
    current: list[str] = []
    quote = ""
    for char in info:
        if quote:
            if char == quote:
                quote = ""
            else:
                current.append(char)
        elif char in "\"'" and current and current[-1] == "=":
            quote = char
        elif char.isspace() or char in ",{}":
            if current:
                words.append("".join(current))
                current = []
            if char in "{}":
                words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


def parse_info_string(info: str) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """Split a fence info string into ``(language, classes, attributes)``.

    The language is normalised (see [`normalize_language`][]); classes lose their leading dot;
    attribute values lose their quotes. Inside ``{…}`` the first ``.class`` is the language when
    none was written before the braces (pymdownx.superfences); ``#id`` becomes ``id``.

    >>> parse_info_string('{ .py .no-run title="x.py" }')
    ('python', ('no-run',), {'title': 'x.py'})
    """
    language = ""
    classes: list[str] = []
    attributes: dict[str, str] = {}
    in_braces = False
    first_in_braces = False
    for position, word in enumerate(_split_words(info.strip())):
        if word in ("{", "}"):
            in_braces = word == "{"
            first_in_braces = in_braces
            continue
        opens_braces, first_in_braces = first_in_braces, False
        key, equals, value = word.partition("=")
        if equals and key:
            attributes[key.lower()] = value
        elif word == ":" and in_braces:
            continue  # Python-Markdown's ``{: .class}`` attribute-list spelling
        elif word.startswith("#") and in_braces:
            attributes["id"] = word[1:]
        elif not language and (
            (position == 0 and not in_braces)
            or (in_braces and (word.startswith(".") or opens_braces))
        ):
            # ``{python}`` (Quarto/R Markdown) names the language without a dot.
            language = normalize_language(word)
        elif word.strip(".") and not word.startswith('"'):
            classes.append(word.lstrip("."))
    return language, tuple(classes), attributes


# The options pymdownx.superfences accepts after a bare language (pymdownx.highlight's).
_SUPERFENCES_OPTIONS = frozenset({"title", "hl_lines", "linenums"})


def superfences_info(info: str) -> str | None:
    """``info`` rewritten so that pymdownx.superfences renders the fence as code.

    Returns ``None`` when superfences already accepts ``info``. It accepts a language
    followed only by its known options (``python title="x.py" hl_lines="2"``), a language
    followed by one ``{…}`` attribute list (``python {.no-run}``), or an attribute list alone
    (``{.python .no-run}``). Anything else, such as a bare marker word (``python no-run``) or
    another ``key=value`` (``python raises=ValueError``), makes it render the whole fence as
    inline text. The rewrite is the attribute-list form, which keeps every class and
    attribute: ``{.python .no-run raises="ValueError"}``.

    >>> superfences_info("python no-run")
    '{.python .no-run}'
    >>> superfences_info('python title="x.py"') is None
    True
    """
    text = info.strip()
    if not text or text.startswith("{"):
        return None
    head, brace, _ = text.partition("{")
    language, classes, attributes = parse_info_string(text)
    if brace:
        if len(head.split()) <= 1:
            return None
    elif not classes and all(
        key in _SUPERFENCES_OPTIONS and (f'{key}="' in text or f"{key}='" in text)
        for key in attributes
    ):
        return None
    words = [f".{language}"] if language else []
    words += [f".{name}" for name in classes]
    for key, value in attributes.items():
        quote = "'" if '"' in value else '"'
        words.append(f"{key}={quote}{value}{quote}")
    return "{" + " ".join(words) + "}"
