"""kube-proxy's chain names and probabilities (kubenet_nb/network/proxy/chains.py)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubenet_nb.network.proxy.chains import (
    endpoint_chain,
    is_service_chain,
    port_proto_hash,
    probability,
    service_port_name,
)

# Every pair below appears in pkg/proxy/iptables/proxier_test.go (TestOverallIPTablesRules,
# TestSyncProxyRulesRepeated, TestSyncProxyRulesLargeClusterMode), where the hash is the name of
# a KUBE-SVC/SVL/EXT/FW chain (sha256 of servicePortName+protocol, base32, first 16 characters).
PORT_HASHES = [
    ("ns1/svc1:p80", "XPGD46QRK7WJZT7O"),
    ("ns2/svc2:p80", "GNZBNJ2PO5MGZ6GT"),
    ("ns3/svc3:p80", "X27LE4BHSL4DOUIK"),
    ("ns4/svc4:p80", "4SW47YFZTEDKD3PK"),
    ("ns5/svc5:p80", "NUKIZ6OKUXPJNT4C"),
    ("ns2/svc2:p8080", "2VJB64SDSIJUP5T6"),
    ("ns4/svc4:p8082", "EBDQOQU5SJFXRIL3"),
]

# KUBE-SEP names from the same tests: the hash also covers the endpoint "ip:port".
ENDPOINT_CHAINS = [
    ("ns1/svc1:p80", "10.180.0.1:80", "KUBE-SEP-SXIVWICOYRO3J4NJ"),
    ("ns5/svc5:p80", "10.180.0.3:80", "KUBE-SEP-I77PXRDZVX7PMWMN"),
    ("ns4/svc4:p80", "10.180.0.4:80", "KUBE-SEP-UKSFD7AGPMPPLUHC"),
    ("ns4/svc4:p80", "10.180.0.5:80", "KUBE-SEP-C6EBXVWJJZMIWKLZ"),
    ("ns1/svc1:p80", "10.0.0.0:80", "KUBE-SEP-DKGQUZGBKLTPAR56"),
    ("ns3/svc3:p8081", "203.0.113.4:8081", "KUBE-SEP-RUVVH7YV3PHQBDOS"),
    ("ns4/svc4:p8082", "10.4.0.1:8082", "KUBE-SEP-SU5STNODRYEWJAUF"),
    ("ns1/svc1:p80", "10.0.1.1:80", "KUBE-SEP-SNQ3ZNILQDEJNDQO"),
    ("ns3/svc3:p80", "10.0.3.2:80", "KUBE-SEP-DKCFIS26GWF2WLWC"),
]

# Names every kind/kubeadm cluster shows for its two system Services (real iptables-save
# output of kube-proxy v1.32, tests/network/data/proxier/real_node_iptables_save.txt).
WELL_KNOWN = [
    ("default/kubernetes:https", "tcp", "NPX46M4PTMTKRN6Y"),
    ("kube-system/kube-dns:dns", "udp", "TCOU7JCQXEZGVUNU"),
    ("kube-system/kube-dns:dns-tcp", "tcp", "ERIFXISQEP7F7OF4"),
    ("kube-system/kube-dns:metrics", "tcp", "JD5MR3NA4I4DYORP"),
]


@pytest.mark.parametrize(("name", "expected"), PORT_HASHES)
def test_port_hash_matches_upstream(name: str, expected: str) -> None:
    assert port_proto_hash(name, "tcp") == expected


@pytest.mark.parametrize(("name", "endpoint", "expected"), ENDPOINT_CHAINS)
def test_endpoint_chain_matches_upstream(name: str, endpoint: str, expected: str) -> None:
    assert endpoint_chain(name, "tcp", endpoint) == expected


@pytest.mark.parametrize(("name", "protocol", "expected"), WELL_KNOWN)
def test_system_service_chains(name: str, protocol: str, expected: str) -> None:
    assert port_proto_hash(name, protocol) == expected


def test_protocol_is_part_of_the_hash() -> None:
    assert port_proto_hash("ns/svc:dns", "udp") != port_proto_hash("ns/svc:dns", "tcp")


def test_service_port_name_omits_empty_port_name() -> None:
    # pkg/proxy/types.go ServicePortName.String
    assert service_port_name("default", "web", "") == "default/web"
    assert service_port_name("default", "web", "http") == "default/web:http"


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-/:", min_size=1, max_size=80),
    st.sampled_from(["tcp", "udp", "sctp"]),
)
def test_names_fit_iptables(name: str, protocol: str) -> None:
    """Chain names must stay within iptables' 28 characters (proxier.go portProtoHash)."""
    digest = port_proto_hash(name, protocol)
    assert len(digest) == 16
    assert set(digest) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert len("KUBE-SVC-" + digest) == 25
    assert len(endpoint_chain(name, protocol, "10.0.0.1:80")) == 25


def test_service_chain_prefixes() -> None:
    # proxier.go isServiceChainName: the prefixes kube-proxy deletes when stale
    for chain in ("KUBE-SVC-X", "KUBE-SVL-X", "KUBE-EXT-X", "KUBE-FW-X", "KUBE-SEP-X"):
        assert is_service_chain(chain)
    for chain in ("KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-MARK-MASQ", "KUBE-XLB-X"):
        assert not is_service_chain(chain)


# TestComputeProbability in proxier_test.go
@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1.0000000000"),
        (2, "0.5000000000"),
        (10, "0.1000000000"),
        (100, "0.0100000000"),
        (1000, "0.0010000000"),
        (10000, "0.0001000000"),
        (100000, "0.0000100000"),
        (100001, "0.0000099999"),
    ],
)
def test_compute_probability(n: int, text: str) -> None:
    assert probability(n) == text


def test_probability_strictly_decreases() -> None:
    """TestComputeProbability: the printed value never repeats as n grows."""
    values = [float(probability(n)) for n in range(2, 100001)]
    assert all(a > b for a, b in itertools.pairwise(values))
