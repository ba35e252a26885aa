"""`CompanyEnrichHook`: a `companyenrich` connection turned into a client.

The connection keeps the API key in its password field (which Airflow
encrypts at rest and masks in task logs) and, optionally, a base URL in its
host field (`https://api.companyenrich.com` when empty). The hook never
stores the key: it reads the connection each time it builds a client.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
from airflow.sdk import BaseHook

from companyenrich_export import AsyncCompanyEnrich, CompanyEnrich

__all__ = ["CompanyEnrichHook"]


def _base_url(host: str | None, port: int | None) -> str | None:
    """The API base URL a connection's host (and port) field describes; None: the default."""
    host = (host or "").strip()
    if not host:
        return None
    # Airflow's UI has one "Host" box: accept a full URL there, or a bare host name.
    url = host if "://" in host else f"https://{host}"
    if port:
        scheme, _, rest = url.partition("://")
        authority, slash, path = rest.partition("/")
        if ":" not in authority.rsplit("]", 1)[-1]:
            url = f"{scheme}://{authority}:{port}{slash}{path}"
    return url


@functools.cache
def _tls() -> ssl.SSLContext:
    # httpx loads the CA bundle afresh for every client it makes (tens of ms
    # of CPU); a triggerer making one client per trigger would block its
    # event loop that long each time. One context serves them all.
    return httpx.create_ssl_context()


class CompanyEnrichHook(BaseHook):
    """Clients for CompanyEnrich's export API, configured from an Airflow connection.

        hook = CompanyEnrichHook("companyenrich_default")
        with hook.client() as client:                  # closed on exit
            client.exports.get(job_id)
        async with hook.async_client() as client:      # in a trigger or async task
            await client.exports.wait(job_id)

    `get_client()` / `get_async_client()` return a client for you to close.
    `timeout` and `max_retries` are passed to the client (see its README
    section); the connection gives the key and, optionally, the base URL.
    """

    conn_name_attr = "companyenrich_conn_id"
    default_conn_name = "companyenrich_default"
    conn_type = "companyenrich"
    hook_name = "CompanyEnrich"

    def __init__(
        self,
        companyenrich_conn_id: str = default_conn_name,
        *,
        timeout: float | None = None,
        max_retries: int = 2,
    ) -> None:
        super().__init__()
        self.companyenrich_conn_id = companyenrich_conn_id
        self.timeout = timeout
        self.max_retries = max_retries

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        return {
            "hidden_fields": ["schema", "login", "port", "extra"],
            "relabeling": {"password": "API key", "host": "Base URL"},
            "placeholders": {"host": "https://api.companyenrich.com (leave empty for this)"},
        }

    def _settings(self, connection: Any) -> tuple[str, str | None]:
        api_key = connection.password
        if not api_key:
            raise ValueError(
                f"Connection {self.companyenrich_conn_id!r} has no API key: "
                "put the key in the connection's password field."
            )
        return api_key, _base_url(connection.host, connection.port)

    def get_client(self) -> CompanyEnrich:
        """A blocking client (for workers); use it as a context manager to close it."""
        api_key, base_url = self._settings(self.get_connection(self.companyenrich_conn_id))
        return CompanyEnrich(
            api_key, base_url=base_url, timeout=self.timeout, max_retries=self.max_retries
        )

    def get_conn(self) -> CompanyEnrich:
        """Airflow's name for `get_client()`."""
        return self.get_client()

    async def get_async_client(self) -> AsyncCompanyEnrich:
        """An asyncio client (for triggers); the connection is read without blocking the loop."""
        connection = await self.aget_connection(self.companyenrich_conn_id)
        api_key, base_url = self._settings(connection)
        return AsyncCompanyEnrich(
            api_key, base_url=base_url, timeout=self.timeout, max_retries=self.max_retries
        )

    @contextmanager
    def client(self) -> Iterator[CompanyEnrich]:
        """`get_client()` as a context manager, sharing one TLS context per process."""
        api_key, base_url = self._settings(self.get_connection(self.companyenrich_conn_id))
        with (
            httpx.Client(verify=_tls()) as pool,
            CompanyEnrich(
                api_key,
                base_url=base_url,
                timeout=self.timeout,
                max_retries=self.max_retries,
                http_client=pool,
            ) as client,
        ):
            yield client

    @asynccontextmanager
    async def async_client(self) -> AsyncIterator[AsyncCompanyEnrich]:
        """`get_async_client()` as a context manager, sharing one TLS context per process."""
        connection = await self.aget_connection(self.companyenrich_conn_id)
        api_key, base_url = self._settings(connection)
        async with (
            httpx.AsyncClient(verify=_tls()) as pool,
            AsyncCompanyEnrich(
                api_key,
                base_url=base_url,
                timeout=self.timeout,
                max_retries=self.max_retries,
                http_client=pool,
            ) as client,
        ):
            yield client

    def test_connection(self) -> tuple[bool, str]:
        """The UI's "Test" button: one free, read-only call (the first page of your jobs)."""
        try:
            with self.client() as client:
                client.exports.list_page(1, page_size=1)
        except Exception as error:  # the UI shows the message instead of a traceback
            return False, str(error)
        return True, "Connection successfully tested"
