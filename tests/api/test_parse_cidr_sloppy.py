"""parse_cidr_sloppy against k8s.io/utils ParseCIDRSloppy: upstream's tables and its source.

The parser is kubernetes/utils net/parse.go `ParseCIDRSloppy = forkednet.ParseCIDR`, with
`ParseCIDR`, `parseIPv4`, `parseIPv6` in internal/third_party/forked/golang/net/ip.go and `dtoi`,
`xtoi` in internal/third_party/forked/golang/net/parse.go @ 3ea5e8cea73810f6d2951b37183cf91e19f63455
(k8s.io/utils v0.0.0-20241104100929-3ea5e8cea738, which kubernetes/kubernetes v1.33.0 requires:
CHANGELOG/CHANGELOG-1.34.md @ v1.34.0 lists `k8s.io/utils: 3ea5e8c → 4c0f3b2` since v1.33.0).
Expected networks are written as Go's `IPNet.String()`, which prints an IPv4-mapped network of
16-byte IP and 16-byte mask as IPv4 with 96 fewer bits.
"""

from __future__ import annotations

import ipaddress

import pytest

from kubenet_nb.api.core.nodes import default_node, validate_node
from kubenet_nb.api.ip_addresses import parse_cidr_sloppy, parse_ip_sloppy

# kubernetes/utils net/ips_test.go @ 263db5a4e83db625acd911f740d234a9f21591c0 goodTestCIDRs, run
# by TestParseCIDRSloppy in net/parse_test.go (the tests came after 3ea5e8c; neither net/parse.go
# nor the forked parser changed between the two): (desc, family, strings, String() of ipnets[0]).
# The two "ifaddr" entries set skipParse and are left out.
GOOD_TEST_CIDRS: list[tuple[str, int, list[str], str]] = [
    ("IPv4", 4, ["1.2.3.0/24"], "1.2.3.0/24"),
    ("IPv4, single IP", 4, ["1.1.1.1/32"], "1.1.1.1/32"),
    ("IPv4, all IPs", 4, ["0.0.0.0/0", "000.000.000.000/000"], "0.0.0.0/0"),
    ("IPv4 ifaddr (masked)", 4, ["1.2.3.0/24", "1.2.3.4/24", "1.2.3.255/24"], "1.2.3.0/24"),
    ("IPv6", 6, ["2001:db8::/64", "2001:db8:0:0:0:0:0:0/64", "2001:DB8::/64"], "2001:db8::/64"),
    ("IPv6, all IPs", 6, ["::/0"], "::/0"),
    ("IPv6, single IP", 6, ["::1/128"], "::1/128"),
    (
        "IPv6 ifaddr (masked)",
        6,
        ["2001:db8::/64", "2001:db8::1/64", "2001:db8::f00f:f0f0:0f0f:000f/64"],
        "2001:db8::/64",
    ),
    (
        "IPv4-mapped IPv6",
        4,
        ["1.1.1.0/24", "::ffff:1.1.1.0/120", "::ffff:01.01.01.00/0120"],
        "1.1.1.0/24",
    ),
]

# badTestCIDRs of the same file: (desc, strings, String() of each element of ipnets). A nil IPNet,
# one with a 1-byte IP, and an IPv6 IP with a 4-byte mask print "<nil>"; a non-contiguous mask
# prints as hex.
BAD_TEST_CIDRS: list[tuple[str, list[str], list[str]]] = [
    ("empty string is not a CIDR", [""], []),
    ("random unparseable string is not a CIDR", ["bad cidr"], []),
    ("CIDR with invalid IP is invalid", ["1.2.300.0/24", "2001:db8000::/64"], []),
    (
        "CIDR with invalid prefix length is invalid",
        ["1.2.3.4/64", "2001:db8::5/192", "1.2.3.0/-8", "1.2.3.0/+24"],
        [],
    ),
    (
        "URLs (that aren't also valid CIDRs) are invalid",
        ["www.example.com/24", "192.168.0.1/0/99"],
        [],
    ),
    ("plain IP is not a CIDR", ["1.2.3.4", "2001:db8::1"], []),
    ("CIDR with whitespace is invalid", [" 1.2.3.0/24", "1.2.3.0/24 "], []),
    ("nil is an invalid IPNet", [], ["<nil>"]),
    ("IPNet containing invalid IP is invalid", [], ["<nil>"]),
    ("IPNet containing non-CIDR Mask is invalid", [], ["192.168.0.0/ff00ff00"]),
    ("IPNet containing IPv6 IP and IPv4 Mask is invalid", [], ["<nil>"]),
]

# parseCIDRTests of internal/third_party/forked/golang/net/ip_test.go @ 3ea5e8c: (in, String() of
# the returned net), None where ParseCIDR returns an error.
FORKED_PARSE_CIDR_TESTS: list[tuple[str, str | None]] = [
    ("135.104.0.0/32", "135.104.0.0/32"),
    ("0.0.0.0/24", "0.0.0.0/24"),
    ("135.104.0.0/24", "135.104.0.0/24"),
    ("135.104.0.1/32", "135.104.0.1/32"),
    ("135.104.0.1/24", "135.104.0.0/24"),
    ("127.000.000.001/32", "127.0.0.1/32"),
    ("127.007.008.009/32", "127.7.8.9/32"),
    ("127.010.020.030/32", "127.10.20.30/32"),
    ("::1/128", "::1/128"),
    ("abcd:2345::/127", "abcd:2345::/127"),
    ("abcd:2345::/65", "abcd:2345::/65"),
    ("abcd:2345::/64", "abcd:2345::/64"),
    ("abcd:2345::/63", "abcd:2345::/63"),
    ("abcd:2345::/33", "abcd:2345::/33"),
    ("abcd:2345::/32", "abcd:2345::/32"),
    ("abcd:2344::/31", "abcd:2344::/31"),
    ("abcd:2300::/24", "abcd:2300::/24"),
    ("abcd:2345::/24", "abcd:2300::/24"),
    ("2001:DB8::/48", "2001:db8::/48"),
    ("2001:DB8::1/48", "2001:db8::/48"),
    ("192.168.1.1/255.255.255.0", None),
    ("192.168.1.1/35", None),
    ("2001:db8::1/-1", None),
    ("2001:db8::1/-0", None),
    ("-0.0.0.0/32", None),
    ("0.-1.0.0/32", None),
    ("0.0.-2.0/32", None),
    ("0.0.0.-3/32", None),
    ("0.0.0.0/-0", None),
    ("", None),
]

# Inputs where Python's ipaddress (or a str.isdigit() check) and the Go parser disagree, each
# followed in the source: dtoi reads only '0'..'9', so non-ASCII digits end the number in the
# address and in the prefix; parseIPv6 has no zone; ParseCIDR masks the 16 bytes parseIPv6 gives
# an IPv4-mapped address with a 128-bit mask, and IPNet.String() shows IPv4 only while the masked
# IP still starts with ::ffff:; octets and prefix lengths may carry leading zeros.
SOURCE_CASES: list[tuple[str, str | None]] = [
    ("\u0661.\u0662.\u0663.\u0664/8", None),  # Arabic-Indic digits
    ("1.2.3.\u00b2/8", None),  # superscript two
    ("fd00::/\u0666\u0664", None),
    ("fe80::1%eth0/64", None),
    ("::ffff:10.0.0.1/120", "10.0.0.0/24"),
    ("::ffff:10.0.0.1/96", "0.0.0.0/0"),
    ("::ffff:10.0.0.1/95", "::fffe:0:0/95"),
    ("::ffff:10.0.0.1/24", "::/24"),
    ("::ffff:10.0.0.1/129", None),
    ("010.0.0.0/8", "10.0.0.0/8"),
    ("10.0.0.0/008", "10.0.0.0/8"),
    ("0:0:0:0:000000:ffff:127.1.2.3/128", "127.1.2.3/32"),  # xtoi takes any number of digits
    ("1.2.3.4/99999999", None),  # dtoi stops at 0xFFFFFF
]

GOOD_CASES = [
    pytest.param(text, family, expected, id=f"{desc}-{i + 1}")
    for desc, family, strings, expected in GOOD_TEST_CIDRS
    for i, text in enumerate(strings)
]

BAD_CASES = [
    pytest.param(text, id=f"{desc}-{kind}{i + 1}")
    for desc, strings, ipnet_strings in BAD_TEST_CIDRS
    for kind, texts in (("string", strings), ("ipnet", ipnet_strings))
    for i, text in enumerate(texts)
]


@pytest.mark.parametrize(("text", "family", "expected"), GOOD_CASES)
def test_good_cidr_restringifies_to_first_ipnet(text: str, family: int, expected: str) -> None:
    network = parse_cidr_sloppy(text)
    assert network is not None, f"expected {text!r} to parse"
    assert (str(network), network.version) == (expected, family)


@pytest.mark.parametrize("text", BAD_CASES)
def test_bad_cidr_does_not_parse(text: str) -> None:
    assert parse_cidr_sloppy(text) is None


@pytest.mark.parametrize(("text", "expected"), FORKED_PARSE_CIDR_TESTS)
def test_forked_parse_cidr_table(text: str, expected: str | None) -> None:
    network = parse_cidr_sloppy(text)
    assert (None if network is None else str(network)) == expected


@pytest.mark.parametrize(("text", "expected"), SOURCE_CASES)
def test_cases_read_off_the_source(text: str, expected: str | None) -> None:
    network = parse_cidr_sloppy(text)
    assert (None if network is None else str(network)) == expected


def test_ipv4_mapped_network_holds_ipv4_addresses() -> None:
    # Go's IPNet.Contains unmaps both sides (networkNumberAndMask, ip.To4), and IPFamilyOfCIDR
    # (kubernetes/utils net/ipfamily.go @ 3ea5e8c) calls the network IPv4.
    network = parse_cidr_sloppy("::ffff:10.0.0.1/120")
    address = parse_ip_sloppy("::ffff:10.0.0.9")
    assert isinstance(network, ipaddress.IPv4Network)
    assert address is not None
    assert address in network


def test_table_sizes() -> None:
    assert (len(GOOD_CASES), len(BAD_CASES), len(FORKED_PARSE_CIDR_TESTS)) == (18, 18, 30)


def _node(cidrs: list[str]) -> dict:
    obj = {"kind": "Node", "metadata": {"name": "kind-worker"}, "spec": {"podCIDRs": cidrs}}
    default_node(obj)
    return obj


def test_node_pod_cidrs_parse_sloppily() -> None:
    # ValidateNode parses each podCIDR with ParseCIDRSloppy and wants two to be one per family:
    # IsDualStackCIDRStrings (kubernetes/utils net/ipfamily.go @ 3ea5e8c) asks IPFamilyOfCIDR,
    # which is IPFamilyOf(cidr.IP), and ip.To4() != nil makes an IPv4-mapped network IPv4.
    assert validate_node(_node(["010.244.001.000/24"])) == []
    assert [str(e) for e in validate_node(_node(["1.2.3.\u00b2/8"]))] == [
        'spec.podCIDRs[0]: Invalid value: "1.2.3.\u00b2/8": '
        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
    ]
    assert validate_node(_node(["::ffff:10.244.1.0/120", "fd00:10:244:1::/64"])) == []
    assert [str(e) for e in validate_node(_node(["::ffff:10.244.1.0/120", "10.0.0.0/8"]))] == [
        'spec.podCIDRs: Invalid value: []string{"::ffff:10.244.1.0/120", "10.0.0.0/8"}: '
        "may specify no more than one CIDR for each IP family"
    ]
