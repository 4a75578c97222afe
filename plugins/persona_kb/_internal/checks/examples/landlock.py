"""Landlock (Linux >= 5.13): an unprivileged, per-process file-system and TCP allow-list.

The fork server builds one ruleset (a file descriptor) when it starts; every block
process applies it to itself with [`restrict_self`][] before it runs user code. The
rules inherit to everything the block starts and can never be loosened.

What a ruleset built by [`build_ruleset`][] allows:

- read and execute below the *read roots* (system directories, the Python installation,
  ``sys.path``, the project), never writing there;
- everything inside the *write roots* (the block process's private directory; a second
  layer that each block process builds for itself, a handful of system calls);
- writing ``/dev/null``;
- no TCP ``bind``/``connect`` at all (ABI 4+);
- no signals to, and no abstract Unix sockets of, processes outside the sandbox (ABI 6+).

Landlock also forbids ``ptrace`` of processes outside the sandbox, which closes
``/proc/<pid>/environ``, ``/proc/<pid>/mem`` and ``/proc/<pid>/fd`` of the parents.

No maintained Python binding covers ABI 4-7 (TCP, scopes), so this module calls the
three system calls through ``ctypes``; they are stable kernel ABI.
"""

from __future__ import annotations

import ctypes
import functools
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass

_SYS_CREATE_RULESET = 444  # the same number on every architecture that has Landlock
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
_MAKE_AND_REMOVE = sum(1 << bit for bit in range(4, 13))  # remove/make dir, file, fifo, …
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3
_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE
_NET_TCP = (1 << 0) | (1 << 1)  # bind, connect (ABI 4)
_SCOPES = (1 << 0) | (1 << 1)  # abstract Unix sockets, signals (ABI 6)

_READ = EXECUTE | READ_FILE | READ_DIR


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


@functools.cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def abi_version() -> int:
    """The Landlock ABI the kernel offers; 0 when there is none (or it is disabled)."""
    libc = _libc()
    if libc is None:
        return 0
    version = int(
        libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    )
    return max(version, 0)


@dataclass(frozen=True, slots=True)
class Ruleset:
    """A built ruleset: its file descriptor and what it enforces (for the report)."""

    fd: int
    abi: int

    @property
    def enforces_tcp(self) -> bool:
        """TCP bind and connect are denied (ABI 4 and later)."""
        return self.abi >= 4

    @property
    def enforces_scopes(self) -> bool:
        """Signals and abstract Unix sockets stay inside the sandbox (ABI 6 and later)."""
        return self.abi >= 6


def _write_rights(abi: int) -> int:
    rights = WRITE_FILE | _MAKE_AND_REMOVE
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    return rights


def _add_rule(libc: ctypes.CDLL, ruleset_fd: int, path: str, access: int) -> None:
    """Allow ``access`` below ``path``; a missing path is skipped."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
        attr = _PathBeneathAttr(access if is_dir else access & _FILE_ONLY, fd)
        result = libc.syscall(_SYS_ADD_RULE, ruleset_fd, _RULE_PATH_BENEATH, ctypes.byref(attr), 0)
        if result < 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"landlock_add_rule({path}): {os.strerror(errno)}")
    finally:
        os.close(fd)


def _create(libc: ctypes.CDLL, fs: int, net: int, scoped: int, abi: int) -> int:
    attr = _RulesetAttr(fs, net, scoped)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    return int(libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0))


def build_ruleset(read_roots: Iterable[str]) -> Ruleset | None:
    """The first layer: reads only below ``read_roots``, no TCP, no signals out.

    Returns ``None`` where Landlock is unavailable (not Linux, kernel < 5.13, disabled);
    the caller says so in the report. The descriptor is inheritable, for forked children,
    which add the second layer ([`restrict_self`][]) that decides where they may write.
    """
    libc = _libc()
    abi = abi_version()
    if libc is None or abi <= 0:
        return None
    fd = _create(libc, _READ, _NET_TCP if abi >= 4 else 0, _SCOPES if abi >= 6 else 0, abi)
    if fd < 0:
        return None
    try:
        for root in read_roots:
            _add_rule(libc, fd, root, _READ)
    except OSError:
        os.close(fd)
        return None
    return Ruleset(fd, abi)


def restrict_self(ruleset: Ruleset, write_roots: Iterable[str]) -> bool:
    """Confine this process and all it starts: ``ruleset``, and writes only below
    ``write_roots`` (plus ``/dev/null``). ``False`` if the kernel refused (then nothing
    of this call is in force; the caller reports it)."""
    libc = _libc()
    if libc is None or libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    writes = _write_rights(ruleset.abi)
    fd = _create(libc, writes, 0, 0, ruleset.abi)
    if fd < 0:
        return False
    try:
        for root in write_roots:
            _add_rule(libc, fd, root, writes)
        _add_rule(libc, fd, os.devnull, WRITE_FILE)
        if libc.syscall(_SYS_RESTRICT_SELF, ruleset.fd, 0) != 0:
            return False
        return int(libc.syscall(_SYS_RESTRICT_SELF, fd, 0)) == 0
    except OSError:
        return False
    finally:
        os.close(fd)
