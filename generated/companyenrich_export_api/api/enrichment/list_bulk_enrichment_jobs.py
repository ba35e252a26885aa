from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bulk_enrichment_job_page import BulkEnrichmentJobPage
from ...models.job_status import JobStatus
from ...models.list_bulk_enrichment_jobs_accept import ListBulkEnrichmentJobsAccept
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    status: JobStatus | Unset = UNSET,
    accept: ListBulkEnrichmentJobsAccept
    | Unset = ListBulkEnrichmentJobsAccept.APPLICATIONJSON,
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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/companies/enrich/bulk/jobs",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BulkEnrichmentJobPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = BulkEnrichmentJobPage.from_dict(response.json())

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
) -> Response[BulkEnrichmentJobPage | ProblemDetails]:
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
    accept: ListBulkEnrichmentJobsAccept
    | Unset = ListBulkEnrichmentJobsAccept.APPLICATIONJSON,
) -> Response[BulkEnrichmentJobPage | ProblemDetails]:
    """List Bulk Enrichment Jobs

     Lists the caller's bulk enrichment jobs, one page at a time. Free.
    The vendor documents the query but not the answer (its page is
    empty): the `{items, page, totalPages, totalItems}` envelope of the
    other lists is assumed, and the items are left open (see
    `BulkEnrichmentJobListItem`).

    Args:
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        status (JobStatus | Unset): Current status of the job. `completed` and `failed` are
            terminal;
            the others move forward in the order listed.
        accept (ListBulkEnrichmentJobsAccept | Unset):  Default:
            ListBulkEnrichmentJobsAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkEnrichmentJobPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        status=status,
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
    accept: ListBulkEnrichmentJobsAccept
    | Unset = ListBulkEnrichmentJobsAccept.APPLICATIONJSON,
) -> BulkEnrichmentJobPage | ProblemDetails | None:
    """List Bulk Enrichment Jobs

     Lists the caller's bulk enrichment jobs, one page at a time. Free.
    The vendor documents the query but not the answer (its page is
    empty): the `{items, page, totalPages, totalItems}` envelope of the
    other lists is assumed, and the items are left open (see
    `BulkEnrichmentJobListItem`).

    Args:
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        status (JobStatus | Unset): Current status of the job. `completed` and `failed` are
            terminal;
            the others move forward in the order listed.
        accept (ListBulkEnrichmentJobsAccept | Unset):  Default:
            ListBulkEnrichmentJobsAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkEnrichmentJobPage | ProblemDetails
    """

    return sync_detailed(
        client=client,
        page=page,
        page_size=page_size,
        status=status,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    status: JobStatus | Unset = UNSET,
    accept: ListBulkEnrichmentJobsAccept
    | Unset = ListBulkEnrichmentJobsAccept.APPLICATIONJSON,
) -> Response[BulkEnrichmentJobPage | ProblemDetails]:
    """List Bulk Enrichment Jobs

     Lists the caller's bulk enrichment jobs, one page at a time. Free.
    The vendor documents the query but not the answer (its page is
    empty): the `{items, page, totalPages, totalItems}` envelope of the
    other lists is assumed, and the items are left open (see
    `BulkEnrichmentJobListItem`).

    Args:
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        status (JobStatus | Unset): Current status of the job. `completed` and `failed` are
            terminal;
            the others move forward in the order listed.
        accept (ListBulkEnrichmentJobsAccept | Unset):  Default:
            ListBulkEnrichmentJobsAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkEnrichmentJobPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        status=status,
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
    accept: ListBulkEnrichmentJobsAccept
    | Unset = ListBulkEnrichmentJobsAccept.APPLICATIONJSON,
) -> BulkEnrichmentJobPage | ProblemDetails | None:
    """List Bulk Enrichment Jobs

     Lists the caller's bulk enrichment jobs, one page at a time. Free.
    The vendor documents the query but not the answer (its page is
    empty): the `{items, page, totalPages, totalItems}` envelope of the
    other lists is assumed, and the items are left open (see
    `BulkEnrichmentJobListItem`).

    Args:
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        status (JobStatus | Unset): Current status of the job. `completed` and `failed` are
            terminal;
            the others move forward in the order listed.
        accept (ListBulkEnrichmentJobsAccept | Unset):  Default:
            ListBulkEnrichmentJobsAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkEnrichmentJobPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            page_size=page_size,
            status=status,
            accept=accept,
        )
    ).parsed
