from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_bulk_enrichment_job_accept import CreateBulkEnrichmentJobAccept
from ...models.create_bulk_enrichment_request import CreateBulkEnrichmentRequest
from ...models.created_bulk_enrichment_job import CreatedBulkEnrichmentJob
from ...models.problem_details import ProblemDetails
from ...types import Response, Unset


def _get_kwargs(
    *,
    body: CreateBulkEnrichmentRequest,
    accept: CreateBulkEnrichmentJobAccept
    | Unset = CreateBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = str(accept)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/companies/enrich/bulk",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatedBulkEnrichmentJob | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = CreatedBulkEnrichmentJob.from_dict(response.json())

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
) -> Response[CreatedBulkEnrichmentJob | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateBulkEnrichmentRequest,
    accept: CreateBulkEnrichmentJobAccept
    | Unset = CreateBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> Response[CreatedBulkEnrichmentJob | ProblemDetails]:
    """Create Bulk Enrichment Job

     Starts an asynchronous enrichment of 1 to 10,000 company domains:
    the same job pattern as an export (create, free status reads, a
    list, a `results_url` once completed). Costs 1 credit per domain
    successfully enriched, charged when the job completes. Poll the
    returned job with `getBulkEnrichmentJob`.

    What the vendor does with a string that is not a host name is not
    documented (refused, or counted in `failed_count`); clients should
    send normalised, checked host names. The webhook's payload is not
    documented either.

    Not idempotent: a retry after a lost response may create a second job.

    Args:
        accept (CreateBulkEnrichmentJobAccept | Unset):  Default:
            CreateBulkEnrichmentJobAccept.APPLICATIONJSON.
        body (CreateBulkEnrichmentRequest): The domains to enrich. The vendor documents `domains`
            as a string
            array of 1 to 10,000 items; it does not say whether duplicates,
            upper case, URLs or `www.` prefixes are accepted, so clients send
            normalised, de-duplicated host names.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedBulkEnrichmentJob | ProblemDetails]
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
    body: CreateBulkEnrichmentRequest,
    accept: CreateBulkEnrichmentJobAccept
    | Unset = CreateBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> CreatedBulkEnrichmentJob | ProblemDetails | None:
    """Create Bulk Enrichment Job

     Starts an asynchronous enrichment of 1 to 10,000 company domains:
    the same job pattern as an export (create, free status reads, a
    list, a `results_url` once completed). Costs 1 credit per domain
    successfully enriched, charged when the job completes. Poll the
    returned job with `getBulkEnrichmentJob`.

    What the vendor does with a string that is not a host name is not
    documented (refused, or counted in `failed_count`); clients should
    send normalised, checked host names. The webhook's payload is not
    documented either.

    Not idempotent: a retry after a lost response may create a second job.

    Args:
        accept (CreateBulkEnrichmentJobAccept | Unset):  Default:
            CreateBulkEnrichmentJobAccept.APPLICATIONJSON.
        body (CreateBulkEnrichmentRequest): The domains to enrich. The vendor documents `domains`
            as a string
            array of 1 to 10,000 items; it does not say whether duplicates,
            upper case, URLs or `www.` prefixes are accepted, so clients send
            normalised, de-duplicated host names.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedBulkEnrichmentJob | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateBulkEnrichmentRequest,
    accept: CreateBulkEnrichmentJobAccept
    | Unset = CreateBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> Response[CreatedBulkEnrichmentJob | ProblemDetails]:
    """Create Bulk Enrichment Job

     Starts an asynchronous enrichment of 1 to 10,000 company domains:
    the same job pattern as an export (create, free status reads, a
    list, a `results_url` once completed). Costs 1 credit per domain
    successfully enriched, charged when the job completes. Poll the
    returned job with `getBulkEnrichmentJob`.

    What the vendor does with a string that is not a host name is not
    documented (refused, or counted in `failed_count`); clients should
    send normalised, checked host names. The webhook's payload is not
    documented either.

    Not idempotent: a retry after a lost response may create a second job.

    Args:
        accept (CreateBulkEnrichmentJobAccept | Unset):  Default:
            CreateBulkEnrichmentJobAccept.APPLICATIONJSON.
        body (CreateBulkEnrichmentRequest): The domains to enrich. The vendor documents `domains`
            as a string
            array of 1 to 10,000 items; it does not say whether duplicates,
            upper case, URLs or `www.` prefixes are accepted, so clients send
            normalised, de-duplicated host names.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedBulkEnrichmentJob | ProblemDetails]
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
    body: CreateBulkEnrichmentRequest,
    accept: CreateBulkEnrichmentJobAccept
    | Unset = CreateBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> CreatedBulkEnrichmentJob | ProblemDetails | None:
    """Create Bulk Enrichment Job

     Starts an asynchronous enrichment of 1 to 10,000 company domains:
    the same job pattern as an export (create, free status reads, a
    list, a `results_url` once completed). Costs 1 credit per domain
    successfully enriched, charged when the job completes. Poll the
    returned job with `getBulkEnrichmentJob`.

    What the vendor does with a string that is not a host name is not
    documented (refused, or counted in `failed_count`); clients should
    send normalised, checked host names. The webhook's payload is not
    documented either.

    Not idempotent: a retry after a lost response may create a second job.

    Args:
        accept (CreateBulkEnrichmentJobAccept | Unset):  Default:
            CreateBulkEnrichmentJobAccept.APPLICATIONJSON.
        body (CreateBulkEnrichmentRequest): The domains to enrich. The vendor documents `domains`
            as a string
            array of 1 to 10,000 items; it does not say whether duplicates,
            upper case, URLs or `www.` prefixes are accepted, so clients send
            normalised, de-duplicated host names.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedBulkEnrichmentJob | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            accept=accept,
        )
    ).parsed
