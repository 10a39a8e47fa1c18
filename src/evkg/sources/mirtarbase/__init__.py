"""miRTarBase validated miRNA–target interactions with evidence tiers."""

from evkg.sources.mirtarbase.api import (
    MTI_COLUMNS,
    Interaction,
    MtiTable,
    load_mirtarbase,
    read_mirtarbase,
)

__all__ = ["MTI_COLUMNS", "Interaction", "MtiTable", "load_mirtarbase", "read_mirtarbase"]
