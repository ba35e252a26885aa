from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_job_page import AccountJobPage
from ...models.job_status import JobStatus
from ...models.list_account_jobs_accept import ListAccountJobsAccept
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    status: JobStatus | Unset = UNSET,
    type_: str | Unset = UNSET,
    accept: ListAccountJobsAccept | Unset = ListAccountJobsAccept.APPLICATIONJSON,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = str(accept)

    params: dict[str, Any] = {}

    params["page"] = page

    params["pageSize"] = page_size

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["type"] = type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/jobs",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountJobPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = AccountJobPage.from_dict(response.json())

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
) -> Response[AccountJobPage | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    status: JobStatus | Unset = UNSET,
    type_: str | Unset = UNSET,
    accept: ListAccountJobsAccept | Unset = ListAccountJobsAccept.APPLICATIONJSON,
) -> Response[AccountJobPage | ProblemDetails]:
    """List Jobs

     Lists the caller's asynchronous jobs of every kind (bulk
    enrichments, exports, ...), one page at a time. Free. Items carry
    no counts and no `results_url`: follow a job through its own kind's
    status endpoint for those.

    Args:
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        status (JobStatus | Unset): Current status of the job. `completed` and `failed` are
            terminal;
            the others move forward in the order listed.
        type_ (str | Unset): The kind of a job. Only `bulk_enrichment` is documented
            ("bulk_enrichment,
            etc."); the values for exports and other kinds are not, so this is an
            open string and clients must accept any value.
        accept (ListAccountJobsAccept | Unset):  Default: ListAccountJobsAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountJobPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        status=status,
        type_=type_,
        accept=accept,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    status: JobStatus | Unset = UNSET,
    type_: str | Unset = UNSET,
    accept: ListAccountJobsAccept | Unset = ListAccountJobsAccept.APPLICATIONJSON,
) -> AccountJobPage | ProblemDetails | None:
    """List Jobs

     Lists the caller's asynchronous jobs of every kind (bulk
    enrichments, exports, ...), one page at a time. Free. Items carry
    no counts and no `results_url`: follow a job through its own kind's
    status endpoint for those.

    Args:
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        status (JobStatus | Unset): Current status of the job. `completed` and `failed` are
            terminal;
            the others move forward in the order listed.
        type_ (str | Unset): The kind of a job. Only `bulk_enrichment` is documented
            ("bulk_enrichment,
            etc."); the values for exports and other kinds are not, so this is an
            open string and clients must accept any value.
        accept (ListAccountJobsAccept | Unset):  Default: ListAccountJobsAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountJobPage | ProblemDetails
    """

    return sync_detailed(
        client=client,
        page=page,
        page_size=page_size,
        status=status,
        type_=type_,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    status: JobStatus | Unset = UNSET,
    type_: str | Unset = UNSET,
    accept: ListAccountJobsAccept | Unset = ListAccountJobsAccept.APPLICATIONJSON,
) -> Response[AccountJobPage | ProblemDetails]:
    """List Jobs

     Lists the caller's asynchronous jobs of every kind (bulk
    enrichments, exports, ...), one page at a time. Free. Items carry
    no counts and no `results_url`: follow a job through its own kind's
    status endpoint for those.

    Args:
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        status (JobStatus | Unset): Current status of the job. `completed` and `failed` are
            terminal;
            the others move forward in the order listed.
        type_ (str | Unset): The kind of a job. Only `bulk_enrichment` is documented
            ("bulk_enrichment,
            etc."); the values for exports and other kinds are not, so this is an
            open string and clients must accept any value.
        accept (ListAccountJobsAccept | Unset):  Default: ListAccountJobsAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountJobPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        status=status,
        type_=type_,
        accept=accept,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    status: JobStatus | Unset = UNSET,
    type_: str | Unset = UNSET,
    accept: ListAccountJobsAccept | Unset = ListAccountJobsAccept.APPLICATIONJSON,
) -> AccountJobPage | ProblemDetails | None:
    """List Jobs

     Lists the caller's asynchronous jobs of every kind (bulk
    enrichments, exports, ...), one page at a time. Free. Items carry
    no counts and no `results_url`: follow a job through its own kind's
    status endpoint for those.

    Args:
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        status (JobStatus | Unset): Current status of the job. `completed` and `failed` are
            terminal;
            the others move forward in the order listed.
        type_ (str | Unset): The kind of a job. Only `bulk_enrichment` is documented
            ("bulk_enrichment,
            etc."); the values for exports and other kinds are not, so this is an
            open string and clients must accept any value.
        accept (ListAccountJobsAccept | Unset):  Default: ListAccountJobsAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountJobPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            page_size=page_size,
            status=status,
            type_=type_,
            accept=accept,
        )
    ).parsed
