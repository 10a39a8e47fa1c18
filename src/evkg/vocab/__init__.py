"""Names to identifiers: lexicons, the miRNA grammar and normalisers for every entity kind.

>>> vocabulary = load_vocabulary()
>>> vocabulary.gene("CD73").label
'NT5E'
"""

from __future__ import annotations

import logging
from pathlib import Path

from evkg.vocab.compact import compact_fingerprint, compact_lexicon
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
    directory is given (built once, then cached under ``cache_dir``)."""
    if data_dir is None:
        return Vocabulary(compact_lexicon(), f"compact-{compact_fingerprint()}")
    from evkg.vocab.full_lexicon import build_full_lexicon, cache_file_for, default_cache_dir

    full = build_full_lexicon(data_dir, cache_dir=cache_dir)
    fingerprint = f"full-{cache_file_for(data_dir, cache_dir).stem}-{compact_fingerprint()}"
    # the compact entries add evkg's own terms and the protein names; where both know an
    # identifier, the reference data's label stays and the compact names become synonyms
    full.add_all(compact_lexicon().entries.values())
    _log.info("vocabulary: %d identifiers (data dir %s)", len(full), data_dir)
    return Vocabulary(full, fingerprint, cache_dir=cache_dir or default_cache_dir())
