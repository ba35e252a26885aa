from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_job import AccountJob
from ...models.get_account_job_accept import GetAccountJobAccept
from ...models.problem_details import ProblemDetails
from ...types import Response, Unset


def _get_kwargs(
    job_id: UUID,
    *,
    accept: GetAccountJobAccept | Unset = GetAccountJobAccept.APPLICATIONJSON,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = str(accept)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/jobs/{job_id}".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountJob | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = AccountJob.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ProblemDetails.from_dict(response.json())

        return response_402

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccountJob | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    accept: GetAccountJobAccept | Unset = GetAccountJobAccept.APPLICATIONJSON,
) -> Response[AccountJob | ProblemDetails]:
    """Get Job

     One of the caller's jobs, whatever its kind, as the account-wide
    list shows it. Free.

    Args:
        job_id (UUID):
        accept (GetAccountJobAccept | Unset):  Default: GetAccountJobAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountJob | ProblemDetails]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        accept=accept,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    accept: GetAccountJobAccept | Unset = GetAccountJobAccept.APPLICATIONJSON,
) -> AccountJob | ProblemDetails | None:
    """Get Job

     One of the caller's jobs, whatever its kind, as the account-wide
    list shows it. Free.

    Args:
        job_id (UUID):
        accept (GetAccountJobAccept | Unset):  Default: GetAccountJobAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountJob | ProblemDetails
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    accept: GetAccountJobAccept | Unset = GetAccountJobAccept.APPLICATIONJSON,
) -> Response[AccountJob | ProblemDetails]:
    """Get Job

     One of the caller's jobs, whatever its kind, as the account-wide
    list shows it. Free.

    Args:
        job_id (UUID):
        accept (GetAccountJobAccept | Unset):  Default: GetAccountJobAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountJob | ProblemDetails]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        accept=accept,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    accept: GetAccountJobAccept | Unset = GetAccountJobAccept.APPLICATIONJSON,
) -> AccountJob | ProblemDetails | None:
    """Get Job

     One of the caller's jobs, whatever its kind, as the account-wide
    list shows it. Free.

    Args:
        job_id (UUID):
        accept (GetAccountJobAccept | Unset):  Default: GetAccountJobAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountJob | ProblemDetails
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            accept=accept,
        )
    ).parsed
