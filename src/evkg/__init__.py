"""evkg: a knowledge system for therapeutic extracellular vesicles from mesenchymal stromal cells.

Open the evidence graph (a SQLite store under the user data directory, created and loaded
with the shipped curated knowledge on first use) and ask it questions::

    import evkg
    knowledge = evkg.open_knowledge()
    report = knowledge.disease("rheumatoid arthritis")
    for strategy in report.strategies:
        print(strategy.key.agent, strategy.strength, strategy.references)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "open_knowledge"]

if TYPE_CHECKING:
    from evkg.api import Knowledge


def open_knowledge(**kwargs: Any) -> Knowledge:
    """See :func:`evkg.api.open_knowledge`."""
    from evkg.api import open_knowledge as _open

    return _open(**kwargs)
