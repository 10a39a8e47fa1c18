"""Names to identifiers: lexicons, the miRNA grammar and normalisers for every entity kind.

>>> vocabulary = load_vocabulary()
>>> vocabulary.gene("CD73").label
'NT5E'
"""

from __future__ import annotations

import logging
from pathlib import Path

from evkg.vocab.compact import apply_shipped_corrections, compact_fingerprint, compact_lexicon
from evkg.vocab.lexicon import Lexicon, LexiconEntry, fold_name
from evkg.vocab.match import Match
from evkg.vocab.mirna import MirnaName, parse_mirna_name
from evkg.vocab.normalise import Vocabulary

__all__ = [
    "Lexicon",
    "LexiconEntry",
    "Match",
    "MirnaName",
    "Vocabulary",
    "compact_lexicon",
    "fold_name",
    "load_vocabulary",
    "parse_mirna_name",
]

_log = logging.getLogger(__name__)


def load_vocabulary(data_dir: Path | None = None, cache_dir: Path | None = None) -> Vocabulary:
    """Normalisers over the compact lexicon, extended by the full reference data when a data
    directory is given (built once, then cached under ``cache_dir``).

    With a data directory, the merged lexicon is opened lazily from its store
    (:mod:`evkg.vocab.lexicon_store`, written on first use): a query reads the names it
    asks about; whatever needs every entry loads the full lexicon's cache as before."""
    from evkg.vocab.full_lexicon import cache_file_for, default_cache_dir

    if data_dir is None:
        # its name index cached too (built afresh, it took ~0.25 s of every CLI search)
        return Vocabulary(
            compact_lexicon(),
            f"compact-{compact_fingerprint()}",
            cache_dir=cache_dir or default_cache_dir(),
        )
    from evkg.vocab.lexicon_store import open_lexicon_store, store_path, write_lexicon_store

    fingerprint = f"full-{cache_file_for(data_dir, cache_dir).stem}-{compact_fingerprint()}"
    directory = cache_dir or default_cache_dir()
    path = store_path(directory, fingerprint)

    def whole() -> Lexicon:
        return _merged_lexicon(data_dir, cache_dir)

    lexicon = open_lexicon_store(path, whole)
    if lexicon is None:
        lexicon = whole()
        write_lexicon_store(path, lexicon)
    _log.info("vocabulary: %d identifiers (data dir %s)", len(lexicon), data_dir)
    return Vocabulary(lexicon, fingerprint, cache_dir=directory)


def _merged_lexicon(data_dir: Path, cache_dir: Path | None) -> Lexicon:
    """The full lexicon with the compact one merged in, every entry in memory."""
    from evkg.vocab.full_lexicon import build_full_lexicon

    full = build_full_lexicon(data_dir, cache_dir=cache_dir)
    # the compact entries add evkg's own terms and the protein names; where both know an
    # identifier, the reference data's label stays and the compact names become synonyms
    full.add_all(compact_lexicon().entries.values())
    apply_shipped_corrections(full)  # again, for the identities only the reference data holds
    return full
