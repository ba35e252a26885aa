"""A client library for accessing CompanyEnrich Company Export API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
