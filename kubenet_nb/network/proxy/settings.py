"""kube-proxy's iptables-mode settings, with the defaults a kind node's kube-proxy v1.33 runs with.

Every knob that makes the upstream unit tests' fake proxier (pkg/proxy/iptables/proxier_test.go,
`NewFakeProxier`) write different text from a real node is a field here, so the same renderer
reproduces both: the fake sets `masqueradeMark: "0x4000"` instead of deriving `0x00004000` from
bit 14, has no `--random-fully`, detects local traffic with the pod CIDR 10.0.0.0/8 and lives on
node "test-node" with IP 192.168.0.2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CT_STATE_INVALID_COUNTER",
    "DETECT_LOCAL_MODES",
    "LOCALHOST_NODEPORTS_COUNTER",
    "ProxySettings",
]

CT_STATE_INVALID_COUNTER = "ct_state_invalid_dropped_pkts"
"""nfacct counter on KUBE-FORWARD's INVALID drop (metrics.IPTablesCTStateInvalidDropped…)."""
LOCALHOST_NODEPORTS_COUNTER = "localhost_nps_accepted_pkts"
"""nfacct counter on localhost NodePort rules (metrics.LocalhostNodePortAcceptedNFAcctCounter)."""

DETECT_LOCAL_MODES = ("ClusterCIDR", "NodeCIDR", "BridgeInterface", "InterfaceNamePrefix", "")
"""`--detect-local-mode` values; "" is the no-op detector (no pod/non-pod distinction)."""


@dataclass(frozen=True)
class ProxySettings:
    """What kube-proxy's flags and the node give `syncProxyRules` (one IP family).

    >>> ProxySettings().mark
    '0x00004000'
    >>> ProxySettings(masquerade_mark="0x4000").mark
    '0x4000'
    """

    cluster_cidr: str = "10.244.0.0/16"
    """`clusterCIDR` for the ClusterCIDR local detector (kind passes the pod subnet)."""
    detect_local_mode: str = "ClusterCIDR"
    bridge_interface: str = ""
    """`--detect-local-mode=BridgeInterface`: the bridge pods hang off (`-i <name>`)."""
    interface_name_prefix: str = ""
    """`--detect-local-mode=InterfaceNamePrefix`: pod interfaces' prefix (`-i <prefix>+`)."""
    masquerade_bit: int = 14
    """`--iptables-masquerade-bit` (default 14, pkg/proxy/apis/config/v1alpha1/defaults.go): the
    mark is `1 << bit`, printed with Go's `%#08x`."""
    masquerade_mark: str | None = None
    """A literal mark string instead of the one derived from the bit (the fake uses "0x4000")."""
    masquerade_all: bool = False
    localhost_nodeports: bool = True
    """`--iptables-localhost-nodeports` (forced off unless nodeport addresses include 127/8)."""
    nodeport_addresses: tuple[str, ...] = ()
    """`--nodeport-addresses` CIDRs; empty means every local address; "primary" the node IPs."""
    interface_addresses: tuple[str, ...] | None = None
    """The node's interface addresses for non-matching-all nodeport addresses (None: derived)."""
    random_fully: bool = True
    """Whether iptables supports `MASQUERADE --random-fully` (kind's iptables 1.8 does)."""
    nfacct_counters: frozenset[str] = field(
        default_factory=lambda: frozenset({CT_STATE_INVALID_COUNTER, LOCALHOST_NODEPORTS_COUNTER})
    )
    """The nfacct counters that could be ensured on the node (empty: no `-m nfacct` matches)."""
    conntrack_tcp_liberal: bool = False
    """`net.netfilter.nf_conntrack_tcp_be_liberal` is set: no INVALID drop rule is written."""
    ip_family: str = "IPv4"
    prefer_same_traffic_distribution: bool = False
    """Feature gate PreferSameTrafficDistribution (alpha in v1.33): honour node hints."""

    def __post_init__(self) -> None:
        if self.detect_local_mode not in DETECT_LOCAL_MODES:
            raise ValueError(f"unknown detect-local-mode {self.detect_local_mode!r}")
        if self.ip_family not in ("IPv4", "IPv6"):
            raise ValueError(f"unknown IP family {self.ip_family!r}")
        if not 0 <= self.masquerade_bit <= 31:
            raise ValueError("masquerade bit must be between 0 and 31")

    @property
    def mark(self) -> str:
        """The masquerade mark as kube-proxy writes it (`fmt.Sprintf("%#08x", 1<<bit)`)."""
        if self.masquerade_mark is not None:
            return self.masquerade_mark
        return "0x" + format(1 << self.masquerade_bit, "08x")

    @property
    def ipv6(self) -> bool:
        return self.ip_family == "IPv6"
