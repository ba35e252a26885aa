"""Sending: one API call with its retries, a bounded body and a typed error; results links.

Written once, as async code; `_sync/_http.py` is generated from it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Callable

import httpx

from companyenrich_export._core._backends import AsyncRequestSlots
from companyenrich_export._core._bodies import MAX_API_BODY, BoundedBody, Reply, settled_response
from companyenrich_export._core._budget import budget_for
from companyenrich_export._core._operations import ApiRequest
from companyenrich_export._core._requests import (
    ClientConfig,
    DeadlineExceeded,
    raise_transport_error,
    transport_error,
)
from companyenrich_export._core._timing import parse_retry_after
from companyenrich_export._exceptions import (
    CompanyEnrichError,
    ResponseValidationError,
    ResultsLinkError,
    status_error,
)
from companyenrich_export._jobs._preflight import CreditHeaders, credit_headers

__all__ = ["AsyncHTTP", "raw_chunks"]

logger = logging.getLogger("companyenrich_export")

MAX_REDIRECTS = 5


class AsyncHTTP:
    """The client's connection to the API: config, the httpx client, and request slots."""

    def __init__(self, config: ClientConfig, client: httpx.AsyncClient) -> None:
        self.config = config
        self.client = client
        self._slots = AsyncRequestSlots()
        # Shared with every client of this key and origin in the process (API calls only).
        self.budget = budget_for(
            config.api_key, config.origin, config.clock, config.max_requests_per_minute
        )
        # The credit headers of the latest API answer that carried them (see `credits`).
        self.credits: CreditHeaders | None = None

    async def call(
        self,
        operation: ApiRequest,
        *,
        timeout: httpx.Timeout,
        idempotent: bool = True,
        deadline: float | None = None,
    ) -> Reply:
        """Send `operation` until it succeeds or the retry policy gives up; raise the typed error.

        `deadline` (on the config's clock) stops retrying when the next
        attempt would start after it (DeadlineExceeded, for wait()).
        """
        config = self.config
        request = config.build(self.client, operation, timeout=timeout)
        longest_retry_after: float | None = None
        retry_number = 0
        while True:
            error: CompanyEnrichError
            try:
                response, body = await self._exchange_within_budget(request)
            except httpx.HTTPError as exc:
                error = transport_error(exc, request, config)
                outcome: object = type(exc).__name__
            else:
                retry_after = parse_retry_after(
                    response.headers.get("retry-after"), now=config.clock.utcnow
                )
                if self.budget is not None:
                    self.budget.observe(response.status_code, response.headers, retry_after)
                self._note_credits(response)
                if retry_after is not None:
                    longest_retry_after = max(retry_after, longest_retry_after or 0.0)
                logger.debug(
                    "%s %s -> %d (attempt %d)",
                    request.method,
                    request.url.path,
                    response.status_code,
                    retry_number + 1,
                )
                if response.is_success:
                    return Reply(
                        response=response,
                        body=_decoded(body, response),
                        retry_after=longest_retry_after,
                    )
                error = status_error(
                    settled_response(response, body.finish()),
                    retry_after=retry_after,
                    secret=config.api_key,
                )
                outcome = response.status_code
            delay = config.retry.delay(retry_number, error, idempotent=idempotent)
            if delay is None:
                raise error
            if deadline is not None and config.clock.monotonic() + delay > deadline:
                raise DeadlineExceeded(error)
            retry_number += 1
            logger.info(
                "%s %s failed (%s); retry %d of %d in %.2f s",
                request.method,
                request.url.path,
                outcome,
                retry_number,
                config.retry.max_retries,
                delay,
            )
            await config.clock.asleep(delay)

    async def _exchange_within_budget(
        self, request: httpx.Request
    ) -> tuple[httpx.Response, BoundedBody]:
        budget = self.budget
        if budget is None:
            return await self._exchange(request)
        # The sleep is on the client's clock: free under ManualClock, never blocking the loop.
        while (delay := budget.take()) > 0:
            await self.config.clock.asleep(delay)
        try:
            return await self._exchange(request)
        finally:
            # Answered, failed or cancelled: the place counts from now (see `_budget`).
            budget.done()

    def _note_credits(self, response: httpx.Response) -> None:
        # Optional headers, on any answer (errors too): absent or unreadable ones change nothing.
        seen = credit_headers(response.headers)
        if seen is not None:
            self.credits = seen

    async def _exchange(self, request: httpx.Request) -> tuple[httpx.Response, BoundedBody]:
        response = await self.send(request)
        body = BoundedBody(_encoding_of(response), limit=MAX_API_BODY)
        try:
            async for chunk in raw_chunks(response):
                body.feed(chunk)
                if body.done:
                    break  # the rest is not worth reading: close the connection instead
        finally:
            await response.aclose()
        return response, body

    async def send(self, request: httpx.Request) -> httpx.Response:
        """One request, headers read and body not: the caller reads and closes it."""
        await self._slots.acquire(request)
        try:
            return await self.client.send(request, stream=True, follow_redirects=False)
        finally:
            self._slots.release()

    async def open_results(
        self, url: str, *, timeout: httpx.Timeout, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """GET a results link, redirects followed by hand; the successful streamed response.

        The key goes only to the API's own origin, and never along a redirect.
        The file is asked for as stored (`identity`) and saved as served: a
        server that compresses anyway is not inflated, so a small body cannot
        become a huge file.
        """
        config = self.config
        target = _link(url, "The results link is not a valid URL.")
        with_key = config.is_api_origin(target)
        for _ in range(MAX_REDIRECTS + 1):
            request = config.results_request(
                self.client,
                target,
                timeout=timeout,
                with_key=with_key,
                headers={"accept-encoding": "identity", **(headers or {})},
            )
            try:
                response = await self.send(request)
            except httpx.HTTPError as exc:
                raise_transport_error(exc, request, config)
            except UnicodeError:
                # Raised while encoding the host name (an empty or 64-character label).
                raise ResultsLinkError(
                    "The results link's host name cannot be looked up (an empty or overlong label)."
                ) from None
            location = response.headers.get("location") if response.is_redirect else None
            if location is None:
                break
            await response.aclose()
            target = _link(
                functools.partial(target.join, location),
                "The results link redirected to an invalid location.",
            )
            with_key = False
        else:
            raise ResultsLinkError(f"More than {MAX_REDIRECTS} redirects fetching the results.")
        if response.is_success:
            return response
        body = BoundedBody(_encoding_of(response), limit=MAX_API_BODY)
        try:
            async for chunk in raw_chunks(response):
                body.feed(chunk)
                if body.done:
                    break
        except httpx.HTTPError as exc:
            raise_transport_error(exc, request, config)
        finally:
            await response.aclose()
        raise status_error(
            settled_response(response, body.finish()), retry_after=None, secret=config.api_key
        )


def _link(url: str | Callable[[], httpx.URL], problem: str) -> httpx.URL:
    """`url` parsed, host name included; ResultsLinkError(`problem`) if it cannot be.

    httpx decodes an IDNA host only when asked for it: asked here, so that
    `http://⒈.com/`, `xn--zz.example`, `a..b` or a 64-character label fail
    as a typed error about the link, not as an `idna` error from deep inside.
    """
    try:
        parsed = url() if callable(url) else httpx.URL(url)
        host = parsed.host
        if host:
            host.encode("idna")
    except (httpx.InvalidURL, UnicodeError, ValueError):
        raise ResultsLinkError(problem) from None
    return parsed


async def raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body's bytes as they came off the wire (no Content-Encoding undone)."""
    if response.is_stream_consumed:
        # A transport that hands over a body already read (httpx.MockTransport).
        if response.content:
            yield response.content
        return
    async for chunk in response.aiter_raw():
        yield chunk


def _encoding_of(response: httpx.Response) -> str | None:
    # A body already read by the transport was decoded by httpx on the way.
    return None if response.is_stream_consumed else response.headers.get("content-encoding")


def _decoded(body: BoundedBody, response: httpx.Response) -> bytes:
    content = body.finish()
    if body.decode_error is not None:
        raise ResponseValidationError(
            f"The API's answer could not be decoded: {body.decode_error}",
            response=response,
            body="",
        )
    if body.truncated:
        raise ResponseValidationError(
            f"The API's answer is larger than {MAX_API_BODY:,} bytes.",
            response=response,
            body="",
        )
    return content
