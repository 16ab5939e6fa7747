"""One configuration: where the checkout's files are (:class:`Paths`) and every setting
(:class:`Settings`).

**The tool runs from a checkout of the repository.** The model (``models/``), the
annotations (``annotations/``), the bundled samples, ``data/`` and Label Studio's virtual
environment and data folder sit beside the package, not inside it (only ``nlp/data/*`` is
package data), so an editable install of a clone (``pip install -e .``) is the supported one.
:data:`PATHS` computes those places once, from this file's location; no other module computes
the repository root.

**Settings** are the values a user may change without editing code. Each has a default, an
environment variable and a key in an optional TOML file: ``xxgk.toml`` in the working folder,
or the file that ``XXGK_CONFIG`` names. The environment wins over the file, the file over the
default. :func:`settings` reads them **when called, never at import**, so a change of the
environment takes effect at the next call, and each value knows where it came from
(:meth:`Settings.source`), which ``xxgk config`` prints. Tests build one directly:

    >>> s = Settings(review_threshold=0.5)
    >>> s.review_threshold, s.source("review_threshold"), s.source("db")
    (0.5, 'argument', 'default')
    >>> Settings.from_env({"XXGK_LS_PORT": "0"}, cwd=PATHS.root / "nlp").ls_port
    0

A bad value is an ``XxgkError``: E040 names the variable (or key) and the value, E043 the
configuration file. Relative paths in a file are relative to the file's folder; in the
environment, to the working folder.

Secrets are not settings: the Label Studio API token comes only from the environment
(``LABEL_STUDIO_API_KEY``) or the server's credentials file (``nlp.review.server.api_token``) and
is never printed.

This module imports nothing of ``nlp`` but ``nlp.errors``, so every layer may read it.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from nlp.errors import Errors, XxgkError

CONFIG_FILE = "xxgk.toml"
"""The configuration file looked for in the working folder."""
CONFIG_ENV = "XXGK_CONFIG"
"""The environment variable that names another configuration file."""


# ---------------------------------------------------------------------------
# Paths: the checkout
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Paths:
    """The repository-relative places, computed from ``root`` (the checkout)."""

    root: Path

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def model_file(self) -> Path:
        """The shipped claim model (``xxgk model train`` writes it)."""
        return self.models / "claim_model.skops"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def label_config(self) -> Path:
        return self.annotations / "label_config.xml"

    @property
    def samples(self) -> Path:
        return self.root / "samples"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def corpus(self) -> Path:
        return self.data / "corpus"

    @property
    def gold(self) -> Path:
        return self.data / "gold"

    @property
    def heldout(self) -> Path:
        """Hand labels of reports nothing trains on (evaluation only, ``data/heldout/README.md``)."""
        return self.data / "heldout"

    @property
    def gold_map(self) -> Path:
        return self.data / "gold_metric_map.json"

    @property
    def ls_venv(self) -> Path:
        """Label Studio's own virtual environment (default of the ``ls_venv`` setting)."""
        return self.root / ".ls-venv"

    @property
    def ls_data(self) -> Path:
        """Label Studio's data folder (default of the ``ls_data_dir`` setting)."""
        return self.root / ".labelstudio"

    @property
    def app(self) -> Path:
        """The Streamlit reviewer app's entry file."""
        return self.root / "app" / "streamlit_app.py"


PATHS = Paths(Path(__file__).resolve().parents[1])
"""The checkout this package runs from (a path from this file's location, no environment)."""


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------


def _fraction(v: Any) -> float:
    x = float(v)
    if not 0.0 <= x <= 1.0:
        raise ValueError
    return x


def _positive_int(v: Any) -> int:
    x = int(float(v)) if isinstance(v, str) else int(v)
    if x < 1 or (isinstance(v, float) and not v.is_integer()):
        raise ValueError
    return x


def _port(v: Any) -> int:
    x = int(v)
    if not 0 <= x <= 65535:
        raise ValueError
    return x


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in _TRUE or s in _FALSE:
        return s in _TRUE
    raise ValueError


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError
    return v


def _optional_text(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError
    return v.strip()


# kind -> (parse, what a good value is)
_KINDS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "fraction": (_fraction, "not a number between 0 and 1"),
    "count": (_positive_int, "not a whole number of at least 1"),
    "port": (_port, "not a port number (0 to 65535; 0 picks a free one)"),
    "bool": (_bool, "not true or false (1/0, yes/no, on/off)"),
    "text": (_text, "not a non-empty text"),
    "optional": (_optional_text, "not a text"),
    "file": (_text, "not a file path"),
    "dir": (_text, "not a folder path"),
}


def _setting(default: Any = dataclasses.MISSING, *, env: str, kind: str, help: str,
             factory: Optional[Callable[[], Any]] = None) -> Any:
    meta = {"env": env, "kind": kind, "help": help}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Settings:
    """Every setting, with its value; built by :meth:`from_env` (or directly, in tests).

    ``sources`` maps a setting's name to where its value came from: ``"default"``,
    ``"argument"`` (passed to the constructor), ``"environment XXGK_…"`` or ``"file PATH"``.
    """

    db: str = _setting("xxgk.sqlite", env="XXGK_DB", kind="file",
                       help="The SQLite file results and review decisions are stored in.")
    model: str = _setting(env="XXGK_MODEL", kind="file", factory=lambda: str(PATHS.model_file),
                          help="The claim model: a skops file, or 'rules' for the rules-only baseline.")
    max_bytes: int = _setting(20 * 1024 * 1024, env="XXGK_MAX_BYTES", kind="count",
                              help="Report files larger than this many bytes are refused (E007).")
    review_threshold: float = _setting(0.6, env="XXGK_REVIEW_THRESHOLD", kind="fraction",
                                       help="A claim whose review score is below this needs a reviewer.")
    confidence_floor: float = _setting(0.5, env="XXGK_METRIC_CONFIDENCE_FLOOR", kind="fraction",
                                       help="Below this classifier confidence an unmatched linked claim is ambiguous.")
    debug: bool = _setting(False, env="XXGK_DEBUG", kind="bool",
                           help="Let an internal error stop a batch with its traceback (E009 otherwise).")
    ls_port: int = _setting(18080, env="XXGK_LS_PORT", kind="port",
                            help="Label Studio's port on 127.0.0.1 (0 picks a free one at start).")
    ls_data_dir: Path = _setting(env="XXGK_LS_DATA_DIR", kind="dir", factory=lambda: PATHS.ls_data,
                                 help="Label Studio's data folder (credentials, pid file, log, database).")
    ls_venv: Path = _setting(env="XXGK_LS_VENV", kind="dir", factory=lambda: PATHS.ls_venv,
                             help="The virtual environment Label Studio is installed in.")
    ls_url: str = _setting("", env="LABEL_STUDIO_URL", kind="optional",
                           help="Another Label Studio's URL (empty: the server xxgk ls start runs).")
    ls_user: str = _setting("admin@xxgk.local", env="LABEL_STUDIO_USERNAME", kind="text",
                            help="The login e-mail created on Label Studio's first start.")
    ls_project: str = _setting("xxgk claims review", env="XXGK_LS_PROJECT", kind="text",
                               help="The Label Studio project's title.")
    ls_retries: int = _setting(5, env="XXGK_LS_RETRIES", kind="count",
                               help="Tries per Label Studio request before giving up.")
    ls_backend_port: int = _setting(9090, env="XXGK_LS_BACKEND_PORT", kind="port",
                                    help="The ML backend's port on 127.0.0.1 (xxgk ls backend).")
    serve_port: int = _setting(8765, env="XXGK_SERVE_PORT", kind="port",
                               help="The HTTP API's port on 127.0.0.1 (xxgk serve; 0 picks a free one).")
    serve_timeout: int = _setting(120, env="XXGK_SERVE_TIMEOUT", kind="count",
                                  help="Seconds the HTTP API lets one uploaded report be checked (E063 past it).")
    serve_token_file: str = _setting(env="XXGK_SERVE_TOKEN_FILE", kind="file",
                                     factory=lambda: str(PATHS.root / ".xxgk" / "serve-token"),
                                     help="The HTTP API's bearer token, generated at its first start (mode 0600, never printed).")
    annotations_dir: Path = _setting(env="XXGK_ANNOTATIONS_DIR", kind="dir", factory=lambda: PATHS.annotations,
                                     help="Where reviewers' corrected claims are appended as annotation records (corrections.jsonl).")
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        sources = dict(self.sources)
        for f in _fields():
            value = getattr(self, f.name)
            where = sources.get(f.name)
            if where is None or (where == "default" and value != _default(f)):
                where = "default" if value == _default(f) else "argument"
            sources[f.name] = where
            object.__setattr__(self, f.name, _parse(f, value, where))
        object.__setattr__(self, "sources", sources)

    def source(self, name: str) -> str:
        """Where the value of setting ``name`` came from."""
        return self.sources[name]

    @staticmethod
    def default(name: str) -> Any:
        """The default value of setting ``name`` (what applies when nothing sets it)."""
        (f,) = [f for f in _fields() if f.name == name]
        return _default(f)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, *, cwd: Optional[Path] = None) -> "Settings":
        """The effective settings: the environment (default ``os.environ``) over the
        configuration file (``$XXGK_CONFIG``, else ``xxgk.toml`` in ``cwd``, default the
        working folder) over the defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        path = config_file(env, cwd)
        if path is not None:
            for name, value in _read_file(path).items():
                values[name] = value
                sources[name] = f"file {path}"
        for f in _fields():
            raw = env.get(f.metadata["env"])
            if raw is not None and (raw.strip() or f.metadata["kind"] == "optional"):
                values[f.name] = raw
                sources[f.name] = f"environment {f.metadata['env']}"
        return cls(**values, sources=sources)

    def rows(self) -> list[dict[str, Any]]:
        """One row a setting: name, value, source, environment variable and help."""
        return [
            {"name": f.name, "value": _show(getattr(self, f.name)), "source": self.source(f.name),
             "env": f.metadata["env"], "help": f.metadata["help"]}
            for f in _fields()
        ]


def settings() -> Settings:
    """The effective settings now (environment, file, defaults): read at every call."""
    return Settings.from_env()


def config_file(environ: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None) -> Optional[Path]:
    """The configuration file in force: ``$XXGK_CONFIG`` (which must exist), else
    ``xxgk.toml`` in ``cwd`` when there is one, else None."""
    env = os.environ if environ is None else environ
    named = (env.get(CONFIG_ENV) or "").strip()
    if named:
        path = Path(named).expanduser().resolve()
        if not path.is_file():
            raise XxgkError(Errors.E043, path=path, detail=f"no such file (named by {CONFIG_ENV})")
        return path
    path = Path(cwd or Path.cwd()) / CONFIG_FILE
    return path.resolve() if path.is_file() else None


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _fields() -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(Settings) if f.name != "sources"]


def _default(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default is dataclasses.MISSING else f.default  # type: ignore[misc]


def _parse(f: dataclasses.Field, value: Any, where: str) -> Any:
    kind = f.metadata["kind"]
    parse, wanted = _KINDS[kind]
    try:
        if kind == "dir":
            return Path(parse(str(value) if isinstance(value, Path) else value))
        return parse(str(value) if kind == "file" and isinstance(value, Path) else value)
    except (TypeError, ValueError):
        how, _, name = where.partition(" ")
        if how == "file":
            how, name = where, f.name
        elif how != "environment":
            name = f.name
        raise XxgkError(Errors.E040, where=how, name=name, value=value, detail=wanted) from None


def _read_file(path: Path) -> dict[str, Any]:
    """The settings of a TOML file: top-level keys named as the settings; paths relative to
    the file's folder."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        raise XxgkError(Errors.E043, path=path, detail="reading it needs Python 3.11 or later (tomllib)") from None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise XxgkError(Errors.E043, path=path, detail=f"{type(e).__name__}: {e}".splitlines()[0]) from None
    kinds = {f.name: f.metadata["kind"] for f in _fields()}
    unknown = sorted(set(data) - set(kinds))
    if unknown:
        raise XxgkError(Errors.E043, path=path, detail=f"unknown setting(s) {', '.join(unknown)} "
                                                      f"(known: {', '.join(kinds)})")
    out: dict[str, Any] = {}
    for name, value in data.items():
        if kinds[name] in ("file", "dir") and isinstance(value, str) and value.strip() and value not in ("rules", ":memory:"):
            value = str(path.parent / Path(value).expanduser())
        out[name] = value
    return out


def _show(value: Any) -> Any:
    return str(value) if isinstance(value, Path) else value
