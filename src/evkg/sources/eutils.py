"""NCBI E-utilities client for PubMed: ``esearch`` for a query's PMIDs, ``efetch`` for their
XML, rate-limited to 3 requests a second (10 with an API key in ``EVKG_NCBI_API_KEY``).

The service address comes from ``EVKG_EUTILS_URL`` (tests point it at a local server).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from typing import Any

from evkg.sources.pubmed.reader import iter_pubmed_bytes
from evkg.sources.text.document import Document, ReadProblem

__all__ = ["DEFAULT_EUTILS_URL", "EutilsClient", "EutilsError"]

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"


class EutilsError(RuntimeError):
    """E-utilities could not answer; the message says what to check."""


class EutilsClient:
    """A polite E-utilities client (one instance per run: it keeps the rate)."""

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        tool: str = "evkg",
        email: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = (
            base_url or os.environ.get("EVKG_EUTILS_URL") or DEFAULT_EUTILS_URL
        ).rstrip("/") + "/"
        self.api_key = api_key if api_key is not None else os.environ.get("EVKG_NCBI_API_KEY")
        self.interval = 1.0 / (10.0 if self.api_key else 3.0)
        self.tool, self.email, self.timeout = tool, email, timeout
        self._last = 0.0
        self.requests = 0

    def _params(self, extra: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {"db": "pubmed", "tool": self.tool, **extra}
        if self.api_key:
            params["api_key"] = self.api_key
        if self.email:
            params["email"] = self.email
        return params

    def _get(self, endpoint: str, params: dict[str, Any]) -> bytes:
        import httpx

        for attempt in range(4):
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.requests += 1
            try:
                response = httpx.get(
                    self.base_url + endpoint, params=self._params(params), timeout=self.timeout
                )
            except httpx.HTTPError as error:
                raise EutilsError(
                    f"cannot reach E-utilities at {self.base_url} ({error}); check the network "
                    "or EVKG_EUTILS_URL"
                ) from error
            # counted from the answer, so that slow answers never bunch requests together
            self._last = time.monotonic()
            if response.status_code == 429 or response.status_code >= 500:
                time.sleep(self.interval * (2**attempt))
                continue
            if response.status_code != 200:
                raise EutilsError(
                    f"E-utilities {endpoint} answered HTTP {response.status_code}: "
                    f"{response.text[:200]}"
                )
            return response.content
        raise EutilsError(f"E-utilities {endpoint} kept failing (rate limit or server error)")

    def search(self, query: str, max_results: int = 1000) -> list[str]:
        """PMIDs matching ``query`` (most recent first, as PubMed sorts)."""
        import json

        data = self._get("esearch.fcgi", {"term": query, "retmax": max_results, "retmode": "json"})
        try:
            ids = json.loads(data)["esearchresult"]["idlist"]
        except (ValueError, KeyError, TypeError) as error:
            raise EutilsError(f"unexpected esearch answer: {data[:200]!r}") from error
        return [str(i) for i in ids if str(i).isdigit()]

    def fetch(self, pmids: list[str]) -> Iterator[Document | ReadProblem]:
        """The PubMed records of ``pmids`` (one request)."""
        data = self._get("efetch.fcgi", {"id": ",".join(pmids), "retmode": "xml"})
        return iter_pubmed_bytes(data, f"efetch {pmids[0]}…{pmids[-1]}")

    def query_sources(
        self, query: str, *, max_results: int = 1000, chunk: int = 200
    ) -> Iterator[tuple[str, str, Iterator[Document | ReadProblem]]]:
        """(key, fingerprint, documents) per chunk of the query's PMIDs, for
        :func:`evkg.api.mining.mine_documents`; records are fetched only when read."""
        pmids = self.search(query, max_results)
        for start in range(0, len(pmids), chunk):
            part = pmids[start : start + chunk]
            digest = hashlib.sha256(",".join(part).encode()).hexdigest()
            yield f"pubmed-query:{digest[:16]}", digest, self._lazy(part)

    def _lazy(self, pmids: list[str]) -> Iterator[Document | ReadProblem]:
        yield from self.fetch(pmids)
