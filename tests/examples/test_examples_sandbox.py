"""Hostile examples stay contained: they reach no secret, socket, file or later result.

Each test is an attack that worked before the sandbox (issue 15). Where this machine
cannot enforce a layer (no Landlock, no user namespaces: macOS, old kernels), the
test skips and says which statement of the sandbox report explains it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from examples_helpers import block, check
from persona_kb._internal.checks.examples.report import Status
from persona_kb._internal.checks.examples.worker_client import ForkServer

_ENFORCED: list[str] = []


def _enforced() -> str:
    if not _ENFORCED:
        with ForkServer() as server:
            report = server.sandbox()
        _ENFORCED.append("\n".join(report["enforced"]) + "\n" + "\n".join(report["missing"]))
    return _ENFORCED[0]


def _requires(*features: str) -> None:
    report = _enforced()
    enforced = report.split("\n")
    for feature in features:
        if not any(feature in line for line in enforced if "no network namespace" not in line):
            pytest.skip(f"{feature!r} is not enforced on this machine:\n{report}")


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


PAGE = "kb/python/README.md"

REPLACE_RUNNER = """\
import sys
execute = sys.modules["persona_kb._internal.checks.examples.execute"]
child = sys.modules["persona_kb._internal.checks.examples.block_child"]
execute.run_python = child._run_python = lambda request: {"status": "passed"}
"""


@pytest.mark.parametrize("second_file", ["kb/b.md", "kb/a.md"], ids=["other-file", "same-file"])
def test_a_block_cannot_replace_the_runner_for_a_later_block(second_file: str) -> None:
    report = check(
        block(REPLACE_RUNNER, path="kb/a.md", first=10, page=PAGE),
        block("assert 1 == 2, 'a real failure'", path=second_file, first=40, page=PAGE),
        isolation="page",
    )
    hostile, later = report.results
    assert hostile.status == Status.PASSED
    assert (later.status, later.kind, later.span.line) == (Status.FAILED, "AssertionError", 40)


FORGE = """\
import os
frame = b'{"status": "passed"}\\n'
for fd in range(3, 256):
    try:
        os.write(fd, frame)
    except OSError:
        pass
raise RuntimeError("the real outcome")
"""


@pytest.mark.parametrize("isolation", ["page", "block"])
def test_a_forged_result_frame_fails_its_own_block_and_shifts_nothing(isolation: str) -> None:
    report = check(
        block(FORGE, first=10),
        block("assert 1 == 2", first=30),
        block("x = 1", first=40),
        isolation=isolation,
    )
    forger, failing, passing = report.results
    assert (forger.status, forger.kind) == (Status.FAILED, "ForgedResult")
    assert (failing.status, failing.kind, failing.span.line) == (
        Status.FAILED,
        "AssertionError",
        30,
    )
    assert passing.status == Status.PASSED


INJECT = """\
import os
print("::stop-commands::pkbtoken")
print("::error file=README.md,line=1::injected by the block")
for fd in (1, 2):
    try:
        with open(f"/proc/{os.getppid()}/fd/{fd}", "w") as parent:
            parent.write("::stop-commands::viaparent\\nnot json\\n")
    except OSError as exc:
        print("refused:", exc)
raise RuntimeError("boom\\n::stop-commands::viamessage")
"""


CLI = (sys.executable, "-m", "persona_kb._internal.adapters.cli.main")


def test_github_output_cannot_be_injected_and_the_worker_survives(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    later = "```python\nassert 1 == 2, 'later'\n```\n"
    page.write_text(f"# Hostile\n\n```python\n{INJECT}```\n\n{later}", encoding="utf-8")
    done = subprocess.run(
        [*CLI, "examples", "page.md", "--format", "github", "--timeout", "10"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3, done.stdout
    assert lines[0].startswith("::error file=page.md,line=13,col=1,title=PKB600::RuntimeError")
    assert lines[1].startswith("::error file=page.md,line=17,col=1,title=PKB600::AssertionError")
    assert lines[2].startswith("::notice title=persona-kb examples::")
    for line in done.stdout.splitlines() + done.stderr.splitlines():
        assert not line.startswith("::stop-commands"), line
        assert "injected" not in line, line
        assert "Traceback" not in line, line


def test_secrets_in_the_environment_reach_no_block(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = f"pkb-secret-{uuid.uuid4().hex}"
    monkeypatch.setenv("SECRET_TOKEN", secret)
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    code = f"""\
    import os
    print(sorted(os.environ))
    print(os.environ.get("SECRET_TOKEN"), os.environ.get("GITHUB_TOKEN"))
    for pid in ({os.getpid()}, os.getppid()):
        try:
            print(open(f"/proc/{{pid}}/environ", "rb").read())
        except OSError as exc:
            print("refused", pid, exc.errno)
    raise RuntimeError(os.environ.get("SECRET_TOKEN", "no secret"))
    """
    (result,) = check(block(code)).results
    assert (result.status, result.message) == (Status.FAILED, "no secret")
    assert secret not in result.output
    assert "SECRET_TOKEN" not in result.output


@pytest.fixture
def listeners() -> Iterator[tuple[socket.socket, socket.socket]]:
    tcp = socket.create_server(("127.0.0.1", 0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    tcp.settimeout(0.5)
    udp.settimeout(0.5)
    yield tcp, udp
    tcp.close()
    udp.close()


def test_a_block_reaches_no_local_socket(listeners: tuple[socket.socket, socket.socket]) -> None:
    _requires("no TCP")
    tcp, udp = listeners
    tcp_port, udp_port = tcp.getsockname()[1], udp.getsockname()[1]
    code = f"""\
    import socket
    sent = []
    try:
        socket.create_connection(("127.0.0.1", {tcp_port}), timeout=2).sendall(b"SECRET")
        sent.append("tcp")
    except OSError as exc:
        print("tcp refused:", exc)
    try:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.sendto(b"SECRET", ("127.0.0.1", {udp_port}))
        sent.append("udp")
    except OSError as exc:
        print("udp refused:", exc)
    print("sent", sent)
    """
    (result,) = check(block(code)).results
    assert result.status == Status.PASSED, result.message
    assert "tcp refused" in result.output
    with pytest.raises(TimeoutError):
        tcp.accept()
    if "private network namespace" in _enforced():
        assert "udp" not in result.output.split("sent", 1)[1]
        with pytest.raises(TimeoutError):
            udp.recvfrom(100)


def test_a_block_reaches_no_unix_socket(tmp_path: Path) -> None:
    _requires("no Unix sockets")
    path = tmp_path / "service.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        server.listen()
        server.settimeout(0.5)
        code = f"""\
        import socket
        client = socket.socket(socket.AF_UNIX)
        client.connect({str(path)!r})
        client.sendall(b"SECRET")
        """
        (result,) = check(block(code)).results
        assert (result.status, result.kind) == (Status.FAILED, "PermissionError")
        with pytest.raises(TimeoutError):
            server.accept()


def test_a_block_writes_nowhere_but_its_own_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _requires("Landlock")
    project = tmp_path / "project"
    project.mkdir()
    (project / "persona.md").write_text("original\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(project)
    monkeypatch.setenv("PWD", str(project))
    planted = f"persona-kb-planted-{uuid.uuid4().hex}"
    targets = [
        str(project / "persona.md"),
        str(outside / "planted.txt"),
        str(Path.home() / planted),
        f"/tmp/{planted}",  # a unique name, removed below if it appears
    ]
    code = f"""\
    import os, pathlib
    for target in [os.path.join(os.environ["PWD"], "persona.md"), *{targets!r}]:
        try:
            with open(target, "a") as handle:
                handle.write("pwned\\n")
            print("written", target)
        except OSError:
            print("refused", target)
    pathlib.Path("mine.txt").write_text("fine")
    print(open("mine.txt").read())
    """
    try:
        (result,) = check(block(code), cwd=str(project)).results
        assert result.status == Status.PASSED, result.message
        assert [f"refused {target}" for target in targets] == result.output.splitlines()[1:-1]
        assert result.output.splitlines()[-1] == "fine"
        assert (project / "persona.md").read_text(encoding="utf-8") == "original\n"
        assert sorted(p.name for p in project.iterdir()) == ["persona.md"]
        assert list(outside.iterdir()) == []
    finally:
        for target in targets[2:]:
            Path(target).unlink(missing_ok=True)


@pytest.mark.parametrize("isolation", ["page", "block"])
def test_a_double_forked_daemon_does_not_outlive_the_run(isolation: str) -> None:
    _requires("subreaper")
    code = """\
    import subprocess
    shell = subprocess.run(
        ["sh", "-c", "sleep 60 >/dev/null 2>&1 & echo $!"],
        capture_output=True, text=True, start_new_session=True,
    )
    print(shell.stdout.strip())
    """
    report = check(block(code, first=10), block("x = 1", first=20), isolation=isolation)
    first, second = report.results
    assert first.status == Status.PASSED, first.message
    assert second.status == Status.PASSED
    assert _gone(int(first.output.strip()))


def test_512_mb_in_dev_shm_count_against_the_budget_and_nothing_stays_behind() -> None:
    _requires("Landlock")
    name = f"/dev/shm/persona-kb-test-{uuid.uuid4().hex}"
    code = f"""\
    chunk = b"x" * (64 * 1024 * 1024)
    for n in range(8):
        with open(f"{name}-{{n}}", "wb") as handle:
            handle.write(chunk)
    """
    try:
        (result,) = check(block(code), memory_mb=256).results
        # a private /dev/shm takes the writes and counts them; without one, Landlock refuses
        assert (result.status, result.kind) in {
            (Status.FAILED, "DiskBudget"),
            (Status.FAILED, "PermissionError"),
        }
        assert not list(Path("/dev/shm").glob(f"{Path(name).name}*"))
    finally:
        for path in Path("/dev/shm").glob(f"{Path(name).name}*"):
            path.unlink()


def test_multiprocessing_works_in_the_sandbox() -> None:
    code = """\
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        assert list(pool.map(abs, [-1, -2])) == [1, 2]
    queue = multiprocessing.Queue()
    queue.put(3)
    assert queue.get(timeout=5) == 3
    """
    if "private /dev/shm" not in _enforced():
        pytest.skip(f"POSIX semaphores need a private /dev/shm here:\n{_enforced()}")
    (result,) = check(block(code), timeout=30).results
    assert result.status == Status.PASSED, (result.kind, result.message, result.output)


def test_what_a_block_stores_counts_against_its_budget() -> None:
    code = """\
    for n in range(4):
        with open(f"part{n}", "wb") as handle:
            handle.write(b"x" * (12 * 1024 * 1024))
    """
    (result,) = check(block(code), memory_mb=32).results
    assert (result.status, result.kind) == (Status.FAILED, "DiskBudget")
    big = "with open('big', 'wb') as f:\n    for _ in range(40):\n        f.write(b'x' * 2**20)"
    (result,) = check(block(big), memory_mb=32).results
    assert (result.status, result.kind) == (Status.FAILED, "OSError")
    assert "File too large" in result.message


@pytest.mark.parametrize("isolation", ["page", "block"])
def test_no_work_directory_is_left_behind(isolation: str) -> None:
    writer = textwrap.dedent(
        """\
        import os, subprocess
        here = os.getcwd()
        subprocess.Popen(  # a daemon that recreates the directory once it was removed
            ["sh", "-c", f"(sleep 0.5; mkdir -p {here}/again; touch {here}/again/f) &"],
            start_new_session=True,
        )
        os.mkdir("locked")
        open("locked/file", "w").close()
        os.chmod("locked", 0)
        print(os.getcwd())
        """
    )
    report = check(
        block(writer, first=10),
        block("import os\nprint(os.getcwd(), flush=True)\nos._exit(3)", first=30),
        block("import os\nprint(os.getcwd(), flush=True)\nwhile True:\n    pass", first=40),
        block(writer, first=60),
        timeout=2.0,
        isolation=isolation,
    )
    statuses = [r.status for r in report.results]
    assert statuses == [Status.PASSED, Status.FAILED, Status.FAILED, Status.PASSED]
    time.sleep(1.5)  # the daemons would have recreated their directories by now
    for result in report.results:
        workdir = Path(result.output.splitlines()[0])
        assert workdir.is_absolute()
        assert not workdir.exists(), f"{workdir} was left behind"
        root = workdir.parent.parent
        assert not (root.name.startswith("persona-kb-examples-") and root.exists())


def test_a_command_runs_in_the_same_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_TOKEN", "pkb-command-secret")
    script = (
        'echo "token=${SECRET_TOKEN:-none} home=$HOME"\n'
        f"echo pwned > {tmp_path}/planted.txt || echo refused\n"
        "cat input.txt\n"
        "exit 4\n"
    )
    with ForkServer() as server:
        outcome = server.run_command(
            "kb/a.md",
            ["bash", "script.sh"],
            path="kb/a.md",
            line=12,
            files={"script.sh": script, "input.txt": "from the caller"},
            timeout=5.0,
        )
        slow = server.run_command("kb/a.md", ["sleep", "30"], path="kb/a.md", line=20, timeout=0.5)
        absent = server.run_command("kb/a.md", ["no-such-program-pkb"], path="kb/a.md", line=30)
    assert (outcome["status"], outcome["kind"], outcome["exit_status"]) == (
        "failed",
        "ExitStatus",
        4,
    )
    first, *rest = outcome["output"].splitlines()
    assert first.startswith("token=none home=/")
    assert "from the caller" in rest
    if "Landlock" in _enforced():
        assert "refused" in rest
        assert not (tmp_path / "planted.txt").exists()
    assert (slow["status"], slow["kind"]) == ("failed", "Timeout")
    assert (absent["status"], absent["kind"]) == ("failed", "CommandError")
    assert "no-such-program-pkb" in absent["message"]


def test_what_is_not_enforced_is_said_in_every_format() -> None:
    from persona_kb._internal.checks.examples.report import (
        ExampleReport,
        render_github,
        render_json,
        render_text,
    )
    from persona_kb._internal.checks.examples.sandbox import describe

    darwin = "no namespaces on darwin"
    stated = describe(None, subreaper=False, network=darwin, shm=darwin)
    missing = tuple(stated["missing"])
    assert [m.split(" (")[0] for m in missing] == [
        "Landlock is unavailable",
        "no network isolation",
        "no private /dev/shm",
        "no subreaper: a daemon that leaves the block's process group survives",
    ]
    report = ExampleReport((), (), missing)
    assert f"sandbox: not enforced here: {missing[0]}" in render_text(report).splitlines()
    assert "::warning title=persona-kb sandbox::not enforced here: Landlock" in render_github(
        report
    )
    assert '"sandbox_not_enforced": [' in render_json(report)


def test_text_reports_neutralise_workflow_commands() -> None:
    code = 'print("::stop-commands::tok\\n##[error]x")\nraise RuntimeError("a\\n::error::b")'
    from persona_kb._internal.checks.examples.report import format_failure, render_text

    report = check(block(code))
    (result,) = report.results
    for text in (format_failure(result), render_text(report, verbose=True)):
        assert "::stop-commands::tok" in text
        for line in text.splitlines():
            assert not line.lstrip().startswith(("::", "##[")), line


def test_a_node_block_is_held_by_the_same_sandbox(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    listeners: tuple[socket.socket, socket.socket],
) -> None:
    _requires("Landlock", "no TCP")
    monkeypatch.setenv("SECRET_TOKEN", "pkb-node-secret")
    tcp_port = listeners[0].getsockname()[1]
    planted = tmp_path / "planted.txt"
    code = f"""\
    const fs = require("node:fs");
    const net = require("node:net");
    console.log("token=" + (process.env.SECRET_TOKEN ?? "none"));
    try {{ fs.writeFileSync({str(planted)!r}, "pwned"); console.log("written"); }}
    catch (e) {{ console.log("refused " + e.code); }}
    fs.writeFileSync("mine.txt", "fine");
    const socket = net.connect({tcp_port}, "127.0.0.1");
    socket.on("connect", () => {{ console.log("connected"); socket.end(); }});
    socket.on("error", (e) => console.log("tcp refused " + e.code));
    """
    (result,) = check(block(code, language="javascript")).results
    assert result.status == Status.PASSED, result.message
    assert "token=none" in result.output
    assert "refused" in result.output
    assert "written" not in result.output
    assert "tcp refused" in result.output
    assert "connected" not in result.output
    assert not planted.exists()
    with pytest.raises(TimeoutError):
        listeners[0].accept()
