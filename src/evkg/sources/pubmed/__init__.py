"""PubMed/MEDLINE XML (MedlineCitationSet and PubmedArticleSet), streamed."""

from evkg.sources.pubmed.api import read_pubmed
from evkg.sources.pubmed.reader import iter_pubmed_bytes

__all__ = ["iter_pubmed_bytes", "read_pubmed"]
