"""Keep credentials out of everything sitrep writes: cache, results, summaries, logs.

An API key is only ever held in memory by the HTTP client. Anything that might echo it (an error
message from a provider, an endpoint URL with ``user:password@`` or ``?api-key=``) passes through a
:class:`Redactor` before it is stored or printed.

>>> r = Redactor(["sk-test-0123456789abcdef"])
>>> r("401: Incorrect API key provided: sk-test-0123456789abcdef")
'401: Incorrect API key provided: [redacted]'
>>> redact_url("https://user:pw@llm.example.org/v1?api-key=abc&x=1")
'https://llm.example.org/v1?x=1'
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from extraction.errors import redact

_SECRET_PARAMS = frozenset(
    {"key", "api_key", "api-key", "apikey", "token", "access_token", "sig", "signature", "auth"}
)
_TRIGGERS = ("sk-", "pk-", "rk-", "ak-", "bearer ", "api_key=", "api-key=")
"""Every key-shaped pattern of :func:`extraction.errors.redact` contains one of these (compared
in lower case): text without any of them has nothing to redact, and is returned as it is after a
scan far cheaper than the regular expressions."""
MIN_SECRET_LENGTH = 8
"""Shorter strings are not treated as secrets (replacing them would mangle ordinary text)."""


def redact_url(url: str | None) -> str | None:
    """The URL without user info and without query parameters that carry credentials."""
    if url is None:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    kept = [(k, v) for k, v in query if k.casefold() not in _SECRET_PARAMS]
    return urlunsplit((parts.scheme, host, parts.path, urlencode(kept), parts.fragment))


class Redactor:
    """Replaces the known secrets, and anything shaped like an API key, with ``[redacted]``
    (the patterns are those of :func:`extraction.errors.redact`)."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets = sorted(
            {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True
        )

    def __call__(self, text: str) -> str:
        lowered = text.lower()
        if not any(t in lowered for t in _TRIGGERS) and not self.contains_secret(text):
            return text
        return redact(text, self._secrets)

    def contains_secret(self, text: str) -> bool:
        """True when ``text`` holds one of the known secrets verbatim.

        >>> Redactor(["0123456789"]).contains_secret("key 0123456789 leaked")
        True
        """
        return any(s in text for s in self._secrets)
