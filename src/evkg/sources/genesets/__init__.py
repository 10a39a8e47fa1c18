"""Gene-set libraries: GMT files (Reactome, WikiPathways, MSigDB) and propagated GO BP sets."""

from evkg.sources.genesets.api import (
    GeneSet,
    GeneSetLibrary,
    load_gmt,
    load_go_bp,
    read_gmt,
    read_go_bp,
)

__all__ = ["GeneSet", "GeneSetLibrary", "load_gmt", "load_go_bp", "read_gmt", "read_go_bp"]
