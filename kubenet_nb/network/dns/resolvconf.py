"""A pod's /etc/resolv.conf, as the kubelet composes it and containerd writes it on a kind node.

The kubelet (kubernetes/kubernetes pkg/kubelet/network/dns/dns.go `GetPodDNS`) picks a base by
dnsPolicy: ClusterFirst (the default) and ClusterFirstWithHostNet get `nameserver <cluster-dns>`,
`search <ns>.svc.<zone> svc.<zone> <zone>` followed by the node's search domains (duplicates
dropped) and `options ndots:5`; Default, and ClusterFirst on a hostNetwork pod, get the node's own
resolv.conf; None starts empty. `dnsConfig` is then appended (nameservers and searches without
duplicates, options merged by name) and the result cut to 3 nameservers and 32 search domains of at
most 2048 characters together (ExpandedDNSConfig, GA in v1.28). containerd writes it in the order
search, nameserver, options (pkg/cri/.../sandbox_run `parseDNSOptions`).

A kind node's own resolv.conf is Docker's (nameserver 127.0.0.11, `options ndots:0`) with the
nameserver rewritten to the Docker network gateway by kind's entrypoint; its search line copies
the host's, which is host-specific: none by default here, settable in `node_resolv_conf`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from kubenet_nb.network.dns.records import DnsSettings

__all__ = ["ResolvConf", "kind_node_resolv_conf", "pod_resolv_conf"]

MAX_NAMESERVERS = 3
MAX_SEARCH_PATHS = 32
MAX_SEARCH_CHARS = 2048
MAX_DOMAIN_CHARS = 253
CLUSTER_OPTIONS = ("ndots:5",)
MAX_NDOTS = 15
"""glibc's RES_MAXNDOTS: larger ndots values are cut to it."""


@dataclass(frozen=True)
class ResolvConf:
    """Nameservers, search domains and options, in file order.

    >>> conf = ResolvConf(("10.96.0.10",), ("default.svc.cluster.local",), ("ndots:5",))
    >>> print(conf.text(), end="")
    search default.svc.cluster.local
    nameserver 10.96.0.10
    options ndots:5
    >>> conf.ndots, ResolvConf().ndots
    (5, 1)
    """

    nameservers: tuple[str, ...] = ()
    searches: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    def text(self) -> str:
        """The file as containerd writes it (`cat /etc/resolv.conf` in the pod)."""
        lines = []
        if self.searches:
            lines.append("search " + " ".join(self.searches))
        lines.extend(f"nameserver {server}" for server in self.nameservers)
        if self.options:
            lines.append("options " + " ".join(self.options))
        return "".join(line + "\n" for line in lines)

    @property
    def ndots(self) -> int:
        """The resolver's ndots: the last `ndots:n` option, 1 when there is none."""
        value = 1
        for option in self.options:
            name, _, number = option.partition(":")
            if name == "ndots" and number.isdigit():
                value = min(int(number), MAX_NDOTS)
        return value


def kind_node_resolv_conf(
    node_network: str = "172.18.0.0/16", searches: tuple[str, ...] = ()
) -> ResolvConf:
    """A kind node's /etc/resolv.conf: the Docker network's gateway and Docker's `ndots:0`."""
    gateway = str(ipaddress.ip_network(node_network).network_address + 1)
    return ResolvConf((gateway,), tuple(searches), ("ndots:0",))


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _merge_options(existing: tuple[str, ...], extra: list[dict]) -> tuple[str, ...]:
    """mergeDNSOptions: later options replace same-named ones (kubelet's order is a Go map's,
    i.e. random; here existing options keep their place and new ones follow)."""
    merged: dict[str, str] = {}
    for option in existing:
        name, _, value = option.partition(":")
        merged[name] = value
    for entry in extra:
        merged[entry.get("name") or ""] = entry.get("value") or ""
    return tuple(f"{name}:{value}" if value else name for name, value in merged.items())


def _fit_searches(searches: tuple[str, ...]) -> tuple[str, ...]:
    kept = [s for s in searches[:MAX_SEARCH_PATHS] if len(s) <= MAX_DOMAIN_CHARS]
    while kept and len(" ".join(kept)) > MAX_SEARCH_CHARS:
        kept.pop()
    return tuple(kept)


def pod_resolv_conf(pod: dict, settings: DnsSettings, node: ResolvConf) -> ResolvConf:
    """The resolv.conf the kubelet gives `pod`, on a node whose own file is `node`."""
    spec = pod.get("spec") or {}
    namespace = pod["metadata"].get("namespace") or "default"
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    host_network = bool(spec.get("hostNetwork"))
    if policy == "None":
        conf = ResolvConf()
    elif policy == "Default" or (policy == "ClusterFirst" and host_network):
        conf = node
    else:
        domain = settings.domain
        cluster = [f"{namespace}.svc.{domain}", f"svc.{domain}", domain, *node.searches]
        conf = ResolvConf((settings.dns_ip,), _unique(cluster), CLUSTER_OPTIONS)
    extra = spec.get("dnsConfig")
    if extra:
        conf = ResolvConf(
            _unique([*conf.nameservers, *(extra.get("nameservers") or ())]),
            _unique([*conf.searches, *(extra.get("searches") or ())]),
            _merge_options(conf.options, list(extra.get("options") or ())),
        )
    return ResolvConf(
        conf.nameservers[:MAX_NAMESERVERS], _fit_searches(conf.searches), conf.options
    )
