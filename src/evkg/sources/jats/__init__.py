"""JATS full-text articles (PMC's XML), tables read cell by cell."""

from evkg.sources.jats.api import read_jats

__all__ = ["read_jats"]
