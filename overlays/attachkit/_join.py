"""Joining the generated code's relative paths to a client's base URL, fast."""

from __future__ import annotations

import httpx


class JoinPaths:
    """Joins the generated code's relative paths to the base URL as text, parsing the result once.

    httpx's own merge parses the path, then copies the base URL with it (two parses a request); this was
    a measurable share of attachkit's per-call cost. `test_url_join_matches_httpx` pins the equivalence.
    Mixed into the httpx client classes of both faces.
    """

    base_url: httpx.URL
    _prefix: str

    def _merge_url(self, url: httpx.URL | str) -> httpx.URL:
        if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
            return httpx.URL(self._prefix + url[1:])
        return super()._merge_url(url)  # type: ignore[misc, no-any-return]
