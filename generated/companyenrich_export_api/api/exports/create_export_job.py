from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_export_job_accept import CreateExportJobAccept
from ...models.create_export_request import CreateExportRequest
from ...models.created_export_job import CreatedExportJob
from ...models.problem_details import ProblemDetails
from ...types import Response, Unset


def _get_kwargs(
    *,
    body: CreateExportRequest,
    accept: CreateExportJobAccept | Unset = CreateExportJobAccept.APPLICATIONJSON,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = str(accept)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/companies/search/async",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatedExportJob | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = CreatedExportJob.from_dict(response.json())

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
) -> Response[CreatedExportJob | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateExportRequest,
    accept: CreateExportJobAccept | Unset = CreateExportJobAccept.APPLICATIONJSON,
) -> Response[CreatedExportJob | ProblemDetails]:
    """Create Export Job

     Starts an asynchronous export of the companies matching a search
    (`search`) or similar to seed domains (`similar`); exactly one of
    the two must be given. Costs 1 credit per exported company, charged
    when the job completes. Poll the returned job with
    `getExportJob` until it is `completed` or `failed`.

    Not idempotent: a retry after a lost response may create a second job.

    Args:
        accept (CreateExportJobAccept | Unset):  Default: CreateExportJobAccept.APPLICATIONJSON.
        body (CreateExportRequest): What to export. Exactly one of `search` and `similar` must be
            an
            object (the other absent or null). The rule is written with
            `if`/`then`/`else` rather than `oneOf` because openapi-python-client
            0.29 cannot build models from a `oneOf` of partial objects, while
            it ignores `if`/`then`/`else` and validators enforce it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedExportJob | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        accept=accept,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateExportRequest,
    accept: CreateExportJobAccept | Unset = CreateExportJobAccept.APPLICATIONJSON,
) -> CreatedExportJob | ProblemDetails | None:
    """Create Export Job

     Starts an asynchronous export of the companies matching a search
    (`search`) or similar to seed domains (`similar`); exactly one of
    the two must be given. Costs 1 credit per exported company, charged
    when the job completes. Poll the returned job with
    `getExportJob` until it is `completed` or `failed`.

    Not idempotent: a retry after a lost response may create a second job.

    Args:
        accept (CreateExportJobAccept | Unset):  Default: CreateExportJobAccept.APPLICATIONJSON.
        body (CreateExportRequest): What to export. Exactly one of `search` and `similar` must be
            an
            object (the other absent or null). The rule is written with
            `if`/`then`/`else` rather than `oneOf` because openapi-python-client
            0.29 cannot build models from a `oneOf` of partial objects, while
            it ignores `if`/`then`/`else` and validators enforce it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedExportJob | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateExportRequest,
    accept: CreateExportJobAccept | Unset = CreateExportJobAccept.APPLICATIONJSON,
) -> Response[CreatedExportJob | ProblemDetails]:
    """Create Export Job

     Starts an asynchronous export of the companies matching a search
    (`search`) or similar to seed domains (`similar`); exactly one of
    the two must be given. Costs 1 credit per exported company, charged
    when the job completes. Poll the returned job with
    `getExportJob` until it is `completed` or `failed`.

    Not idempotent: a retry after a lost response may create a second job.

    Args:
        accept (CreateExportJobAccept | Unset):  Default: CreateExportJobAccept.APPLICATIONJSON.
        body (CreateExportRequest): What to export. Exactly one of `search` and `similar` must be
            an
            object (the other absent or null). The rule is written with
            `if`/`then`/`else` rather than `oneOf` because openapi-python-client
            0.29 cannot build models from a `oneOf` of partial objects, while
            it ignores `if`/`then`/`else` and validators enforce it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedExportJob | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        accept=accept,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateExportRequest,
    accept: CreateExportJobAccept | Unset = CreateExportJobAccept.APPLICATIONJSON,
) -> CreatedExportJob | ProblemDetails | None:
    """Create Export Job

     Starts an asynchronous export of the companies matching a search
    (`search`) or similar to seed domains (`similar`); exactly one of
    the two must be given. Costs 1 credit per exported company, charged
    when the job completes. Poll the returned job with
    `getExportJob` until it is `completed` or `failed`.

    Not idempotent: a retry after a lost response may create a second job.

    Args:
        accept (CreateExportJobAccept | Unset):  Default: CreateExportJobAccept.APPLICATIONJSON.
        body (CreateExportRequest): What to export. Exactly one of `search` and `similar` must be
            an
            object (the other absent or null). The rule is written with
            `if`/`then`/`else` rather than `oneOf` because openapi-python-client
            0.29 cannot build models from a `oneOf` of partial objects, while
            it ignores `if`/`then`/`else` and validators enforce it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedExportJob | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            accept=accept,
        )
    ).parsed
