from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account import Account
from ...models.get_account_accept import GetAccountAccept
from ...models.problem_details import ProblemDetails
from ...types import Response, Unset


def _get_kwargs(
    *,
    accept: GetAccountAccept | Unset = GetAccountAccept.APPLICATIONJSON,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = str(accept)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/me",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Account | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = Account.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Account | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    accept: GetAccountAccept | Unset = GetAccountAccept.APPLICATIONJSON,
) -> Response[Account | ProblemDetails]:
    """Get Account

     The caller's account: credits used and in total (there is no
    balance field: what remains is `total - used`) and the plan's
    limits, among them `companySearchAsyncLimit`, the most companies one
    export may ask for. Free: no credits are deducted.

    Args:
        accept (GetAccountAccept | Unset):  Default: GetAccountAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Account | ProblemDetails]
    """

    kwargs = _get_kwargs(
        accept=accept,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    accept: GetAccountAccept | Unset = GetAccountAccept.APPLICATIONJSON,
) -> Account | ProblemDetails | None:
    """Get Account

     The caller's account: credits used and in total (there is no
    balance field: what remains is `total - used`) and the plan's
    limits, among them `companySearchAsyncLimit`, the most companies one
    export may ask for. Free: no credits are deducted.

    Args:
        accept (GetAccountAccept | Unset):  Default: GetAccountAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Account | ProblemDetails
    """

    return sync_detailed(
        client=client,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    accept: GetAccountAccept | Unset = GetAccountAccept.APPLICATIONJSON,
) -> Response[Account | ProblemDetails]:
    """Get Account

     The caller's account: credits used and in total (there is no
    balance field: what remains is `total - used`) and the plan's
    limits, among them `companySearchAsyncLimit`, the most companies one
    export may ask for. Free: no credits are deducted.

    Args:
        accept (GetAccountAccept | Unset):  Default: GetAccountAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Account | ProblemDetails]
    """

    kwargs = _get_kwargs(
        accept=accept,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    accept: GetAccountAccept | Unset = GetAccountAccept.APPLICATIONJSON,
) -> Account | ProblemDetails | None:
    """Get Account

     The caller's account: credits used and in total (there is no
    balance field: what remains is `total - used`) and the plan's
    limits, among them `companySearchAsyncLimit`, the most companies one
    export may ask for. Free: no credits are deducted.

    Args:
        accept (GetAccountAccept | Unset):  Default: GetAccountAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Account | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            accept=accept,
        )
    ).parsed
