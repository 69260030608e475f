"""Small typed settings, one object per concern, built once by the CLI.

Neo4j connection settings come from, in order: environment variables
(``ICSGRAPH_NEO4J_URI``, ``ICSGRAPH_NEO4J_USER``, ``ICSGRAPH_NEO4J_PASSWORD``,
``ICSGRAPH_NEO4J_DATABASE``), the ``[neo4j]`` table of the config file
(``$ICSGRAPH_CONFIG``, else ``~/.config/icsgraph/config.toml``), and last the
local server that ``icsgraph db start`` runs, whose password sits in a file
under ``$ICSGRAPH_HOME`` readable by its owner alone.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icsgraph.errors import ConfigError

DEFAULT_BOLT_PORT = 7687


def home_dir() -> Path:
    """Where the local server keeps its data, password and logs."""
    return Path(os.environ.get("ICSGRAPH_HOME", "~/.icsgraph")).expanduser()


def config_path() -> Path:
    default = "~/.config/icsgraph/config.toml"
    return Path(os.environ.get("ICSGRAPH_CONFIG", default)).expanduser()


@dataclass(frozen=True, slots=True)
class LocalServerSettings:
    """The embedded Neo4j that `icsgraph db start` runs on 127.0.0.1."""

    home: Path
    bolt_port: int

    @property
    def data_dir(self) -> Path:
        return self.home / "neo4j"

    @property
    def password_file(self) -> Path:
        return self.home / "neo4j-password"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


@dataclass(frozen=True, slots=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str
    source: str  # where the settings came from, for error messages

    def __repr__(self) -> str:  # never print the password
        return (
            f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, "
            f"source={self.source!r})"
        )


def load_local_settings() -> LocalServerSettings:
    port = os.environ.get("ICSGRAPH_LOCAL_BOLT_PORT", str(DEFAULT_BOLT_PORT))
    if not port.isdigit():
        raise ConfigError(f"ICSGRAPH_LOCAL_BOLT_PORT must be a number, not {port!r}")
    return LocalServerSettings(home=home_dir(), bolt_port=int(port))


def _read_config_table() -> dict[str, Any]:
    path = config_path()
    if not path.exists():
        return {}
    try:
        with path.open("rb") as f:
            table = tomllib.load(f).get("neo4j", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [neo4j] must be a table")
    return table


def _read_password_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"cannot read password file {path}: {exc.strerror}") from exc


def load_neo4j_settings() -> Neo4jSettings:
    """Resolve where and how to connect, without connecting."""
    env = os.environ
    table = _read_config_table()
    local = load_local_settings()
    uri = env.get("ICSGRAPH_NEO4J_URI") or table.get("uri")
    user = env.get("ICSGRAPH_NEO4J_USER") or table.get("user") or "neo4j"
    database = env.get("ICSGRAPH_NEO4J_DATABASE") or table.get("database") or "neo4j"
    password = env.get("ICSGRAPH_NEO4J_PASSWORD") or table.get("password")
    if password is None and "password_file" in table:
        password = _read_password_file(Path(str(table["password_file"])).expanduser())
    if uri is None:
        source = f"local server ({local.home})"
        uri = local.uri
        if password is None and local.password_file.exists():
            password = _read_password_file(local.password_file)
    else:
        source = "environment" if env.get("ICSGRAPH_NEO4J_URI") else str(config_path())
    return Neo4jSettings(
        uri=str(uri),
        user=str(user),
        password=str(password or ""),
        database=str(database),
        source=source,
    )


def load_user_table(name: str) -> dict[str, Any]:
    """The user's ``zones`` or ``thresholds`` settings, or {} for the defaults.

    ``$ICSGRAPH_<NAME>`` names a TOML file of its own; otherwise the ``[name]``
    table of the config file is used.
    """
    env = os.environ.get(f"ICSGRAPH_{name.upper()}")
    path = Path(env).expanduser() if env else config_path()
    if not path.exists():
        if env:
            raise ConfigError(f"{name} file {path} does not exist")
        return {}
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {name} file {path}: {exc}") from exc
    table = data if env else data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table
