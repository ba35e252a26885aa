"""URI syntax (RFC 3986), shared by the client's and the fake server's checks of `webhook_url`.

One implementation on both sides, so that what the client sends and what
the fake accepts are the same set of strings: an absolute http(s) URI with
a host, exactly what openapi.yaml says (`format: uri` plus its `pattern`).
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["WEBHOOK_URL_PATTERN", "is_uri", "is_webhook_url"]

# openapi.yaml's `pattern` for webhook_url, verbatim (JSON Schema patterns are searches).
WEBHOOK_URL_PATTERN = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://([^/?#@]*@)?[^/?#@:][^/?#@]*([/?#]|$)")

# --- RFC 3986 absolute URI, as strict as the validators schemathesis uses ---
_UNRESERVED_SUB = r"A-Za-z0-9\-._~!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_REG_NAME = re.compile(rf"(?:[{_UNRESERVED_SUB}]|{_PCT})*")
_USERINFO = re.compile(rf"(?:[{_UNRESERVED_SUB}:]|{_PCT})*")
_PATH_QUERY = re.compile(rf"(?:[{_UNRESERVED_SUB}:@/?]|{_PCT})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_IPVFUTURE = re.compile(rf"v[0-9A-Fa-f]+\.[{_UNRESERVED_SUB}:]+")


def is_uri(text: str) -> bool:
    """An absolute URI (scheme required), RFC 3986 syntax, ASCII only."""
    scheme, colon, rest = text.partition(":")
    if not colon or _SCHEME.fullmatch(scheme) is None:
        return False
    rest, _, fragment = rest.partition("#")
    if _PATH_QUERY.fullmatch(fragment) is None:
        return False
    hier, _, query = rest.partition("?")
    if _PATH_QUERY.fullmatch(query) is None:
        return False
    if hier.startswith("//"):
        authority, slash, path = hier[2:].partition("/")
        if not _is_authority(authority):
            return False
        hier = slash + path
    return _PATH_QUERY.fullmatch(hier) is not None


def is_webhook_url(text: str) -> bool:
    """What openapi.yaml allows as `webhook_url`: an absolute http(s) URI with a host."""
    return is_uri(text) and WEBHOOK_URL_PATTERN.search(text) is not None


def _is_authority(authority: str) -> bool:
    userinfo, at, hostport = authority.rpartition("@")
    if at and _USERINFO.fullmatch(userinfo) is None:
        return False
    if hostport.startswith("["):
        literal, bracket, port = hostport[1:].partition("]")
        if not bracket or not _is_ip_literal(literal):
            return False
        return port == "" or (port.startswith(":") and _is_port(port[1:]))
    host, colon, port = hostport.partition(":")
    if colon and not _is_port(port):
        return False
    return _REG_NAME.fullmatch(host) is not None


def _is_port(text: str) -> bool:
    return text == "" or (text.isascii() and text.isdigit())


def _is_ip_literal(literal: str) -> bool:
    if _IPVFUTURE.fullmatch(literal):
        return True
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True
