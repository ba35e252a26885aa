from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.company_count_type_1 import CompanyCountType1
from ...models.company_count_type_2 import CompanyCountType2
from ...models.count_similar_companies_accept import CountSimilarCompaniesAccept
from ...models.problem_details import ProblemDetails
from ...models.similar_companies_filter import SimilarCompaniesFilter
from ...types import Response, Unset


def _get_kwargs(
    *,
    body: SimilarCompaniesFilter,
    accept: CountSimilarCompaniesAccept
    | Unset = CountSimilarCompaniesAccept.APPLICATIONJSON,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = str(accept)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/companies/similar/count",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CompanyCountType1 | CompanyCountType2 | int | ProblemDetails | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> CompanyCountType1 | CompanyCountType2 | int:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_company_count_type_1 = CompanyCountType1.from_dict(
                    data
                )

                return componentsschemas_company_count_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_company_count_type_2 = CompanyCountType2.from_dict(
                    data
                )

                return componentsschemas_company_count_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CompanyCountType1 | CompanyCountType2 | int, data)

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

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
) -> Response[CompanyCountType1 | CompanyCountType2 | int | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SimilarCompaniesFilter,
    accept: CountSimilarCompaniesAccept
    | Unset = CountSimilarCompaniesAccept.APPLICATIONJSON,
) -> Response[CompanyCountType1 | CompanyCountType2 | int | ProblemDetails]:
    """Count Similar Companies

     How many companies are similar to seed domains (the same filter as
    an export's `similar`). Free. The vendor does not document this
    answer at all; it is read like the search count's (`CompanyCount`).

    Args:
        accept (CountSimilarCompaniesAccept | Unset):  Default:
            CountSimilarCompaniesAccept.APPLICATIONJSON.
        body (SimilarCompaniesFilter): A similar-companies query: 1 to 10 seed domains, how
            strongly
            similarity ranks, a lowest score, and every field of
            `CompanySearchFilter` (the vendor: "and every filter above"), under
            the same strict rules.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompanyCountType1 | CompanyCountType2 | int | ProblemDetails]
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
    body: SimilarCompaniesFilter,
    accept: CountSimilarCompaniesAccept
    | Unset = CountSimilarCompaniesAccept.APPLICATIONJSON,
) -> CompanyCountType1 | CompanyCountType2 | int | ProblemDetails | None:
    """Count Similar Companies

     How many companies are similar to seed domains (the same filter as
    an export's `similar`). Free. The vendor does not document this
    answer at all; it is read like the search count's (`CompanyCount`).

    Args:
        accept (CountSimilarCompaniesAccept | Unset):  Default:
            CountSimilarCompaniesAccept.APPLICATIONJSON.
        body (SimilarCompaniesFilter): A similar-companies query: 1 to 10 seed domains, how
            strongly
            similarity ranks, a lowest score, and every field of
            `CompanySearchFilter` (the vendor: "and every filter above"), under
            the same strict rules.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompanyCountType1 | CompanyCountType2 | int | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SimilarCompaniesFilter,
    accept: CountSimilarCompaniesAccept
    | Unset = CountSimilarCompaniesAccept.APPLICATIONJSON,
) -> Response[CompanyCountType1 | CompanyCountType2 | int | ProblemDetails]:
    """Count Similar Companies

     How many companies are similar to seed domains (the same filter as
    an export's `similar`). Free. The vendor does not document this
    answer at all; it is read like the search count's (`CompanyCount`).

    Args:
        accept (CountSimilarCompaniesAccept | Unset):  Default:
            CountSimilarCompaniesAccept.APPLICATIONJSON.
        body (SimilarCompaniesFilter): A similar-companies query: 1 to 10 seed domains, how
            strongly
            similarity ranks, a lowest score, and every field of
            `CompanySearchFilter` (the vendor: "and every filter above"), under
            the same strict rules.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompanyCountType1 | CompanyCountType2 | int | ProblemDetails]
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
    body: SimilarCompaniesFilter,
    accept: CountSimilarCompaniesAccept
    | Unset = CountSimilarCompaniesAccept.APPLICATIONJSON,
) -> CompanyCountType1 | CompanyCountType2 | int | ProblemDetails | None:
    """Count Similar Companies

     How many companies are similar to seed domains (the same filter as
    an export's `similar`). Free. The vendor does not document this
    answer at all; it is read like the search count's (`CompanyCount`).

    Args:
        accept (CountSimilarCompaniesAccept | Unset):  Default:
            CountSimilarCompaniesAccept.APPLICATIONJSON.
        body (SimilarCompaniesFilter): A similar-companies query: 1 to 10 seed domains, how
            strongly
            similarity ranks, a lowest score, and every field of
            `CompanySearchFilter` (the vendor: "and every filter above"), under
            the same strict rules.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompanyCountType1 | CompanyCountType2 | int | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            accept=accept,
        )
    ).parsed
