"""Private network and mount namespaces for the fork server and every block it forks (Linux).

Entered once, when the fork server starts and before it forks anything, so blocks pay
nothing for it. Inside the network namespace there is only a loopback interface of its
own (down), so no address outside, the machine's own ``127.0.0.1`` services included, is
reachable, nor abstract Unix sockets of other namespaces. Inside the mount namespace,
``/dev/shm`` is a fresh tmpfs: POSIX semaphores and shared memory (``multiprocessing``)
work, nothing written there is seen outside, and it all vanishes with the last process.

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

_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_REC = 0x4000
_MS_PRIVATE = 1 << 18
SHM = "/dev/shm"  # noqa: S108 - replaced by a private tmpfs in this namespace


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


def _private_shm(libc: ctypes.CDLL) -> str:
    """Mount a fresh tmpfs on ``/dev/shm``; ``""`` on success, else why not."""
    if libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return f"mounts cannot be made private ({os.strerror(ctypes.get_errno())})"
    options = b"mode=1777"
    if libc.mount(b"tmpfs", SHM.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options) != 0:
        return f"no tmpfs on {SHM} ({os.strerror(ctypes.get_errno())})"
    return ""


def enter_private_namespaces() -> tuple[str, str]:
    """Move this (single-threaded) process into new network and mount namespaces.

    Returns ``(network, shm)``: each ``""`` when in force, else the reason it is not
    (``shm`` is the private ``/dev/shm``).
    """
    if not sys.platform.startswith("linux"):
        return f"no namespaces on {sys.platform}", f"no namespaces on {sys.platform}"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"the C library cannot be loaded ({exc})", "no C library"
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET | _CLONE_NEWNS) == 0:
        try:
            _map_ids(uid, gid)
        except OSError as exc:
            reason = f"the user namespace's id map was refused ({exc.strerror})"
            return reason, reason
        return "", _private_shm(libc)
    errno = ctypes.get_errno()
    if libc.unshare(_CLONE_NEWNET | _CLONE_NEWNS) == 0:  # root without user namespaces
        return "", _private_shm(libc)
    reason = f"the kernel refused user namespaces to this user ({os.strerror(errno)})"
    return reason, reason
