"""Which codes to ignore and which to re-level: the plugin's ``codes:`` option.

```yaml
plugins:
  - persona-kb:
      codes:
        ignore: [PKB110, PKB31]      # a code, or a prefix: PKB31 is PKB310-PKB314
        severity:
          PKB201: error              # error, warning, info or ignore
          PKB6: warning
```

The most specific entry wins (``PKB604`` over ``PKB6``). The same policy applies to
every command (``mkdocs build``, ``lint``, ``links``, ``examples``, ``check``) and to the
pytest plugin; inline comments in a persona (see ``ingest.directives``) ignore codes for
one block or one file. Re-levelling changes how a problem is reported and whether it
fails a check, not what persona-kb does with the file (an unreadable file stays skipped).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final

from persona_kb._internal.core.diagnostics import (
    CODES,
    Diagnostic,
    PersonaKBError,
    Severity,
    SourceSpan,
)

IGNORE: Final = "ignore"
"""The level that drops a diagnostic."""

LEVELS = (*(str(s) for s in Severity), IGNORE)
"""What ``codes.severity`` may set a code to."""

Locate = Callable[[str], SourceSpan]
"""Where a piece of the option's text sits in the config file (for error messages)."""

_CODE = re.compile(r"PKB\d{1,3}")
CODES_PAGE = "docs/guide/codes.md"


@dataclass(frozen=True, slots=True)
class CodePolicy:
    """Codes (or code prefixes) mapped to the level they are reported at, or ``ignore``."""

    levels: Mapping[str, str] = field(default_factory=dict)
    inline: bool = True
    """Whether ``<!-- persona-kb: ignore … -->`` comments in persona files count."""

    def level(self, code: str) -> str | None:
        """The configured level of ``code`` (most specific entry), ``None`` if not set."""
        for length in range(len(code), 3, -1):
            found = self.levels.get(code[:length])
            if found is not None:
                return found
        return None

    def apply(self, diagnostic: Diagnostic) -> Diagnostic | None:
        """``diagnostic`` at its configured level, or ``None`` when its code is ignored."""
        level = self.level(diagnostic.code)
        if level is None or level == diagnostic.severity:
            return diagnostic
        if level == IGNORE:
            return None
        return replace(diagnostic, severity=Severity(level))

    @property
    def configured(self) -> bool:
        """Whether any code is ignored or re-levelled by configuration."""
        return bool(self.levels)


def matches_a_code(name: str) -> bool:
    """Whether ``name`` is a code, or a prefix of at least one (``PKB6``, ``PKB31``)."""
    return _CODE.fullmatch(name) is not None and any(code.startswith(name) for code in CODES)


def code_policy(
    value: object, where: SourceSpan, key: str = "codes", locate: Locate | None = None
) -> CodePolicy:
    """A [`CodePolicy`][persona_kb._internal.core.code_policy.CodePolicy] from the option
    value (``{ignore: [...], severity: {...}, inline: true}``).

    Raises [`PersonaKBError`][persona_kb.PersonaKBError] at ``where`` (or where
    ``locate`` finds the offending code in the config file) for anything it cannot use,
    saying what to write instead.
    """
    at = locate or (lambda _text: where)
    if value is None:
        return CodePolicy()
    if not isinstance(value, Mapping):
        raise PersonaKBError(
            f"plugin option '{key}' must be a mapping with 'ignore:' and/or 'severity:', "
            f"not {value!r}",
            where,
        )
    unknown = sorted(str(k) for k in value if k not in ("ignore", "severity", "inline"))
    if unknown:
        raise PersonaKBError(
            f"plugin option '{key}' has unknown key(s) {', '.join(unknown)}; "
            "use 'ignore:', 'severity:' or 'inline:'",
            where,
        )
    levels: dict[str, str] = {}
    ignore = value.get("ignore") or []
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list):
        raise PersonaKBError(f"plugin option '{key}.ignore' must be a list of codes", where)
    for name in ignore:
        levels[_checked_code(name, f"{key}.ignore", at(str(name)))] = IGNORE
    severity = value.get("severity") or {}
    if not isinstance(severity, Mapping):
        raise PersonaKBError(
            f"plugin option '{key}.severity' must map codes to one of {', '.join(LEVELS)}",
            where,
        )
    for name, level in severity.items():
        code = _checked_code(name, f"{key}.severity", at(str(name)))
        if level not in LEVELS:
            raise PersonaKBError(
                f"plugin option '{key}.severity' sets {code} to {level!r}; "
                f"use one of {', '.join(LEVELS)}",
                at(str(name)),
            )
        levels[code] = str(level)
    inline = value.get("inline", True)
    if not isinstance(inline, bool):
        raise PersonaKBError(f"plugin option '{key}.inline' must be true or false", where)
    return CodePolicy(levels, inline)


def _checked_code(name: object, key: str, where: SourceSpan) -> str:
    text = str(name).strip().upper()
    if not matches_a_code(text):
        raise PersonaKBError(
            f"plugin option '{key}' names {name!r}, which is not a persona-kb code; use a "
            f"code such as PKB201 or a prefix such as PKB2 (every code is listed in "
            f"{CODES_PAGE})",
            where,
        )
    return text
