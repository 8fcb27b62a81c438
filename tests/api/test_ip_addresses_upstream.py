"""Upstream's own ParseIPSloppy test tables, run against parse_ip_sloppy.

Data transcribed from kubernetes/utils net/ips_test.go and net/parse_test.go @
263db5a4e83db625acd911f740d234a9f21591c0 (TestParseIPSloppy over goodTestIPs and badTestIPs; no
entry there sets skipParse), and from parseIPTests in
internal/third_party/forked/golang/net/ip_test.go @ 3ea5e8cea73810f6d2951b37183cf91e19f63455.
Expected IPs are written as Go's net.IP String() of `ips[0]`, which prints an IPv4-mapped IPv6
value in dotted IPv4 form; bad `ips` entries are written as the String() TestParseIPSloppy
re-parses ("<nil>" for nil or empty, "?" + hex for other lengths).

Version note: kubernetes/kubernetes v1.33.0 requires k8s.io/utils
v0.0.0-20241104100929-3ea5e8cea738 (CHANGELOG/CHANGELOG-1.34.md @ v1.34.0 lists
`k8s.io/utils: 3ea5e8c → 4c0f3b2` since v1.33.0). There net/parse.go is
`ParseIPSloppy = forkednet.ParseIP`, the Go 1.16 parser fork, and neither it nor
internal/third_party/forked/golang/net changed between b65c373 (2021-06-28) and 263db5a, whose
later test tables therefore test the parser v1.33 vendors.
"""

from __future__ import annotations

import ipaddress

import pytest

from kubenet_nb.api.ip_addresses import IPAddress, parse_ip_sloppy

# goodTestIPs: (desc, strings, String() of ips[0]).
GOOD_TEST_IPS: list[tuple[str, list[str], str]] = [
    ("IPv4", ["192.168.0.5", "192.168.000.005"], "192.168.0.5"),
    ("IPv4 all-zeros", ["0.0.0.0", "000.000.000.000"], "0.0.0.0"),
    ("IPv4 broadcast", ["255.255.255.255"], "255.255.255.255"),
    ("IPv6", ["2001:db8::5", "2001:0db8::0005", "2001:DB8::5"], "2001:db8::5"),
    (
        "IPv6 all-zeros",
        ["::", "0:0:0:0:0:0:0:0", "0000:0000:0000:0000:0000:0000:0000:0000", "0::0"],
        "::",
    ),
    ("IPv6 loopback", ["::1", "0000:0000:0000:0000:0000:0000:0000:0001"], "::1"),
    (
        "IPv4-mapped IPv6",
        ["192.168.0.5", "::ffff:192.168.0.5", "::ffff:0192.0168.0000.0005"],
        "192.168.0.5",
    ),
]

# badTestIPs: (desc, strings, String() of each element of ips).
BAD_TEST_IPS: list[tuple[str, list[str], list[str]]] = [
    ("empty string is not an IP", [""], []),
    ("random non-IP string is not an IP", ["bad ip"], []),
    ("domain name is not an IP", ["www.example.com"], []),
    ("mangled IPv4 addresses are invalid", ["1.2.3.400", "1.2..4", "1.2.3", "1.2.3.4.5"], []),
    (
        "mangled IPv6 addresses are invalid",
        ["1:2::12345", "1::2::3", "1:2:::3", "1:2:3", "1:2:3:4:5:6:7:8:9", "1:2:3:4::6:7:8:9"],
        [],
    ),
    (
        "IPs do not have ports or brackets",
        ["1.2.3.4:80", "[2001:db8::5]", "[2001:db8::5]:80", "www.example.com:80"],
        [],
    ),
    ("IPs with zones are invalid", ["169.254.169.254%eth0", "fe80::1234%eth0"], []),
    ("CIDR strings are not IPs", ["1.2.3.0/24", "2001:db8::/64"], []),
    (
        "IPs with whitespace are invalid",
        [" 1.2.3.4", "1.2.3.4 ", " 2001:db8::5", "2001:db8::5 "],
        [],
    ),
    ("nil is an invalid net.IP", [], ["<nil>"]),
    (
        "a byte slice of length other than 4 or 16 is an invalid net.IP",
        [],
        [
            "<nil>",
            "?010203",
            "?0102030405060708090a",
            "?0102030405060708090a0b0c0d0e0f101112",
        ],
    ),
]


# parseIPTests of the forked parser: (in, String() of out), None where out is nil.
FORKED_PARSE_IP_TESTS: list[tuple[str, str | None]] = [
    ("127.0.1.2", "127.0.1.2"),
    ("127.0.0.1", "127.0.0.1"),
    ("127.001.002.003", "127.1.2.3"),
    ("127.007.008.009", "127.7.8.9"),
    ("127.010.020.030", "127.10.20.30"),
    ("::ffff:127.1.2.3", "127.1.2.3"),
    ("::ffff:127.001.002.003", "127.1.2.3"),
    ("::ffff:127.007.008.009", "127.7.8.9"),
    ("::ffff:127.010.020.030", "127.10.20.30"),
    ("::ffff:7f01:0203", "127.1.2.3"),
    ("0:0:0:0:0000:ffff:127.1.2.3", "127.1.2.3"),
    ("0:0:0:0:000000:ffff:127.1.2.3", "127.1.2.3"),
    ("0:0:0:0::ffff:127.1.2.3", "127.1.2.3"),
    ("2001:4860:0:2001::68", "2001:4860:0:2001::68"),
    ("2001:4860:0000:2001:0000:0000:0000:0068", "2001:4860:0:2001::68"),
    ("-0.0.0.0", None),
    ("0.-1.0.0", None),
    ("0.0.-2.0", None),
    ("0.0.0.-3", None),
    ("127.0.0.256", None),
    ("abc", None),
    ("123:", None),
    ("fe80::1%lo0", None),
    ("fe80::1%911", None),
    ("", None),
    ("a1:a2:a3:a4::b1:b2:b3:b4", None),
]


def _go_equal_key(ip: IPAddress) -> bytes:
    """net.IP.Equal: a 4-byte IPv4 value equals its 16-byte IPv4-mapped IPv6 form."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.packed
    return ip.packed


GOOD_CASES = [
    pytest.param(text, expected, id=f"{desc}-{i + 1}")
    for desc, strings, expected in GOOD_TEST_IPS
    for i, text in enumerate(strings)
]

BAD_STRING_CASES = [
    pytest.param(text, id=f"{desc}-string{i + 1}")
    for desc, strings, _ in BAD_TEST_IPS
    for i, text in enumerate(strings)
]

BAD_IP_STRING_CASES = [
    pytest.param(text, id=f"{desc}-ip{i + 1}")
    for desc, _, ip_strings in BAD_TEST_IPS
    for i, text in enumerate(ip_strings)
]


@pytest.mark.parametrize(("text", "expected"), GOOD_CASES)
def test_good_ip_parses_equal_to_first_ip(text: str, expected: str) -> None:
    parsed = parse_ip_sloppy(text)
    assert parsed is not None, f"expected {text!r} to parse"
    want = ipaddress.ip_address(expected)
    assert _go_equal_key(parsed) == _go_equal_key(want)
    assert str(parsed) == expected


@pytest.mark.parametrize("text", BAD_STRING_CASES)
def test_bad_string_does_not_parse(text: str) -> None:
    assert parse_ip_sloppy(text) is None


@pytest.mark.parametrize("text", BAD_IP_STRING_CASES)
def test_bad_ip_string_form_does_not_reparse(text: str) -> None:
    assert parse_ip_sloppy(text) is None


@pytest.mark.parametrize(("text", "expected"), FORKED_PARSE_IP_TESTS)
def test_forked_parse_ip_table(text: str, expected: str | None) -> None:
    parsed = parse_ip_sloppy(text)
    assert (None if parsed is None else str(parsed)) == expected


def test_table_sizes() -> None:
    sizes = (len(GOOD_CASES), len(BAD_STRING_CASES), len(BAD_IP_STRING_CASES))
    assert (*sizes, len(FORKED_PARSE_IP_TESTS)) == (17, 25, 5, 26)
