"""NanoSight ``.nano`` experiment files: INI-style capture settings (optional companion)."""

from __future__ import annotations

import configparser
from pathlib import Path

from evkg.sources.nta._records import NanoExperiment
from evkg.sources.nta._text import NtaFormatError, to_float

__all__ = ["is_nano_experiment", "parse_nano_experiment"]


def is_nano_experiment(text: str) -> bool:
    head = text.lstrip("\ufeff")[:2000]
    return head.startswith("[Filenames]") and "[CaptureSettings]" in text


def _list(section: configparser.SectionProxy, key: str) -> list[str]:
    return [v.strip() for v in section.get(key, "").split(",") if v.strip()]


def parse_nano_experiment(text: str, path: Path) -> NanoExperiment:
    """Capture settings per video; a dilution factor of 0 means 'not recorded'."""
    parser = configparser.ConfigParser(allow_no_value=True, delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text.lstrip("\ufeff"), source=str(path))
    except configparser.Error as error:
        line = getattr(error, "lineno", None)
        raise NtaFormatError(
            path, line, None, f"not a valid .nano file: {error.message}"
        ) from error
    for name in ("Filenames", "Details", "CaptureSettings"):
        if not parser.has_section(name):
            raise NtaFormatError(path, None, f"[{name}]", "section missing (truncated file?)")
    details, capture = parser["Details"], parser["CaptureSettings"]
    videos = tuple(parser["Filenames"].keys())
    dilutions = tuple(
        factor if factor else None
        for factor in (to_float(v) for v in _list(capture, "DilutionFactor"))
    )
    try:
        temperatures = tuple(float(v) for v in _list(capture, "Temperature"))
        levels = tuple(int(float(v)) for v in _list(capture, "CameraLevel"))
    except ValueError as error:
        raise NtaFormatError(path, None, "[CaptureSettings]", str(error)) from error
    return NanoExperiment(
        path=str(path),
        software=details.get("CaptureAppBuild") or None,
        sample=details.get("SampleName") or None,
        operator=details.get("Operator") or None,
        captured=details.get("TimeCaptured") or None,
        videos=videos,
        dilution_factors=dilutions,
        temperatures_c=temperatures,
        camera_levels=levels,
    )
