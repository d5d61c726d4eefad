"""Which addresses the tracker may connect to on someone else's say-so (a source's URL, a
webhook's): public ones only. Private, loopback, link-local (the cloud metadata service at
169.254.169.254 among them), unique-local, reserved and multicast addresses are not, nor an IPv6
address that carries one of those IPv4 addresses (::ffff:127.0.0.1, 64:ff9b::a9fe:a9fe).

Standard library only, so the store and the alerts can check an address without loading Scrapy
(`network.py` is the crawler's use of it).
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052) and the
# deprecated IPv4-compatible addresses; and site-local, deprecated but still routed by some stacks.
_CARRIES_IPV4 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"))
_SITE_LOCAL = ipaddress.IPv6Network("fec0::/10")
# Names that only ever mean a machine on the local network: RFC 6761's localhost, RFC 8375's
# home.arpa, ICANN's .internal (metadata.google.internal), mDNS's .local, and common private suffixes.
_LOCAL_SUFFIXES = ("localhost", "localdomain", "internal", "local", "home.arpa", "lan", "intranet", "corp", "home")


def non_public(address: IPAddress) -> bool:
    """Whether `address` is one that must not be reached on someone else's say-so."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is None and any(address in network for network in _CARRIES_IPV4):
            carried = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if (carried is not None and non_public(carried)) or address in _SITE_LOCAL:
            return True
    return not address.is_global or address.is_multicast


def first_non_public(host: str) -> str | None:
    """The first non-public address `host` is or resolves to (looked up now, never cached: a name
    may point elsewhere by the next look-up); None when all are public, or it does not resolve
    (connecting then fails of itself)."""
    try:
        addresses = [ip_address_of(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError, ValueError):
            return None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return next((str(address) for address in addresses if non_public(address)), None)


def non_public_host(host: str) -> str | None:
    """What makes `host` non-public without looking it up, or None: an address in any form a
    resolver reads (127.1, 0x7f000001, 2130706433 and [::1] too), or a name only a local network
    gives meaning to (localhost, *.internal, a name without a dot)."""
    name = host.strip().rstrip(".").lower()
    try:
        address = ip_address_of(name)
    except ValueError:
        pass
    else:
        return str(address) if non_public(address) else None
    try:
        numeric = socket.getaddrinfo(name, None, flags=socket.AI_NUMERICHOST, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        numeric = []
    for info in numeric:  # a number the resolver reads as an IPv4 address, never a name: no look-up
        address = ipaddress.ip_address(str(info[4][0]))
        if non_public(address):
            return str(address)
    if numeric:
        return None
    if "." not in name or name.endswith(tuple(f".{suffix}" for suffix in _LOCAL_SUFFIXES)) or name in _LOCAL_SUFFIXES:
        return name
    return None


def ip_address_of(host: str) -> IPAddress:
    """`host` as an IP address (IPv6 with or without brackets and zone); ValueError for a name."""
    return ipaddress.ip_address(host.strip("[]").split("%")[0])
