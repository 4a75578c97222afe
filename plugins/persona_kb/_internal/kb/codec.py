"""JSON encoding of the frozen model dataclasses, for the on-disk caches.

JSON rather than pickle: reading a cache file back can never run code. Decoding is
driven by the dataclasses' type hints, so the model stays the single source of truth;
a file that does not fit the model raises ``ValueError`` and is treated as a miss.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


_SCALARS = frozenset({str, int, float, bool, type(None)})


@cache
def _field_names(cls: Any) -> tuple[str, ...] | None:
    # A dataclass's field names (looked up once per class), or None for other classes.
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return None


def encode(value: object) -> Any:
    """A JSON-ready form of ``value`` (dataclasses, enums, tuples, mappings, scalars)."""
    cls: Any = type(value)
    if cls in _SCALARS:  # exactly: a str-valued enum is encoded as its value below
        return value
    names = _field_names(cls)
    if names is not None:
        return {name: encode(getattr(value, name)) for name in names}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, Enum)


def _needs_conversion(hint: Any) -> bool:
    # Does anything inside ``hint`` decode to something other than plain JSON data?
    if dataclasses.is_dataclass(hint) or _is_enum(hint):
        return True
    if typing.get_origin(hint) is tuple:
        return True
    return any(_needs_conversion(a) for a in typing.get_args(hint) if a is not Ellipsis)


def _identity(data: Any) -> Any:
    return data


@cache
def decoder(hint: Any) -> Callable[[Any], Any]:
    """A function rebuilding values of type ``hint`` from their encoded form (built once
    per type, so decoding a cache file interprets no type hints)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            inner = decoder(options[0])
            return lambda data: None if data is None else inner(data)
        if not any(_needs_conversion(a) for a in options):
            return _identity
        raise TypeError(f"cannot decode the union {hint}")
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        cls = hint
        fields: list[tuple[str, Callable[[Any], Any]]] = []

        def build(data: Any) -> Any:
            if not fields:  # resolved on first use: `Section.children` refers to Section
                hints = _hints(cls)
                fields.extend((f.name, decoder(hints[f.name])) for f in dataclasses.fields(cls))
            if not isinstance(data, dict):
                raise ValueError(f"expected an object for {cls.__name__}")
            return cls(**{name: decode(data[name]) for name, decode in fields if name in data})

        return build
    if _is_enum(hint):
        return typing.cast("Callable[[Any], Any]", hint)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = decoder(args[0])
            if item is _identity:
                return tuple
            return lambda data: tuple(item(v) for v in data)
        items = [decoder(a) for a in args]
        return lambda data: tuple(d(v) for d, v in zip(items, data, strict=True))
    if origin in (Mapping, dict, list) or hint in (str, int, float, bool) or hint is Any:
        if not _needs_conversion(hint):
            return _identity
        if origin is list:
            item = decoder(args[0])
            return lambda data: [item(v) for v in data]
        value = decoder(args[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    return _identity


def decode_as(cls: type[T], data: Any) -> T:
    """Rebuild a ``cls`` value from what [`encode`][persona_kb._internal.kb.codec.encode]
    made of it; ``ValueError``/``TypeError``/``KeyError`` when the data does not fit."""
    build: Callable[[Any], T] = decoder(typing.cast("Any", cls))
    value: T = build(data)
    return value
