from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bulk_enrichment_job import BulkEnrichmentJob
from ...models.get_bulk_enrichment_job_accept import GetBulkEnrichmentJobAccept
from ...models.problem_details import ProblemDetails
from ...types import Response, Unset


def _get_kwargs(
    job_id: UUID,
    *,
    accept: GetBulkEnrichmentJobAccept
    | Unset = GetBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = str(accept)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/companies/enrich/bulk/{job_id}".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BulkEnrichmentJob | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = BulkEnrichmentJob.from_dict(response.json())

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
) -> Response[BulkEnrichmentJob | ProblemDetails]:
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
    accept: GetBulkEnrichmentJobAccept
    | Unset = GetBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> Response[BulkEnrichmentJob | ProblemDetails]:
    """Get Bulk Enrichment Job

     Returns the current status of a bulk enrichment job, with how many
    domains were enriched and how many failed. Once completed, includes
    the `results_url` to download the results.
    Cost: FREE - no credits deducted.

    Args:
        job_id (UUID):
        accept (GetBulkEnrichmentJobAccept | Unset):  Default:
            GetBulkEnrichmentJobAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkEnrichmentJob | ProblemDetails]
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
    accept: GetBulkEnrichmentJobAccept
    | Unset = GetBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> BulkEnrichmentJob | ProblemDetails | None:
    """Get Bulk Enrichment Job

     Returns the current status of a bulk enrichment job, with how many
    domains were enriched and how many failed. Once completed, includes
    the `results_url` to download the results.
    Cost: FREE - no credits deducted.

    Args:
        job_id (UUID):
        accept (GetBulkEnrichmentJobAccept | Unset):  Default:
            GetBulkEnrichmentJobAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkEnrichmentJob | ProblemDetails
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
    accept: GetBulkEnrichmentJobAccept
    | Unset = GetBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> Response[BulkEnrichmentJob | ProblemDetails]:
    """Get Bulk Enrichment Job

     Returns the current status of a bulk enrichment job, with how many
    domains were enriched and how many failed. Once completed, includes
    the `results_url` to download the results.
    Cost: FREE - no credits deducted.

    Args:
        job_id (UUID):
        accept (GetBulkEnrichmentJobAccept | Unset):  Default:
            GetBulkEnrichmentJobAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkEnrichmentJob | ProblemDetails]
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
    accept: GetBulkEnrichmentJobAccept
    | Unset = GetBulkEnrichmentJobAccept.APPLICATIONJSON,
) -> BulkEnrichmentJob | ProblemDetails | None:
    """Get Bulk Enrichment Job

     Returns the current status of a bulk enrichment job, with how many
    domains were enriched and how many failed. Once completed, includes
    the `results_url` to download the results.
    Cost: FREE - no credits deducted.

    Args:
        job_id (UUID):
        accept (GetBulkEnrichmentJobAccept | Unset):  Default:
            GetBulkEnrichmentJobAccept.APPLICATIONJSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkEnrichmentJob | ProblemDetails
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            accept=accept,
        )
    ).parsed
