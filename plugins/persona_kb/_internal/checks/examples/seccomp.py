"""A seccomp filter: no new Unix-domain sockets, no io_uring (Linux x86-64 and arm64).

Landlock (up to ABI 7) does not govern ``connect`` to a socket *file*, so without this a
block could talk to ``/var/run/docker.sock``, an SSH agent in ``/tmp`` or any local
service listening on a path. The filter makes ``socket(AF_UNIX, …)`` fail with
``EACCES``; ``socketpair`` (``asyncio``, ``multiprocessing.Pipe``) and pipes still work.
``io_uring_setup`` is refused too, since io_uring can open sockets without the
``socket`` system call. Installed once in the fork server; every block inherits it and
can never remove it.

The program is ten classic-BPF instructions, written out below rather than pulled in
through libseccomp: it is small enough to read, and needs no system library.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import sys

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET = 0x06  # BPF_RET | BPF_K
_IO_URING_SETUP = 425  # the same number on every architecture
_X32_BIT = 0x40000000

# machine -> (AUDIT_ARCH_*, the number of the ``socket`` system call)
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198), "arm64": (0xC00000B7, 198)}


class _Filter(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    )


class _Program(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter)))


def _program(arch: int, socket_nr: int) -> list[tuple[int, int, int, int]]:
    deny = _RET_ERRNO | errno.EACCES
    return [
        (_LD_ABS, 0, 0, 4),  # 0: seccomp_data.arch
        (_JEQ, 1, 0, arch),  # 1: native → 3
        (_RET, 0, 0, _RET_ERRNO | errno.EPERM),  # 2: foreign ABI (32-bit): refused
        (_LD_ABS, 0, 0, 0),  # 3: seccomp_data.nr
        (_JGE, 4, 0, _X32_BIT),  # 4: x32 system calls → 9
        (_JEQ, 3, 0, _IO_URING_SETUP),  # 5: → 9
        (_JEQ, 0, 3, socket_nr),  # 6: socket → 7, else → 10
        (_LD_ABS, 0, 0, 16),  # 7: low half of args[0], the domain
        (_JEQ, 0, 1, socket.AF_UNIX),  # 8: AF_UNIX → 9, else → 10
        (_RET, 0, 0, deny),  # 9
        (_RET, 0, 0, _RET_ALLOW),  # 10
    ]


def deny_unix_sockets() -> str:
    """Install the filter on this process (inherited by its children).

    Returns ``""`` when it is in force, else the reason it is not.
    """
    if not sys.platform.startswith("linux"):
        return f"no seccomp on {sys.platform}"
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return f"no filter written for {platform.machine()}"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"the C library cannot be loaded ({exc})"
    rows = _program(*arch)
    filters = (_Filter * len(rows))(*(_Filter(*row) for row in rows))
    program = _Program(len(rows), filters)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"no_new_privs refused ({ctypes.get_errno()})"
    prctl = libc.prctl
    prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong)
    if prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(program), 0, 0) != 0:
        return f"the kernel refused the filter (errno {ctypes.get_errno()})"
    return ""
