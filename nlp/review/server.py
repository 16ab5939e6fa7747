"""The project's own Label Studio server: install, start, stop, status, and a client for it.

Label Studio pins most of its requirements, so it lives in a virtual environment of its own
(``.ls-venv/`` under the project) and the project talks to it over HTTP. The server binds
127.0.0.1 only, keeps its data in ``.labelstudio/`` (git-ignored) and reports nothing outside.
Where it lives (``ls_venv``, ``ls_data_dir``, ``ls_port``, ``ls_url``, ``ls_user``) are
settings of ``nlp.config``; the API token is a secret, read only by :func:`api_token`.

Files in the data folder:

- ``credentials.json`` (mode 0600): the login e-mail, the password and the API token,
  generated at random on the first start. Never printed or logged.
- ``server.json``: the pid, port and URL of the running server (the pid file).
- ``server.log``: the server's output.

Run it as ``xxgk ls install|start|stop|status`` (``nlp.cli.ls``), or
``scripts/labelstudio.sh``, which runs that command without the venv being active.

>>> cfg = ServerConfig.from_env()            # doctest: +SKIP
>>> info = start(cfg)                        # installs on first use, waits for /health
>>> client = connect(cfg)                    # a LabelStudio SDK client with the token
>>> stop(cfg)
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from nlp.config import Settings, settings
from nlp.errors import Errors, XxgkError

LS_VERSION = "1.23.2"
HOST = "127.0.0.1"

CREDENTIALS_FILE = "credentials.json"
PID_FILE = "server.json"
LOG_FILE = "server.log"

Progress = Callable[[str], None]

BANNED_SUBNETS = (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "233.252.0.0/24", "240.0.0.0/4", "255.255.255.255/32", "::/128",
    "::1/128", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
    "2001:0000::/32", "2001:20::/28", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "ff00::/8",
)  # fmt: skip
"""The networks the server may not call (SSRF protection): Label Studio's own default list
(``core/utils/io.py::validate_ip``) less 127.0.0.0/8, so that it can reach the ML backend on
127.0.0.1 (``xxgk ls backend``). Loopback is reachable by anyone on this machine anyway; the
LAN, link-local (cloud metadata) and the rest stay banned."""


def _quiet(msg: str) -> None:
    pass


@dataclass(frozen=True)
class ServerConfig:
    """Where the server lives. ``port=0`` means: pick a free port at start and record it."""

    data_dir: Path
    port: int
    venv: Path

    @classmethod
    def from_env(
        cls,
        data_dir: Optional[Path] = None,
        port: Optional[int] = None,
        venv: Optional[Path] = None,
    ) -> "ServerConfig":
        """Arguments first, then the settings ``ls_data_dir``, ``ls_port``, ``ls_venv``
        (``nlp.config``: environment, ``xxgk.toml``, defaults), read now."""
        s = settings()
        return cls(
            data_dir=Path(data_dir or s.ls_data_dir).resolve(),
            port=int(port if port is not None else s.ls_port),
            venv=Path(venv or s.ls_venv).resolve(),
        )

    @property
    def executable(self) -> Path:
        return self.venv / "bin" / "label-studio"

    @property
    def credentials_path(self) -> Path:
        return self.data_dir / CREDENTIALS_FILE

    @property
    def pid_path(self) -> Path:
        return self.data_dir / PID_FILE

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOG_FILE


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str
    token: str

    def __repr__(self) -> str:  # never show the secrets, even in a traceback
        return f"Credentials(email={self.email!r}, password=***, token=***)"


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    port: int
    url: str


@dataclass(frozen=True)
class Status:
    running: bool
    url: Optional[str]
    pid: Optional[int]
    email: Optional[str]
    token_source: Optional[str]  # "env LABEL_STUDIO_API_KEY" | "file <path>" | None
    credentials_path: Path
    log_path: Path
    installed: bool


# ---------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------


def installed(cfg: ServerConfig) -> bool:
    """True when ``cfg.venv`` holds label-studio at exactly ``LS_VERSION``."""
    if not cfg.executable.exists():
        return False
    return any(cfg.venv.glob(f"lib/python*/site-packages/label_studio-{LS_VERSION}.dist-info"))


def install(cfg: ServerConfig, progress: Progress = _quiet) -> Path:
    """Create ``cfg.venv`` and pip-install label-studio there (about 2 minutes, once).

    Returns the path of the ``label-studio`` executable. Nothing happens when it is already
    installed at the pinned version.
    """
    if installed(cfg):
        return cfg.executable
    if not (cfg.venv / "bin" / "python").exists():
        progress(f"creating {cfg.venv} …")
        base = getattr(sys, "_base_executable", None) or sys.executable
        _run([base, "-m", "venv", str(cfg.venv)], "python -m venv")
    progress(f"installing label-studio=={LS_VERSION} into {cfg.venv} (about 2 minutes) …")
    pip = [str(cfg.venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    t0 = time.monotonic()
    proc = subprocess.Popen(
        pip + [f"label-studio=={LS_VERSION}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    last = 0.0
    for line in proc.stdout:
        line = line.strip()
        now = time.monotonic()
        if line.startswith(("Collecting", "Installing", "Successfully")) and now - last > 5:
            progress(f"  [{now - t0:4.0f}s] {line[:100]}")
            last = now
    if proc.wait() != 0 or not installed(cfg):
        raise XxgkError(Errors.E022, path=cfg.venv, detail="pip install label-studio failed")
    progress(f"label-studio {LS_VERSION} installed in {time.monotonic() - t0:.0f}s")
    return cfg.executable


def _run(cmd: list[str], what: str) -> None:
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise XxgkError(Errors.E022, path=cmd[-1], detail=f"{what} failed: {res.stderr.strip()[-200:]}")


# ---------------------------------------------------------------------------
# credentials
# ---------------------------------------------------------------------------


def load_credentials(cfg: ServerConfig) -> Optional[Credentials]:
    try:
        d = json.loads(cfg.credentials_path.read_text(encoding="utf-8"))
        return Credentials(email=d["email"], password=d["password"], token=d["token"])
    except (OSError, ValueError, KeyError):
        return None


def ensure_credentials(cfg: ServerConfig) -> Credentials:
    """The stored credentials, or new random ones written to a 0600 file."""
    creds = load_credentials(cfg)
    if creds is not None:
        return creds
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    creds = Credentials(
        email=settings().ls_user,
        password=secrets.token_urlsafe(18),
        token=secrets.token_hex(20),  # 40 characters, the legacy token format
    )
    fd = os.open(cfg.credentials_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"email": creds.email, "password": creds.password, "token": creds.token}, f)
    os.chmod(cfg.credentials_path, 0o600)
    return creds


def api_token(cfg: ServerConfig) -> tuple[str, str]:
    """``(token, where_from)``: env ``LABEL_STUDIO_API_KEY`` first, then the credentials file."""
    env = os.environ.get("LABEL_STUDIO_API_KEY")
    if env:
        return env, "env LABEL_STUDIO_API_KEY"
    creds = load_credentials(cfg)
    if creds is None:
        raise XxgkError(Errors.E021, path=cfg.credentials_path)
    return creds.token, f"file {cfg.credentials_path}"


# ---------------------------------------------------------------------------
# lifecycle
# ---------------------------------------------------------------------------


def port_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens on ``host:port`` (Label Studio would silently take the next)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) != 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when ``url/health`` answers 200."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie or a pid reused by something else is not our server
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    if stat.split(")", 1)[-1].split()[0] == "Z":
        return False
    return b"label-studio" in cmdline or b"label_studio" in cmdline


def running(cfg: ServerConfig) -> Optional[ServerInfo]:
    """The server recorded in the pid file, if its process is alive."""
    try:
        d = json.loads(cfg.pid_path.read_text(encoding="utf-8"))
        info = ServerInfo(pid=int(d["pid"]), port=int(d["port"]), url=str(d["url"]))
    except (OSError, ValueError, KeyError):
        return None
    return info if _pid_alive(info.pid) else None


def server_url(cfg: ServerConfig) -> str:
    """The ``ls_url`` setting (``LABEL_STUDIO_URL``) if set, else the running server's URL,
    else the configured one."""
    url = settings().ls_url
    if url:
        return url.rstrip("/")
    info = running(cfg)
    if info:
        return info.url
    return f"http://{HOST}:{cfg.port or Settings.default('ls_port')}"


def _server_env(cfg: ServerConfig, creds: Credentials) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "DJANGO_"))}
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(cfg.data_dir),
        LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
        SENTRY_DSN="",
        FRONTEND_SENTRY_DSN="",
        COLLECT_ANALYTICS="false",
        LATEST_VERSION_CHECK="false",
        # Loopback is allowed as an ML backend / webhook address (xxgk ls backend listens on
        # 127.0.0.1, like this server); every other reserved network stays banned.
        USE_DEFAULT_BANNED_SUBNETS="false",
        USER_ADDITIONAL_BANNED_SUBNETS=",".join(BANNED_SUBNETS),
        PYTHONUNBUFFERED="1",
    )
    # Label Studio creates the user (and sets its token) only when it does not exist yet, so
    # passing these on every start is harmless and survives an interrupted first start.
    env.update(
        LABEL_STUDIO_USERNAME=creds.email,
        LABEL_STUDIO_PASSWORD=creds.password,
        LABEL_STUDIO_USER_TOKEN=creds.token,
    )
    return env


def start(cfg: ServerConfig, *, timeout: float = 240.0, progress: Progress = _quiet) -> ServerInfo:
    """Start the server (installing it first if needed) and wait until ``/health`` answers.

    Returns the running server's pid, port and URL (also written to ``server.json``). A server
    already running for this data folder is returned as it is. A busy port is an error
    (E023) unless ``cfg.port`` is 0, which picks a free one.
    """
    info = running(cfg)
    if info and healthy(info.url):
        progress(f"already running at {info.url} (pid {info.pid})")
        return info
    port = cfg.port or free_port()
    if not port_free(port):
        raise XxgkError(Errors.E023, port=port)
    install(cfg, progress)
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    creds = ensure_credentials(cfg)
    url = f"http://{HOST}:{port}"
    cmd = [
        str(cfg.executable), "start",
        "--data-dir", str(cfg.data_dir),
        "--internal-host", HOST,
        "--port", str(port),
        "--no-browser",
    ]  # fmt: skip
    log = open(cfg.log_path, "ab")
    proc = subprocess.Popen(
        cmd,
        cwd=str(cfg.data_dir),
        env=_server_env(cfg, creds),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as one by pid
    )
    log.close()
    info = ServerInfo(pid=proc.pid, port=port, url=url)
    cfg.pid_path.write_text(json.dumps({"pid": proc.pid, "port": port, "url": url}), encoding="utf-8")
    progress(f"starting Label Studio at {url} (first start about 40 s; log: {cfg.log_path}) …")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            cfg.pid_path.unlink(missing_ok=True)
            raise XxgkError(Errors.E020, url=url, detail=f"the server exited at start; see {cfg.log_path}")
        if healthy(url):
            progress(f"Label Studio is up at {url} (pid {proc.pid})")
            return info
        time.sleep(1.0)
    _terminate(proc.pid)
    cfg.pid_path.unlink(missing_ok=True)
    raise XxgkError(Errors.E020, url=url, detail=f"no answer on /health after {timeout:.0f}s; see {cfg.log_path}")


def _terminate(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM the process group led by ``pid`` (we started it with its own session), then
    SIGKILL after ``timeout``."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            os.kill(pid, sig)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)  # reap if it is our child
                if done:
                    return
            except ChildProcessError:
                if not _pid_alive(pid):
                    return
            time.sleep(0.2)


def stop(cfg: ServerConfig) -> bool:
    """Stop the server recorded in the pid file. Returns False when none was running."""
    info = running(cfg)
    cfg_pid = cfg.pid_path
    if info is None:
        cfg_pid.unlink(missing_ok=True)
        return False
    _terminate(info.pid)
    cfg_pid.unlink(missing_ok=True)
    return True


def status(cfg: ServerConfig) -> Status:
    """What ``xxgk ls status`` shows: whether it runs, where, and where the secrets are."""
    info = running(cfg)
    creds = load_credentials(cfg)
    if os.environ.get("LABEL_STUDIO_API_KEY"):
        source: Optional[str] = "env LABEL_STUDIO_API_KEY"
    elif creds:
        source = f"file {cfg.credentials_path}"
    else:
        source = None
    return Status(
        running=bool(info and healthy(info.url)),
        url=info.url if info else None,
        pid=info.pid if info else None,
        email=creds.email if creds else None,
        token_source=source,
        credentials_path=cfg.credentials_path,
        log_path=cfg.log_path,
        installed=installed(cfg),
    )


def connect(cfg: Optional[ServerConfig] = None, *, url: Optional[str] = None, timeout: float = 60.0):
    """A ``label_studio_sdk.LabelStudio`` client for the project's server.

    The SDK's own retries are off (``max_retries=0``): ``nlp.review.queue`` retries whole steps
    itself and re-reads the server before it repeats an import, so nothing is sent twice.
    """
    from label_studio_sdk import LabelStudio

    cfg = cfg or ServerConfig.from_env()
    token, _ = api_token(cfg)
    return LabelStudio(base_url=url or server_url(cfg), api_key=token, timeout=timeout, max_retries=0)


def describe(command: str, cfg: ServerConfig) -> list[str]:
    """Run one lifecycle command and return the lines to show (no secrets in them)."""
    say = lambda m: print(m, flush=True)  # noqa: E731
    if command == "install":
        install(cfg, say)
        return [f"label-studio {LS_VERSION} ready in {cfg.venv}"]
    if command == "start":
        info = start(cfg, progress=say)
        st = status(cfg)
        return [
            f"url: {info.url}",
            f"login: {st.email}",
            f"password: in {cfg.credentials_path} (field \"password\")",
            f"log: {cfg.log_path}",
        ]
    if command == "stop":
        return ["stopped" if stop(cfg) else "not running"]
    st = status(cfg)
    return [
        f"running: {'yes' if st.running else 'no'}" + (f" at {st.url} (pid {st.pid})" if st.running else ""),
        f"installed: {'yes' if st.installed else 'no'} ({cfg.venv})",
        f"login: {st.email or '(not created yet: xxgk ls start)'}",
        f"token: {'set (from ' + st.token_source + ')' if st.token_source else 'not set'}",
        f"data: {cfg.data_dir}",
        f"log: {st.log_path}",
    ]

