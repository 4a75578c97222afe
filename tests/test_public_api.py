"""The public surface is ``persona_kb.__all__``: small, complete and closed.

Closed means a user never receives an object whose type they cannot import from
``persona_kb``: every type named in the signature of an exported function, or in the
fields of an exported dataclass, is exported too.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import typing
from collections.abc import Iterator

import persona_kb


def _classes_in(annotation: object) -> Iterator[type]:
    if isinstance(annotation, type):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _classes_in(argument)


def _own(cls: type) -> bool:
    return cls.__module__.startswith("persona_kb.")


def test_all_is_sorted_unique_and_resolves() -> None:
    names = persona_kb.__all__
    assert names == sorted(names, key=lambda n: (n[0].islower(), n))
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(persona_kb, name).__module__.startswith("persona_kb._internal.")


def test_every_type_a_public_object_hands_out_is_public() -> None:
    exported = {getattr(persona_kb, name) for name in persona_kb.__all__}
    missing: set[str] = set()
    for name in persona_kb.__all__:
        obj = getattr(persona_kb, name)
        if isinstance(obj, type) and issubclass(obj, enum.Enum):
            continue
        target = obj.__init__ if isinstance(obj, type) else obj
        hints = typing.get_type_hints(target)
        if dataclasses.is_dataclass(obj):
            hints |= typing.get_type_hints(obj)
        for annotation in hints.values():
            for cls in _classes_in(annotation):
                if _own(cls) and cls not in exported:
                    missing.add(f"{cls.__module__}.{cls.__qualname__} (via {name})")
    assert not missing, "export these from persona_kb: " + ", ".join(sorted(missing))


def test_every_public_function_and_class_is_documented() -> None:
    undocumented = [
        name for name in persona_kb.__all__ if not inspect.getdoc(getattr(persona_kb, name))
    ]
    assert undocumented == []
