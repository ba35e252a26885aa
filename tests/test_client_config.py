"""Client construction: signature, API key, base URL, and who owns the HTTP client."""

from __future__ import annotations

import inspect
import ssl

import certifi
import httpx
import pytest
import respx

from companyenrich_export import API_KEY_ENV, AsyncCompanyEnrich, CompanyEnrich
from companyenrich_export._core._requests import _tls_context_for

pytestmark = pytest.mark.anyio

CLIENT_CLASSES = [CompanyEnrich, AsyncCompanyEnrich]


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
def test_constructor_signature(cls: type[CompanyEnrich | AsyncCompanyEnrich]) -> None:
    # The documented surface: the key is the only positional argument.
    params = inspect.signature(cls).parameters
    assert list(params)[:5] == ["api_key", "base_url", "timeout", "max_retries", "http_client"]
    assert params["api_key"].default is None
    assert params["api_key"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert params["max_retries"].default == 2
    for name in ("base_url", "timeout", "max_retries", "http_client"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
def test_missing_key_names_the_environment_variable(
    cls: type[CompanyEnrich | AsyncCompanyEnrich], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    with pytest.raises(ValueError, match="COMPANYENRICH_API_KEY"):
        cls()


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
@pytest.mark.parametrize("key", ["", " sk-live-SECRET123", "sk-live-SECRET123\n"])
def test_blank_or_padded_key_is_refused(
    cls: type[CompanyEnrich | AsyncCompanyEnrich], key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A key with a stray newline would otherwise fail later as a confusing 401.
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    with pytest.raises(ValueError, match="COMPANYENRICH_API_KEY") as caught:
        cls(key)
    assert "SECRET123" not in str(caught.value)


async def test_key_is_read_from_the_environment(make_api, router, monkeypatch) -> None:
    monkeypatch.setenv(API_KEY_ENV, "sk-from-env")
    api = make_api(api_key=None)
    route = router.get(api.job_url).respond(200, json=api.bodies.job())

    await api.exports.get(api.job_id)

    assert route.calls.last.request.headers["Authorization"] == "Bearer sk-from-env"


async def test_explicit_key_wins_over_the_environment(make_api, router, monkeypatch) -> None:
    monkeypatch.setenv(API_KEY_ENV, "sk-from-env")
    api = make_api(api_key="sk-explicit")
    route = router.get(api.job_url).respond(200, json=api.bodies.job())

    await api.exports.get(api.job_id)

    assert route.calls.last.request.headers["Authorization"] == "Bearer sk-explicit"


async def test_every_api_request_carries_bearer_auth_and_json_accept(api, router) -> None:
    route = router.get(api.job_url).respond(200, json=api.bodies.job())

    await api.exports.get(api.job_id)

    headers = route.calls.last.request.headers
    assert headers["Authorization"] == f"Bearer {api.key}"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"].startswith("companyenrich-export-python/")


async def test_base_url_keeps_its_path_prefix(make_api, router) -> None:
    # A proxy mount point must survive the join with the operation's path.
    api = make_api(base_url="https://proxy.example/mount/")
    route = router.get(f"https://proxy.example/mount/companies/search/async/{api.job_id}")
    route.respond(200, json=api.bodies.job())

    await api.exports.get(api.job_id)

    assert route.call_count == 1


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
@pytest.mark.parametrize("base_url", ["ftp://api.example", "/relative", "https://h/?q=1"])
def test_bad_base_url_is_refused(cls, base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        cls("k", base_url=base_url)


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
@pytest.mark.parametrize("max_retries", [-1, 1.5, True, "2"])
def test_bad_max_retries_is_refused(cls, max_retries: object) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        cls("k", max_retries=max_retries)


# --- your own HTTP client -------------------------------------------------------


def _own_http_client(flavour: str, seen: list[httpx.Request]) -> httpx.Client | httpx.AsyncClient:
    """A caller's client with its own headers and transport (not respx: a real transport slot)."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                "status": "pending",
                "requested_count": 1,
                "total_matching": 1,
                "exported_count": 0,
                "credits_charged": 0,
                "created_at": "2026-02-17T02:04:03Z",
            },
        )

    transport = httpx.MockTransport(handler)
    headers = {"X-Team": "growth"}
    if flavour == "async":
        return httpx.AsyncClient(transport=transport, headers=headers)
    return httpx.Client(transport=transport, headers=headers)


async def test_own_http_client_keeps_auth_and_its_headers(make_api, flavour) -> None:
    seen: list[httpx.Request] = []
    http = _own_http_client(flavour, seen)
    api = make_api(http_client=http)

    await api.exports.get(api.job_id)

    assert len(seen) == 1
    assert seen[0].headers["Authorization"] == f"Bearer {api.key}"
    assert seen[0].headers["X-Team"] == "growth"
    assert isinstance(http, httpx.Client | httpx.AsyncClient)
    await http.aclose() if isinstance(http, httpx.AsyncClient) else http.close()


async def test_own_http_client_is_not_closed_by_the_client(make_api, flavour) -> None:
    seen: list[httpx.Request] = []
    http = _own_http_client(flavour, seen)
    api = make_api(http_client=http)

    await api.close()

    # Still open, and still usable by its owner.
    assert not http.is_closed
    if isinstance(http, httpx.AsyncClient):
        await http.get("https://elsewhere.example/")
        await http.aclose()
    else:
        http.get("https://elsewhere.example/")
        http.close()
    assert len(seen) == 1


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
def test_http_client_of_the_wrong_flavour_is_refused(cls) -> None:
    wrong = httpx.AsyncClient() if cls is CompanyEnrich else httpx.Client()
    with pytest.raises(TypeError, match="http_client"):
        cls("k", http_client=wrong)


def test_owned_client_is_closed_by_the_context_manager(router: respx.MockRouter) -> None:
    with CompanyEnrich("k") as client:
        pass
    # httpx refuses to send on a closed client: the pool really was released.
    with pytest.raises(RuntimeError, match="closed"):
        client.exports.get("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert router.calls.call_count == 0


async def test_owned_async_client_is_closed_by_the_context_manager(
    router: respx.MockRouter,
) -> None:
    async with AsyncCompanyEnrich("k") as client:
        pass
    with pytest.raises(RuntimeError, match="closed"):
        await client.exports.get("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert router.calls.call_count == 0


def _tls_context_of(client: CompanyEnrich | AsyncCompanyEnrich) -> ssl.SSLContext:
    # httpx 0.28's (pinned) transport keeps the context its pool connects with.
    context = client._http._transport._pool._ssl_context  # type: ignore[union-attr]
    assert isinstance(context, ssl.SSLContext)
    return context


def test_clients_share_one_verifying_tls_context_per_ca_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The CA bundle is read once per process (~30 ms a client otherwise), not once per client."""
    made: list[ssl.SSLContext] = []
    real = httpx.create_ssl_context

    def counted() -> ssl.SSLContext:
        made.append(real())
        return made[-1]

    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    _tls_context_for.cache_clear()
    try:
        clients = [CompanyEnrich(api_key="k"), AsyncCompanyEnrich(api_key="k"), CompanyEnrich("k")]
        assert len(made) == 1
        assert all(_tls_context_of(client) is made[0] for client in clients)
        assert made[0].verify_mode == ssl.CERT_REQUIRED
        assert made[0].check_hostname

        # httpx's SSL_CERT_FILE is still honoured: another bundle, another context.
        monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
        other = CompanyEnrich(api_key="k")
        assert len(made) == 2
        assert _tls_context_of(other) is made[1]
        clients.append(other)
    finally:
        _tls_context_for.cache_clear()
    for client in clients:
        if isinstance(client, CompanyEnrich):
            client.close()
