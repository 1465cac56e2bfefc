"""Which addresses the site may POST to: http(s) only, https unless allowed otherwise, and
never the machine's own network (loopback, private, link-local, reserved: a webhook must
not become a way to reach the site's insides). ``WEBHOOKS_ALLOW_PRIVATE_HOSTS`` lifts the
last two rules (tests, a receiver on the same network)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def host_addresses(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to now (empty if it resolves to none)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def url_check(url: str) -> None:
    """ValidationError naming the problem if the site may not send to ``url``."""
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError(_("Enter a valid address.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("The address must start with https:// and name a host."))
    if parts.username or parts.password:
        raise ValidationError(_("Put no user name or password in the address."))
    if parts.scheme != "https" and not (settings.DEBUG or allow_private):
        raise ValidationError(_("The address must use https://."))
    if allow_private:
        return
    addresses = host_addresses(parts.hostname, port)
    if not addresses:
        raise ValidationError(_("This address's host cannot be found."))
    if not all(_public(address) for address in addresses):
        raise ValidationError(
            _("This address is on a private or local network: the site does not send there.")
        )
