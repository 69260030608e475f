"""The vendor of a MAC address, from the IEEE registry shipped with netaddr.

Offline: netaddr bundles the IEEE MA-L (OUI), MA-M and MA-S tables, so no
lookup leaves the machine. Locally administered addresses (the U/L bit set,
as random and virtual MACs use) and group addresses have no vendor.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def vendor_for(mac: str) -> str | None:
    """The organisation registered for ``mac``'s prefix, or None."""
    from netaddr import EUI
    from netaddr.core import AddrFormatError, NotRegisteredError

    try:
        eui = EUI(mac)
    except (AddrFormatError, TypeError, ValueError):
        return None
    first = eui.words[0]
    if first & 0x02 or first & 0x01:
        return None
    try:
        if eui.is_iab():
            org = str(eui.iab.registration().org).strip()
        else:
            org = str(eui.oui.registration().org).strip()
    except NotRegisteredError:
        return None
    # MA-M / MA-S blocks sit under prefixes registered to the IEEE itself.
    return None if not org or org == "IEEE Registration Authority" else org
