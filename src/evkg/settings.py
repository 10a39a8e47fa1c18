"""Configuration: explicit argument > ``EVKG_*`` environment variable > config file > default.

The config file is TOML at ``$EVKG_CONFIG`` or ``<user config dir>/evkg/config.toml``::

    database_url = "postgresql+psycopg://evkg@localhost/evkg"
    data_dir = "/data/evkg-reference"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["Settings", "SettingsError", "load_settings"]

_ENV = {
    "database_url": "EVKG_DATABASE_URL",
    "data_dir": "EVKG_DATA_DIR",
    "cache_dir": "EVKG_CACHE_DIR",
}


class SettingsError(ValueError):
    """A setting has a value evkg cannot use; the message names the setting and its origin."""


@dataclass(frozen=True)
class Settings:
    """Resolved settings, each with where its value came from."""

    database_url: str
    data_dir: Path | None
    cache_dir: Path
    origins: tuple[tuple[str, str], ...] = ()

    def origin(self, name: str) -> str:
        """Where setting ``name`` came from: argument, environment variable, file or default."""
        return dict(self.origins).get(name, "default")


def _config_file() -> Path:
    explicit = os.environ.get("EVKG_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir("evkg")) / "config.toml"


def _read_config(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (tomllib.TOMLDecodeError, OSError) as error:
        raise SettingsError(f"config file {path} cannot be read: {error}") from error


def default_database_url() -> str:
    """SQLite file under the user data directory."""
    path = Path(platformdirs.user_data_dir("evkg")) / "evkg.sqlite"
    return f"sqlite:///{path}"


def load_settings(
    *,
    database_url: str | None = None,
    data_dir: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> Settings:
    """Resolve settings with the documented precedence."""
    config_path = _config_file()
    config = _read_config(config_path)
    explicit: dict[str, object | None] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "cache_dir": cache_dir,
    }
    values: dict[str, object | None] = {}
    origins: list[tuple[str, str]] = []
    for name, env_name in _ENV.items():
        if explicit[name] not in (None, ""):
            values[name], origin = explicit[name], "argument"
        elif os.environ.get(env_name):
            values[name], origin = os.environ[env_name], f"environment variable {env_name}"
        elif config.get(name):
            values[name], origin = config[name], f"config file {config_path}"
        else:
            values[name], origin = None, "default"
        origins.append((name, origin))
    url = str(values["database_url"]) if values["database_url"] else default_database_url()
    resolved_data_dir = Path(str(values["data_dir"])).expanduser() if values["data_dir"] else None
    resolved_cache = (
        Path(str(values["cache_dir"])).expanduser()
        if values["cache_dir"]
        else Path(platformdirs.user_cache_dir("evkg"))
    )
    return Settings(
        database_url=url,
        data_dir=resolved_data_dir,
        cache_dir=resolved_cache,
        origins=tuple(origins),
    )
