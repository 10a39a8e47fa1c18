"""Cargo files a user uploads: name lists, tables, miRNA-seq count tables, protein lists."""

from evkg.sources.cargo.api import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    CargoFileError,
    CargoFileTooLargeError,
    CargoRow,
    CargoTable,
    read_cargo_file,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "CargoFileError",
    "CargoFileTooLargeError",
    "CargoRow",
    "CargoTable",
    "read_cargo_file",
]
