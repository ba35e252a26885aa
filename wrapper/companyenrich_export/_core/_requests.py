"""Everything about a request but sending it: configuration, headers, the key, timeouts.

Sending lives in `_async/_http.py` (and its generated sync twin); what is
built here is plain data and pure functions, shared by both clients.
"""

from __future__ import annotations

import os
import ssl
from functools import cache
from typing import NoReturn

import attrs
import httpx

from companyenrich_export._core._budget import (
    DEFAULT_MAX_REQUESTS_PER_MINUTE,
    check_requests_per_minute,
)
from companyenrich_export._core._clock import Clock, SystemClock
from companyenrich_export._core._operations import ApiRequest
from companyenrich_export._core._redact import carries_secret, redact_text, redact_url
from companyenrich_export._core._timing import PollSchedule, RetryPolicy, positive_seconds
from companyenrich_export._exceptions import APIConnectionError, APITimeoutError, CompanyEnrichError
from companyenrich_export._version import __version__

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "ClientConfig",
    "DeadlineExceeded",
    "capped_timeout",
    "default_tls_context",
    "raise_transport_error",
    "resolve_config",
    "transport_error",
]

API_KEY_ENV = "COMPANYENRICH_API_KEY"
BASE_URL_ENV = "COMPANYENRICH_BASE_URL"

DEFAULT_BASE_URL = "https://api.companyenrich.com"
# Connect fast, but give the server a generous read: status calls are cheap,
# result files are streamed chunk by chunk (the read timeout is per chunk).
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = f"companyenrich-export-python/{__version__}"
# Encodings our bounded decoder reads (see _core/_bodies.py); asking for only these
# keeps a server from choosing one we would have to refuse.
ACCEPT_ENCODING = "gzip, deflate"


def default_tls_context() -> ssl.SSLContext:
    """httpx's default verifying TLS context, made once per process for each CA setting.

    Reading the CA bundle costs ~30 ms, which httpx pays for every client it
    makes; a context is safe to share between clients and threads. httpx's own
    choice of bundle is kept, `SSL_CERT_FILE`/`SSL_CERT_DIR` included: a change
    to either gets a context of its own.
    """
    return _tls_context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@cache
def _tls_context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # The arguments are the cache's key only: httpx reads the same two variables.
    return httpx.create_ssl_context()


class DeadlineExceeded(Exception):
    """A retry would start after the caller's deadline (wait() turns it into WaitTimeoutError)."""

    def __init__(self, last_error: CompanyEnrichError) -> None:
        super().__init__(str(last_error))
        self.last_error = last_error


def _check_api_key(_: object, __: object, value: str) -> None:
    _check_key_characters(value)


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Everything a request needs to know, fixed when the client is built."""

    api_key: str = attrs.field(repr=False, validator=_check_api_key)
    base_url: httpx.URL
    timeout: httpx.Timeout
    retry: RetryPolicy
    poll: PollSchedule
    clock: Clock
    # The process-wide request budget's limit for this key (see _core/_budget.py); None: off.
    max_requests_per_minute: int | None = DEFAULT_MAX_REQUESTS_PER_MINUTE
    # The base URL as text without its trailing slash: joined to each path as a
    # string, so building a request parses one URL, as a bare `client.get(url)` does.
    _api_root: str = attrs.field(init=False, repr=False, eq=False)

    @_api_root.default
    def _root(self) -> str:
        return str(self.base_url).rstrip("/")

    def build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: ApiRequest,
        *,
        timeout: httpx.Timeout | None,
    ) -> httpx.Request:
        """The authenticated `httpx.Request` for one API operation.

        The key is attached here, per request, never to the HTTP client:
        requests to any other host (result files) cannot pick it up by accident.
        """
        headers = {
            "accept": operation.accept,
            "accept-encoding": ACCEPT_ENCODING,
            "authorization": f"Bearer {self.api_key}",
            "user-agent": USER_AGENT,
        }
        return http.build_request(
            operation.method,
            # Joining by hand keeps a base URL's own path prefix (a proxy mount point).
            self._api_root + operation.path,
            params=operation.params,
            json=operation.json,
            headers=headers,
            timeout=timeout or self.timeout,
        )

    def results_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        url: httpx.URL,
        *,
        timeout: httpx.Timeout,
        with_key: bool,
        headers: dict[str, str] | None = None,
    ) -> httpx.Request:
        """A GET of a results link; it carries the key only when `with_key` (the API's origin)."""
        request = http.build_request(
            "GET",
            url,
            headers={"user-agent": USER_AGENT, **(headers or {})},
            timeout=timeout,
        )
        if with_key:
            request.headers["authorization"] = f"Bearer {self.api_key}"
        else:
            # Whatever the user's own http_client sets by default stays off other hosts.
            request.headers.pop("authorization", None)
        return request

    @property
    def origin(self) -> str:
        """The API's scheme, host and port: what a request budget is shared per."""
        base = self.base_url
        return f"{base.scheme}://{base.host}:{base.port or ''}"

    def is_api_origin(self, url: httpx.URL) -> bool:
        """Whether `url` is on the API's own scheme, host and port (the only place the key goes)."""
        base = self.base_url
        return (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port)

    def redact(self, text: str) -> str:
        """`text` without the key (in any quoted form) or a URL's query: for what a server said."""
        return redact_text(text, (self.api_key,))


def capped_timeout(timeout: httpx.Timeout, seconds: float) -> httpx.Timeout:
    """`timeout` with no phase longer than `seconds` (for calls under a deadline)."""

    def cap(value: float | None) -> float:
        return seconds if value is None else min(value, seconds)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


def raise_transport_error(
    exc: httpx.HTTPError, request: httpx.Request, config: ClientConfig
) -> NoReturn:
    """Raise the typed error for `exc`, chained to it unless its text may quote a secret."""
    error = transport_error(exc, request, config)
    if isinstance(exc, httpx.LocalProtocolError) or _quotes_secret(exc, config.api_key):
        # A traceback (and logger.exception) prints the cause's message too: h11's
        # quotes the Authorization header, and a server can echo the key back in a
        # malformed header or a link with its signature.
        raise error from None
    raise error from exc


def _quotes_secret(exc: BaseException, secret: str) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current)
        if carries_secret(text, secret) or redact_text(text) != text:
            return True
        current = current.__cause__ or current.__context__
    return False


def transport_error(
    exc: httpx.HTTPError, request: httpx.Request, config: ClientConfig
) -> APIConnectionError:
    """The typed error for a request that got no (usable) HTTP answer."""
    never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request, never_sent=never_sent)
    if isinstance(exc, httpx.LocalProtocolError):
        # h11 quotes the offending header, value and all (`Illegal header value
        # b'Bearer ...'`): never repeat its words.
        message = "Connection error: the request could not be sent (invalid header or request)."
    else:
        message = config.redact(f"Connection error: {exc}")
    return APIConnectionError(message, request=request, never_sent=never_sent)


def resolve_config(
    api_key: str | None,
    *,
    base_url: str | httpx.URL | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    clock: Clock | None,
    retry_policy: RetryPolicy | None,
    poll_schedule: PollSchedule | None,
    max_requests_per_minute: int | None = DEFAULT_MAX_REQUESTS_PER_MINUTE,
) -> ClientConfig:
    """A client's constructor arguments, checked, with the environment's defaults filled in."""
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if not key:
        raise ValueError(
            f"No API key: pass api_key=... or set the {API_KEY_ENV} environment variable."
        )
    if not isinstance(key, str):
        raise TypeError(f"api_key must be a str, got {type(key).__name__}")
    url = _base_url(base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a whole number >= 0, got {max_retries!r}")
    if timeout is None:
        resolved_timeout = DEFAULT_TIMEOUT
    elif isinstance(timeout, httpx.Timeout):
        resolved_timeout = timeout
    else:
        resolved_timeout = httpx.Timeout(positive_seconds("timeout", timeout))
    # A full policy, when given, wins over the max_retries shorthand.
    retry = retry_policy if retry_policy is not None else RetryPolicy(max_retries=max_retries)
    return ClientConfig(
        api_key=key,
        base_url=url,
        timeout=resolved_timeout,
        retry=retry,
        poll=poll_schedule or PollSchedule(),
        clock=clock or SystemClock(),
        max_requests_per_minute=(
            None
            if max_requests_per_minute is None
            else check_requests_per_minute(max_requests_per_minute)
        ),
    )


def _check_key_characters(key: str) -> None:
    # A key goes into an HTTP header, where anything but visible ASCII is either
    # refused by h11 (with the header quoted in the error) or mangled. The
    # message names neither the key nor the character: both would leak it.
    if not key or not all("!" <= char <= "~" for char in key):
        raise ValueError(
            "The API key may hold only visible ASCII characters (no spaces, line breaks, "
            f"control or non-ASCII characters): check api_key= or {API_KEY_ENV}."
        )


def _base_url(value: str | httpx.URL) -> httpx.URL:
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ValueError(f"base_url is not a valid URL: {redact_url(value)!r}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, got {redact_url(url)!r}")
    if url.query or url.fragment:
        raise ValueError("base_url must not carry a query or a fragment")
    # httpx turns userinfo into Basic auth, which would replace the Bearer key.
    if url.userinfo:
        raise ValueError(
            "base_url must not carry credentials (user:password@); the API key is sent "
            "as a Bearer token, and a proxy's credentials belong in http_client="
        )
    return url
