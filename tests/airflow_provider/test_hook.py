"""The provider as Airflow sees it, and the hook that turns a connection into a client."""

from __future__ import annotations

import asyncio
import json

import pytest

from companyenrich_export.airflow.hooks import CompanyEnrichHook
from companyenrich_export.testing import FakeCompanyEnrich
from conftest import API_KEY


def test_airflow_finds_the_provider_and_its_connection_type() -> None:
    from airflow.providers_manager import ProvidersManager
    from airflow.sdk.providers_manager_runtime import ProvidersManagerTaskRuntime

    provider = ProvidersManager().providers["companyenrich-export"]
    assert provider.data["name"] == "CompanyEnrich"
    hook = ProvidersManagerTaskRuntime().hooks["companyenrich"]
    assert hook is not None
    assert hook.hook_class_name == "companyenrich_export.airflow.hooks.CompanyEnrichHook"
    assert hook.connection_id_attribute_name == "companyenrich_conn_id"


def test_the_connection_form_asks_for_an_api_key_and_a_base_url() -> None:
    behaviour = CompanyEnrichHook.get_ui_field_behaviour()

    assert behaviour["relabeling"] == {"password": "API key", "host": "Base URL"}
    assert set(behaviour["hidden_fields"]) == {"schema", "login", "port", "extra"}


def use_connection(monkeypatch: pytest.MonkeyPatch, conn_id: str, **fields: object) -> None:
    monkeypatch.setenv(
        f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps({"conn_type": "companyenrich", **fields})
    )


@pytest.mark.parametrize(
    ("host", "port", "base_url"),
    [
        (None, None, "https://api.companyenrich.com"),
        ("", None, "https://api.companyenrich.com"),
        ("https://eu.api.example.com", None, "https://eu.api.example.com"),
        ("eu.api.example.com", None, "https://eu.api.example.com"),
        ("http://127.0.0.1", 8080, "http://127.0.0.1:8080"),
        ("http://127.0.0.1:9000", 8080, "http://127.0.0.1:9000"),
        ("proxy.example.com/companyenrich", 8443, "https://proxy.example.com:8443/companyenrich"),
    ],
)
def test_the_base_url_comes_from_host_and_port(
    monkeypatch: pytest.MonkeyPatch, host: str | None, port: int | None, base_url: str
) -> None:
    use_connection(monkeypatch, "ce_url", password=API_KEY, host=host, port=port)

    with CompanyEnrichHook("ce_url").get_client() as client:
        assert str(client.base_url).rstrip("/") == base_url


def test_a_connection_without_a_key_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    use_connection(monkeypatch, "ce_no_key", host="https://api.example.com")
    hook = CompanyEnrichHook("ce_no_key")

    with pytest.raises(
        ValueError,
        match="'ce_no_key' has no API key: put the key in the connection's password field",
    ):
        hook.get_client()
    with pytest.raises(ValueError, match="'ce_no_key' has no API key"), hook.client():
        pass


def test_clients_never_show_the_key(served_fake: FakeCompanyEnrich) -> None:
    hook = CompanyEnrichHook()

    async def async_repr() -> str:
        async with hook.async_client() as client:
            return repr(client) + repr(client.exports)

    with hook.client() as client:
        shown = repr(hook) + repr(client) + repr(client.exports) + asyncio.run(async_repr())
    assert API_KEY not in shown
    assert served_fake.base_url in shown


def test_test_connection_makes_one_free_read_only_call(served_fake: FakeCompanyEnrich) -> None:
    calls_before = len(served_fake.request_log)

    assert CompanyEnrichHook().test_connection() == (True, "Connection successfully tested")

    [call] = served_fake.request_log[calls_before:]
    assert (call.method, call.path, call.query) == (
        "GET",
        "/companies/search/async/jobs",
        "page=1&pageSize=1",
    )


def test_test_connection_reports_a_rejected_key_without_showing_it(
    served_fake: FakeCompanyEnrich, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_connection(monkeypatch, "ce_wrong", password="wrong-key-123", host=served_fake.base_url)

    ok, message = CompanyEnrichHook("ce_wrong").test_connection()

    assert not ok
    assert message.startswith("401 ")
    assert "wrong-key-123" not in message
