"""A private network namespace for the fork server and every block it forks (Linux).

Entered once, when the fork server starts and before it forks anything, so blocks pay
nothing for it. Inside there is only a loopback interface of the namespace's own (down),
so no address outside, the machine's own ``127.0.0.1`` services included, is reachable,
nor abstract Unix sockets of other namespaces.

A user namespace comes first where the kernel allows it (also for root: capabilities
then count only inside it, so a block running as root cannot load kernel modules, set
the clock or the host name). Without user namespaces, root still gets the network
namespace alone; an unprivileged user on such a kernel (or on macOS) gets none, and
[`enter_private_network`][] says why.
"""

from __future__ import annotations

import ctypes
import os
import sys

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def _map_ids(uid: int, gid: int) -> None:
    # A process may map only its own ids into the namespace it just created (a wider map
    # needs a helper in the parent namespace). Files of unmapped owners are then read
    # through their "other" permission bits, also by root.
    _write("/proc/self/setgroups", "deny\n")
    _write("/proc/self/uid_map", f"{uid} {uid} 1\n")
    _write("/proc/self/gid_map", f"{gid} {gid} 1\n")


def enter_private_network() -> str:
    """Move this (single-threaded) process into a new network namespace.

    Returns ``""`` on success, else the reason it is not enforced here.
    """
    if not sys.platform.startswith("linux"):
        return f"no network namespaces on {sys.platform}"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"the C library cannot be loaded ({exc})"
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        try:
            _map_ids(uid, gid)
        except OSError as exc:
            return f"the user namespace's id map was refused ({exc.strerror})"
        return ""
    errno = ctypes.get_errno()
    if libc.unshare(_CLONE_NEWNET) == 0:
        return ""
    reason = os.strerror(errno)
    return f"the kernel refused a user and network namespace to this user ({reason})"
