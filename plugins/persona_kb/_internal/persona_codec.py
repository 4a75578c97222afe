"""JSON encoding of the frozen model dataclasses, for the on-disk caches.

JSON rather than pickle: reading a cache file back can never run code. Decoding is
driven by the dataclasses' type hints, so the model stays the single source of truth;
a file that does not fit the model raises ``ValueError`` and is treated as a miss.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def encode(value: object) -> Any:
    """A JSON-ready form of ``value`` (dataclasses, enums, tuples, mappings, scalars)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
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


def _is_plain_json(hint: Any) -> bool:
    # JSONValue and friends: nothing inside needs converting back.
    args = typing.get_args(hint)
    return hint is Any or (
        bool(args) and not any(dataclasses.is_dataclass(a) or _is_enum(a) for a in args)
    )


def _is_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, Enum)


def decode(hint: Any, data: Any) -> Any:
    """Rebuild a value of type ``hint`` from what ``encode`` made of it."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if data is None and type(None) in args:
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return decode(arg, data)
            except (ValueError, TypeError, KeyError):
                continue
        raise ValueError(f"{data!r} fits none of {hint}")
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {hint.__name__}")
        hints = _hints(hint)
        kwargs = {
            f.name: decode(hints[f.name], data[f.name])
            for f in dataclasses.fields(hint)
            if f.name in data
        }
        return hint(**kwargs)
    if _is_enum(hint):
        return hint(data)
    if origin is tuple:
        if not isinstance(data, list):
            raise ValueError("expected an array")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
    if origin in (Mapping, dict, typing.Mapping):
        if not isinstance(data, dict):
            raise ValueError("expected an object")
        value_hint = args[1] if len(args) == 2 else Any
        if _is_plain_json(value_hint):
            return dict(data)
        return {k: decode(value_hint, v) for k, v in data.items()}
    if origin is list:
        if not isinstance(data, list):
            raise ValueError("expected an array")
        return (
            list(data)
            if not args or _is_plain_json(args[0])
            else [decode(args[0], v) for v in data]
        )
    if hint in (str, int, float, bool):
        if not isinstance(data, hint) or (hint is int and isinstance(data, bool)):
            raise ValueError(f"expected {hint.__name__}, got {type(data).__name__}")
        return data
    return data


def decode_as(cls: type[T], data: Any) -> T:
    """[`decode`][persona_kb._internal.persona_codec.decode] with a typed result."""
    value: T = decode(cls, data)
    return value
