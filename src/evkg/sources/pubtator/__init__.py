"""PubTator title/abstract files."""

from evkg.sources.pubtator.api import read_pubtator

__all__ = ["read_pubtator"]
