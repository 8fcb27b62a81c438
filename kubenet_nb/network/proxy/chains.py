"""kube-proxy's iptables chain names: sha256 + base32 hashes, exactly as pkg/proxy/iptables does.

The per-service chains (KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-FW-) share one 16-character hash of
`servicePortName + protocol`; endpoint chains (KUBE-SEP-) hash `servicePortName + protocol +
"ip:port"`. Names are cached: a large cluster asks for the same ones on every render.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

__all__ = [
    "ENDPOINT_PREFIX",
    "EXTERNAL_PREFIX",
    "FIREWALL_PREFIX",
    "KUBE_EXTERNAL_SERVICES",
    "KUBE_FIREWALL",
    "KUBE_FORWARD",
    "KUBE_MARK_MASQ",
    "KUBE_NODEPORTS",
    "KUBE_POSTROUTING",
    "KUBE_PROXY_FIREWALL",
    "KUBE_SERVICES",
    "LOCAL_PREFIX",
    "SERVICE_CHAIN_PREFIXES",
    "SERVICE_PREFIX",
    "endpoint_chain",
    "is_service_chain",
    "port_proto_hash",
    "probability",
    "service_port_name",
]

KUBE_SERVICES = "KUBE-SERVICES"
KUBE_EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES"
KUBE_NODEPORTS = "KUBE-NODEPORTS"
KUBE_POSTROUTING = "KUBE-POSTROUTING"
KUBE_MARK_MASQ = "KUBE-MARK-MASQ"
KUBE_FORWARD = "KUBE-FORWARD"
KUBE_PROXY_FIREWALL = "KUBE-PROXY-FIREWALL"
KUBE_FIREWALL = "KUBE-FIREWALL"

SERVICE_PREFIX = "KUBE-SVC-"
LOCAL_PREFIX = "KUBE-SVL-"
FIREWALL_PREFIX = "KUBE-FW-"
EXTERNAL_PREFIX = "KUBE-EXT-"
ENDPOINT_PREFIX = "KUBE-SEP-"
SERVICE_CHAIN_PREFIXES = (
    SERVICE_PREFIX,
    LOCAL_PREFIX,
    ENDPOINT_PREFIX,
    FIREWALL_PREFIX,
    EXTERNAL_PREFIX,
)
"""The prefixes kube-proxy owns in the nat table (`isServiceChainName`): stale ones get `-X`."""


def _hash16(text: str) -> str:
    """The first 16 base32 characters of sha256(text): the encoding of its first 10 bytes."""
    digest = hashlib.sha256(text.encode()).digest()
    return base64.b32encode(digest[:10]).decode()


@lru_cache(maxsize=65536)
def port_proto_hash(service_port_name: str, protocol: str) -> str:
    """The 16-character hash shared by a service port's SVC, SVL, EXT and FW chains.

    `protocol` is lower case, as kube-proxy passes it (`strings.ToLower`).

    >>> port_proto_hash("ns1/svc1:p80", "tcp")
    'XPGD46QRK7WJZT7O'
    >>> port_proto_hash("ns2/svc2:p80", "tcp")
    'GNZBNJ2PO5MGZ6GT'
    """
    return _hash16(service_port_name + protocol)


@lru_cache(maxsize=262144)
def endpoint_chain(service_port_name: str, protocol: str, endpoint: str) -> str:
    """The KUBE-SEP chain of one endpoint (`endpoint` is `ip:port`, IPv6 in brackets).

    >>> endpoint_chain("ns1/svc1:p80", "tcp", "10.180.0.1:80")
    'KUBE-SEP-SXIVWICOYRO3J4NJ'
    >>> endpoint_chain("ns5/svc5:p80", "tcp", "10.180.0.3:80")
    'KUBE-SEP-I77PXRDZVX7PMWMN'
    """
    return ENDPOINT_PREFIX + _hash16(service_port_name + protocol + endpoint)


def service_port_name(namespace: str, name: str, port_name: str) -> str:
    """`ServicePortName.String()`: `ns/name:port`, or `ns/name` for an unnamed port.

    >>> service_port_name("ns1", "svc1", "p80")
    'ns1/svc1:p80'
    >>> service_port_name("default", "web", "")
    'default/web'
    """
    base = f"{namespace}/{name}"
    return f"{base}:{port_name}" if port_name else base


def is_service_chain(chain: str) -> bool:
    """Whether a nat chain is one of kube-proxy's per-service or per-endpoint chains.

    >>> is_service_chain("KUBE-SEP-SXIVWICOYRO3J4NJ"), is_service_chain("KUBE-SERVICES")
    (True, False)
    """
    return chain.startswith(SERVICE_CHAIN_PREFIXES)


@lru_cache(maxsize=4096)
def probability(n: int) -> str:
    """`computeProbability`: 1/n printed with Go's `%0.10f` (Python's `.10f` is identical).

    >>> [probability(n) for n in (1, 2, 3, 100001)]
    ['1.0000000000', '0.5000000000', '0.3333333333', '0.0000099999']
    """
    return f"{1.0 / n:.10f}"
