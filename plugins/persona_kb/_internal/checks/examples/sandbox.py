"""The example sandbox's policy, shared by the fork server and its block processes.

What is enforced, and where (also in ``docs/guide/examples.md``):

- **Environment**: an explicit allow-list ([`scrubbed_environment`][]); nothing else of
  the caller's environment (CI secrets, tokens) reaches the fork server or a block.
  ``HOME``, ``TMPDIR`` and ``PWD`` point at the block's own directory. Everywhere.
- **Descriptors**: a block process holds only its own three pipes; the fork server's
  stdin/stdout (the protocol) and other blocks' pipes are closed. Everywhere.
- **Processes**: the fork server is a child subreaper (Linux): whatever a block starts,
  double-forked daemons included, is re-parented to it and killed after the block.
  Elsewhere only the block's process group is killed.
- **Files, TCP, signals, ptrace**: Landlock (Linux >= 5.13, unprivileged; see
  ``landlock.py``): the project and the system are read-only, the block's private
  directory is the only writable place, no TCP, no signals or ``ptrace`` out of it.
- **Network**: a private network namespace (``namespaces.py``) where the kernel lets
  this user create one: no interface but a loopback of its own.

[`describe`][] states which of these are in force on this machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import signal
import stat
import sys
import sysconfig
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from persona_kb._internal.checks.examples.landlock import Ruleset

ALLOWED_ENVIRONMENT = frozenset(
    {
        "PATH",
        "LANG",
        "LANGUAGE",
        "LC_ALL",
        "LC_CTYPE",
        "LC_MESSAGES",
        "LC_NUMERIC",
        "LC_TIME",
        "TZ",
        "TERM",
        "NO_COLOR",
        "COLUMNS",
        "LINES",
        "PYTHONPATH",
        "PYTHONHASHSEED",
        "PYTHONIOENCODING",
        "PYTHONUTF8",
        "PYTHONWARNINGS",
        "VIRTUAL_ENV",
        "SYSTEMROOT",
        "NO_MKDOCS_2_WARNING",
        "DISABLE_MKDOCS_2_WARNING",
        "HOME",
        "TMPDIR",
        "PWD",
        "PYTHONDONTWRITEBYTECODE",
    }
)
"""The only variables of the caller's environment that examples see. Everything else
(``GITHUB_TOKEN``, cloud keys, ``SSH_AUTH_SOCK`` …) is dropped."""

_ETC_SECRETS = frozenset(
    {"shadow", "shadow-", "gshadow", "gshadow-", "sudoers", "sudoers.d", "ssh", "security"}
)
_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36


def scrubbed_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The allow-listed part of ``environ``, for the fork server (``HOME``, ``TMPDIR`` and
    ``PWD`` are not taken from the caller: each block gets its own directory there)."""
    return {
        key: value
        for key, value in environ.items()
        if key in ALLOWED_ENVIRONMENT and key not in _BLOCK_VARIABLES
    }


def enter_block_environment(workdir: str) -> None:
    """Point ``os.environ`` (the fork server's scrubbed one) at the block's directory.

    What an earlier block of the same process added stays: such blocks come from the
    same source file (see ``runner.process_key``)."""
    os.environ.update(HOME=workdir, TMPDIR=workdir, PWD=workdir)


_BLOCK_VARIABLES = frozenset({"HOME", "TMPDIR", "PWD", "PYTHONDONTWRITEBYTECODE"})


def read_roots(cwd: str) -> list[str]:
    """Where blocks may read (and execute): the system, the Python installation, the project.

    ``/etc`` is listed entry by entry, without the password and sudo files; home
    folders, ``/tmp``, ``/root`` and other projects are not readable.
    """
    roots = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/proc"}
    roots |= {"/sys", "/dev", "/run/systemd/resolve", "/System", "/Library"}
    paths = sysconfig.get_paths()
    roots |= {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
    roots |= {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots |= {str(Path(sys.executable).resolve().parent), cwd}
    roots |= {entry for entry in sys.path if entry and Path(entry).is_dir()}
    with contextlib.suppress(OSError):
        roots |= {e.path for e in os.scandir("/etc") if e.name not in _ETC_SECRETS}
    return sorted(root for root in roots if os.path.lexists(root))


def harden_server() -> bool:
    """In the fork server: not dumpable (no ``/proc`` access or ``ptrace`` from blocks of
    the same user) and a child subreaper (orphans come back to it). ``True`` on Linux."""
    libc = _libc()
    if libc is None:
        return False
    libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
    return int(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0


def make_dumpable() -> None:
    """In a block process: dumpable again, so it can read its own ``/proc/self``."""
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def close_descriptors_except(keep: Iterable[int]) -> None:
    """Close every descriptor above 2 except ``keep`` (one ``close_range`` per gap)."""
    low = 3
    for fd in sorted(set(keep)):
        if fd >= low:
            os.closerange(low, fd)
            low = fd + 1
    os.closerange(low, _max_fd())


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 65536


def children(*, threads: bool = True) -> list[int]:
    """The pids of this process's children (from ``/proc``; empty elsewhere). Without
    ``threads``, only the main thread's (enough in a single-threaded process)."""
    found: list[int] = []
    try:
        # os.listdir: this runs per block, Path objects cost more
        tasks = os.listdir("/proc/self/task") if threads else [str(os.getpid())]  # noqa: PTH208
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/children", "rb") as listing:
                found.extend(map(int, listing.read().split()))
        except (OSError, ValueError):
            continue
    return found


def kill_strays(keep: Iterable[int] = ()) -> int:
    """Kill and reap every child of this process except ``keep``; return how many.

    In the subreaper fork server, the children are the spare and live block processes
    plus whatever a finished block left running (re-parented here when its parent died).
    Repeats until none is left, so a process that forks while it is being killed is
    caught too. For single-threaded callers (the fork server).
    """
    keep = set(keep)
    killed = 0
    for _ in range(1000):
        strays = [pid for pid in children(threads=False) if pid not in keep]
        if not strays:
            break
        for pid in strays:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in strays:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        killed += len(strays)
    return killed


def temp_root() -> str:
    """Where block directories go: tmpfs (``/dev/shm``) when usable, it is much faster."""
    shm = "/dev/shm"  # noqa: S108 - a private mkdtemp below it, never a fixed name
    if Path(shm).is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return tempfile.gettempdir()


def remove_tree(path: str) -> None:
    """Remove ``path`` even where a block took away its own permissions."""

    def _retry(_function: object, name: str, _exc: BaseException) -> None:
        target = Path(name)
        with contextlib.suppress(OSError):
            target.parent.chmod(stat.S_IRWXU)
        with contextlib.suppress(OSError):
            if target.is_dir() and not target.is_symlink():
                target.chmod(stat.S_IRWXU)
                shutil.rmtree(target, ignore_errors=True)
            else:
                target.unlink()

    with contextlib.suppress(OSError):
        os.rmdir(path)  # noqa: PTH106 - most blocks leave an empty directory: one system call
        return
    if not os.path.lexists(path):
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=_retry)
    else:
        shutil.rmtree(path, onerror=lambda f, n, e: _retry(f, n, e[1]))


def directory_bytes(path: str, limit: int) -> int:
    """Bytes stored below ``path`` (allocated blocks), counting stops past ``limit``."""
    total = 0
    stack = [path]
    while stack and total <= limit:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                stack.append(entry.path)
            else:
                total += getattr(info, "st_blocks", 0) * 512 or info.st_size
    return total


def describe(
    ruleset: Ruleset | None, *, subreaper: bool, network: str, shm: str, sockets: str = ""
) -> dict[str, list[str]]:
    """What the sandbox enforces on this machine: ``enforced`` and ``missing`` statements.

    ``network``, ``shm`` and ``sockets`` are ``""`` when the fork server is in a private
    network namespace, has a private ``/dev/shm`` and its seccomp filter refuses Unix
    sockets, else why not. The report shows the
    ``missing`` statements, so nothing degrades silently.
    """
    enforced = ["environment allow-list", "private descriptors"]
    missing: list[str] = []
    if ruleset is not None:
        enforced.append(
            f"Landlock ABI {ruleset.abi}: read-only project, writes only in the "
            "block's directory, no ptrace out"
        )
        if ruleset.enforces_tcp:
            enforced.append("no TCP (Landlock)")
        if ruleset.enforces_scopes:
            enforced.append("no signals or abstract sockets out (Landlock)")
    else:
        missing.append(
            "Landlock is unavailable (Linux >= 5.13 needed): blocks can write outside their "
            "directory and read the user's files"
        )
    if not network:
        enforced.append("private network namespace: no network at all")
    elif ruleset is not None and ruleset.enforces_tcp:
        missing.append(f"no network namespace ({network}): only TCP is blocked, UDP is not")
    else:
        missing.append(f"no network isolation ({network})")
    if not sockets:
        enforced.append("no Unix sockets: no local service listening on a path (seccomp)")
    else:
        missing.append(
            f"no seccomp filter ({sockets}): blocks can connect to Unix sockets such as "
            "/var/run/docker.sock"
        )
    if not shm:
        enforced.append("private /dev/shm: counted and wiped after every block")
    else:
        missing.append(
            f"no private /dev/shm ({shm}): POSIX semaphores and shared memory "
            "(multiprocessing locks, queues and pools) fail in blocks"
        )
    if subreaper:
        enforced.append("every process a block starts is killed after it (subreaper)")
    else:
        missing.append("no subreaper: a daemon that leaves the block's process group survives")
    return {"enforced": enforced, "missing": missing}
