"""The local Neo4j 5.26 server that `icsgraph db start` runs.

Neo4j's embedded database with its Bolt connector (the Maven project in
``localdb/``), on 127.0.0.1 only, auth on. Everything it keeps sits under
``$ICSGRAPH_HOME``: the store (``neo4j/``), the password file (mode 0600,
generated once), the pid file and the server's log. The server runs in its own
session, so it outlives the command that started it; `stop` sends SIGTERM,
which the launcher turns into a clean shutdown.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import icsgraph
from icsgraph.errors import LocalServerError
from icsgraph.settings import LocalServerSettings

log = logging.getLogger(__name__)

MAIN_CLASS = "icsgraph.localdb.LocalNeo4j"
JVM_OPTIONS = (
    "-Xms256m",
    "-Xmx1g",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:+UseG1GC",
    # The same opens the Neo4j server's launcher adds: page cache and
    # transaction-log native access need them on Java 17.
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
)
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 60.0
BUILD_TIMEOUT_S = 900.0
LOG_TAIL_LINES = 3
LAUNCHER_FAILED = "icsgraph-localdb: failed:"  # the launcher's last words


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """What `icsgraph db status` shows; `store_bytes` counts the data folder."""

    running: bool
    pid: int | None
    uri: str
    data_dir: Path
    store_bytes: int
    log_file: Path


def localdb_dir() -> Path:
    """The Maven project: ``$ICSGRAPH_LOCALDB_DIR``, else beside the package."""
    override = os.environ.get("ICSGRAPH_LOCALDB_DIR")
    if override:
        return Path(override).expanduser()
    return Path(icsgraph.__file__).resolve().parents[1] / "localdb"


def pid_file(settings: LocalServerSettings) -> Path:
    return settings.home / "neo4j.pid"


def log_file(settings: LocalServerSettings) -> Path:
    """The launcher's own output; Neo4j's debug.log is under neo4j/logs."""
    return settings.home / "neo4j.log"


def build_log_file(settings: LocalServerSettings) -> Path:
    return settings.home / "localdb-build.log"


def server_status(settings: LocalServerSettings) -> ServerStatus:
    """Whether our server runs, read from the pid file; never connects."""
    pid = _running_pid(settings)
    return ServerStatus(
        running=pid is not None,
        pid=pid,
        uri=settings.uri,
        data_dir=settings.data_dir,
        store_bytes=_tree_size(settings.data_dir),
        log_file=log_file(settings),
    )


def start_server(
    settings: LocalServerSettings, timeout: float = START_TIMEOUT_S
) -> bool:
    """Build if needed, start detached and wait until Bolt authenticates.

    Returns:
        False when the server was already running, True when this call started it.
    """
    _make_home(settings.home)
    with _locked(settings):
        if _running_pid(settings) is not None:
            return False
        _check_port_free(settings)
        classpath = ensure_built(settings)
        password = ensure_password(settings.password_file)
        pid = _spawn(settings, classpath)
        try:
            _wait_ready(settings, pid, password, timeout)
        except LocalServerError:
            _terminate(pid, STOP_TIMEOUT_S)
            pid_file(settings).unlink(missing_ok=True)
            raise
    log.info("local Neo4j started, pid %d, %s", pid, settings.uri)
    return True


def stop_server(settings: LocalServerSettings, timeout: float = STOP_TIMEOUT_S) -> bool:
    """SIGTERM, wait, then SIGKILL; False when nothing was running."""
    if not settings.home.is_dir():
        return False
    with _locked(settings):
        pid = _running_pid(settings)
        if pid is None:
            pid_file(settings).unlink(missing_ok=True)
            return False
        clean = _terminate(pid, timeout)
        pid_file(settings).unlink(missing_ok=True)
    if not clean:
        log.warning("local Neo4j (pid %d) ignored SIGTERM; killed it", pid)
    return True


def ensure_password(path: Path) -> str:
    """Read the password, or generate one into a new file created 0600."""
    if not path.exists():
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, flags, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(secrets.token_urlsafe(24) + "\n")
    try:
        password = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise LocalServerError(f"cannot read {path}: {exc.strerror}") from exc
    if not password:
        raise LocalServerError(f"the password file {path} is empty")
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by others; chmod 600 it", path)
    return password


def ensure_built(settings: LocalServerSettings) -> str:
    """Run Maven when the launcher is missing or older than its sources.

    Returns:
        The Java classpath of the launcher and its dependencies.
    """
    project = localdb_dir()
    pom = project / "pom.xml"
    if not pom.is_file():
        raise LocalServerError(f"no Maven project at {project} (ICSGRAPH_LOCALDB_DIR)")
    jars = sorted((project / "target").glob("icsgraph-localdb-*.jar"))
    lib = project / "target" / "lib"
    if not jars or not lib.is_dir() or _newest_source(project) > _mtime(jars[-1]):
        _run_maven(pom, build_log_file(settings))
        jars = sorted((project / "target").glob("icsgraph-localdb-*.jar"))
    if not jars:
        raise LocalServerError(f"Maven built no jar in {project / 'target'}")
    return os.pathsep.join([str(jars[-1]), str(lib / "*")])


def _newest_source(project: Path) -> float:
    sources = [project / "pom.xml", *(project / "src").rglob("*")]
    return max(_mtime(p) for p in sources if p.is_file())


def _mtime(path: Path) -> float:
    return path.stat().st_mtime


def _run_maven(pom: Path, build_log: Path) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalServerError("Maven (mvn) is not on PATH; it builds the local Neo4j")
    log.info("building the local Neo4j launcher with Maven (log: %s)", build_log)
    cmd = [mvn, "-q", "-B", "-f", str(pom), "package", "-DskipTests"]
    with build_log.open("w", encoding="utf-8") as out:
        try:
            done = subprocess.run(
                cmd, stdout=out, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            done = None
    if done is None or done.returncode != 0:
        tail = _log_tail(build_log)
        raise LocalServerError(f"building the local Neo4j failed ({build_log}): {tail}")


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise LocalServerError(
            "Java 17+ is needed for the local Neo4j: no java on PATH"
        )
    return java


def _spawn(settings: LocalServerSettings, classpath: str) -> int:
    """Start the launcher through a shell that exits at once.

    The JVM is thus no child of ours: nothing to reap, no zombie while this
    process lives on (as in tests), and its own session keeps it alive after
    the CLI exits.
    """
    args = [
        _java(),
        *JVM_OPTIONS,
        "-cp",
        classpath,
        MAIN_CLASS,
        str(settings.data_dir),
        str(settings.bolt_port),
        str(settings.password_file),
    ]
    script = '"$@" </dev/null >&2 & echo $!'
    with log_file(settings).open("w", encoding="utf-8") as out:
        done = subprocess.run(
            ["/bin/sh", "-c", script, "sh", *args],
            stdout=subprocess.PIPE,
            stderr=out,
            cwd=settings.home,
            start_new_session=True,
            check=False,
            text=True,
        )
    if done.returncode != 0 or not done.stdout.strip().isdigit():
        raise LocalServerError(f"cannot start java; see {log_file(settings)}")
    pid = int(done.stdout.strip())
    pid_file(settings).write_text(f"{pid}\n", encoding="utf-8")
    return pid


def _wait_ready(
    settings: LocalServerSettings, pid: int, password: str, timeout: float
) -> None:
    """Poll until the port accepts and the driver logs in with the password."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            raise _start_error(settings, "the local Neo4j exited during start")
        if _port_open(settings.bolt_port) and _authenticates(settings, password):
            return
        time.sleep(0.25)
    raise _start_error(settings, f"the local Neo4j was not ready after {timeout:.0f} s")


def _authenticates(settings: LocalServerSettings, password: str) -> bool:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    try:
        with GraphDatabase.driver(settings.uri, auth=("neo4j", password)) as driver:
            driver.verify_connectivity()
    except AuthError as exc:
        msg = f"the local Neo4j refused the password in {settings.password_file}"
        raise LocalServerError(f"{msg}: {exc.message}") from exc
    except (DriverError, Neo4jError, OSError):
        return False
    return True


def _start_error(settings: LocalServerSettings, what: str) -> LocalServerError:
    path = log_file(settings)
    return LocalServerError(f"{what}; see {path}: {_log_tail(path)}")


def _log_tail(path: Path) -> str:
    """The last lines of a log, joined into one line for an error message."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(no log)"
    tail = [line.strip() for line in lines if line.strip()][-LOG_TAIL_LINES:]
    if tail and tail[-1].startswith(LAUNCHER_FAILED):
        return tail[-1]
    return " | ".join(tail) or "(log empty)"


def _terminate(pid: int, timeout: float) -> bool:
    """True when the process ended on SIGTERM, False when it had to be killed."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if _wait_gone(pid, timeout):
        return True
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_gone(pid, 10.0):
        raise LocalServerError(f"the local Neo4j (pid {pid}) survived SIGKILL")
    return False


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _running_pid(settings: LocalServerSettings) -> int | None:
    """The pid in the pid file if that process is our launcher on this store."""
    try:
        text = pid_file(settings).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not text.isdigit() or not _alive(int(text)):
        return None
    cmdline = Path(f"/proc/{text}/cmdline")
    if cmdline.exists():
        args = cmdline.read_bytes().split(b"\0")
        if (
            MAIN_CLASS.encode() not in args
            or str(settings.data_dir).encode() not in args
        ):
            return None
    return int(text)


def _alive(pid: int) -> bool:
    """Exists and is not a zombie (an orphan whose reaper is slow or absent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        state = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
        return state not in {"Z", "X"}
    return True


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
        return True
    return False


def _check_port_free(settings: LocalServerSettings) -> None:
    if _port_open(settings.bolt_port):
        raise LocalServerError(
            f"port {settings.bolt_port} on 127.0.0.1 is taken by another program; "
            "set ICSGRAPH_LOCAL_BOLT_PORT to another port"
        )


def _make_home(home: Path) -> None:
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise LocalServerError(f"cannot create {home}: {exc.strerror}") from exc


@contextlib.contextmanager
def _locked(settings: LocalServerSettings) -> Iterator[None]:
    """One start or stop at a time per ICSGRAPH_HOME."""
    with (settings.home / "neo4j.lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _tree_size(root: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            with contextlib.suppress(OSError):
                total += (Path(dirpath) / name).lstat().st_size
    return total
