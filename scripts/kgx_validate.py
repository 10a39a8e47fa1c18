"""Run ``kgx validate`` on an evkg KGX export, offline, and fail on any message.

    python scripts/kgx_validate.py DIR        # DIR from `evkg export --format kgx -o DIR`

Run it with a Python that has ``kgx`` (``pip install "kgx>=2.6,<3"``, best in its own
virtual environment: kgx pins numpy below 2). Plain ``kgx validate`` downloads the Biolink
Model YAML, its predicate map and a JSON-LD context from GitHub when it is imported; this
runs the same validator (kgx's own ``validate`` function) with the Biolink Model that the
``biolink-model`` package (a kgx dependency) installs instead, and that model's prefix map
as the JSON-LD context. The prefixes an export writes that Biolink does not list (evkg's own
``evkg.*`` terms; ``mirbase.mature`` from the Bioregistry) are declared with their URI
prefixes in the export's ``prefixes.json``; they are added to the context and printed. Exit
status 0 means kgx reported nothing (no error, no warning) on any node or edge.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

_NO_PREDICATE_MAP: dict[str, Any] = {"predicate mappings": []}  # used to map, not to validate


def _use_installed_biolink_model() -> dict[str, str]:
    """Point kgx at the installed Biolink Model before kgx is imported; its prefix map."""
    import bmt
    import bmt.toolkit

    model = resources.files("biolink_model")
    schema = str(model / "schema" / "biolink_model.yaml")
    prefix_map: dict[str, str] = json.loads(
        (model / "prefixmaps" / "biolink-model-prefix-map.json").read_text(encoding="utf-8")
    )

    class InstalledModelToolkit(bmt.toolkit.Toolkit):  # type: ignore[misc]
        def __init__(self, schema: Any = schema, predicate_map: Any = None, **options: Any):
            super().__init__(schema, predicate_map or _NO_PREDICATE_MAP, **options)

    bmt.Toolkit = InstalledModelToolkit  # kgx does `from bmt import Toolkit`
    bmt.toolkit.Toolkit = InstalledModelToolkit
    return prefix_map


def validate(folder: Path) -> int:
    nodes, edges, declared = folder / "nodes.tsv", folder / "edges.tsv", folder / "prefixes.json"
    missing = [str(p) for p in (nodes, edges, declared) if not p.is_file()]
    if missing:
        print(f"not an evkg KGX export, missing: {', '.join(missing)}", file=sys.stderr)
        return 2
    context = _use_installed_biolink_model()
    extra = json.loads(declared.read_text(encoding="utf-8"))["not_in_biolink"]
    clash = sorted(set(extra) & set(context))
    if clash:
        print(f"prefixes.json redefines Biolink prefixes: {', '.join(clash)}", file=sys.stderr)
        return 2
    import kgx.config
    from kgx.cli.cli_utils import validate as kgx_validate

    kgx.config.jsonld_context_map["biolink"] = {**context, **extra}
    print(f"Biolink Model from biolink-model; declared by the export: {', '.join(sorted(extra))}")
    errors = kgx_validate([str(nodes), str(edges)], "tsv", None, None)
    n_nodes = sum(1 for _ in nodes.open(encoding="utf-8")) - 1
    n_edges = sum(1 for _ in edges.open(encoding="utf-8")) - 1
    if errors:
        for level, kinds in errors.items():
            for kind, messages in kinds.items():
                for message, where in messages.items():
                    print(f"{level} {kind}: {message} ({len(where)}x, e.g. {where[0]})")
        print(f"kgx validate: problems in {folder} ({n_nodes} nodes, {n_edges} edges)")
        return 1
    print(f"kgx validate: {n_nodes} nodes and {n_edges} edges in {folder}, no errors or warnings")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder written by evkg export --format kgx")
    return validate(parser.parse_args(argv).folder)


if __name__ == "__main__":
    raise SystemExit(main())
