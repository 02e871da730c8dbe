"""A client library for accessing Talkdesk Digital Connect API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
