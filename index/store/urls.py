"""Canonical URLs (tracking parameters, fragments and default ports stripped) and the item ids
derived from them."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

ID_HEX_DIGITS = 16
DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that say how a reader arrived, never which page it is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid", "mkt_tok", "_ga", "_gl", "_hsenc", "_hsmi",
        "__hstc", "__hssc", "__hsfp", "hsctatracking", "ref", "ref_src", "ref_url", "referrer", "spm",
        "scm", "s_cid", "cmpid", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "wt.mc_id",
        "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content", "ocid", "xtor", "at_medium",
        "at_campaign", "smid", "sr_share",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "mtm_", "hsa_", "itm_")
_SESSION_IN_PATH = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def canonical_url(url: str) -> str:
    """The URL as the store keys it: scheme and host lower-cased, default port, fragment (except
    a `#!` route), session ids in the path and tracking parameters dropped, the remaining query
    parameters sorted, percent-escapes upper-cased, no trailing slash. Idempotent. A string with
    no scheme and host is returned stripped of surrounding whitespace."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # an unparseable port or bracketed host: keep the string as it is
        return url
    if not parts.scheme or not parts.netloc:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + host
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc += f":{port}"
    path = _upper_escapes(_SESSION_IN_PATH.sub("", parts.path)).rstrip("/")
    query = "&".join(sorted(_upper_escapes(pair) for pair in parts.query.split("&") if _kept_parameter(pair)))
    fragment = parts.fragment if parts.fragment.startswith("!") else ""
    return urlunsplit((scheme, netloc, path, query, fragment))


def _kept_parameter(pair: str) -> bool:
    if not pair:
        return False
    name = unquote_plus(pair.partition("=")[0]).strip().lower()
    return name not in TRACKING_PARAMETERS and not name.startswith(TRACKING_PREFIXES)


def _upper_escapes(value: str) -> str:
    return _PERCENT_ESCAPE.sub(lambda match: match.group(0).upper(), value)


def item_id(url: str | None, source: str | None = None, given_id: str | None = None) -> str:
    """A short stable id: the first 16 hex digits of the SHA-256 of the canonical URL, or, for an
    item without a URL, of its source and the id its source gave it."""
    if url and url.strip():
        key = canonical_url(url)
    elif given_id:
        key = f"{source or ''}\x1f{given_id}"  # no URL holds a \x1f
    else:
        raise ValueError("an item needs a URL or an id given by its source")
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:ID_HEX_DIGITS]
