"""User-written EndpointSlices and Endpoints: defaults and validation."""

from __future__ import annotations

import copy

from kubenet_nb.api.core.endpoints import (
    default_endpoints,
    validate_endpoints,
    validate_endpoints_update,
)
from kubenet_nb.api.discovery.endpointslice import (
    default_endpoint_slice,
    endpoint_slice_generation,
    validate_endpoint_slice,
    validate_endpoint_slice_update,
)
from kubenet_nb.api.ip_addresses import parse_ip_sloppy


def texts(errs: list) -> list[str]:
    return [str(e) for e in errs]


def endpoint_slice(*addresses: str, address_type: str = "IPv4", **extra: object) -> dict:
    obj = {
        "kind": "EndpointSlice",
        "metadata": {
            "name": "web-1",
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": "web"},
        },
        "addressType": address_type,
        "endpoints": [{"addresses": [a]} for a in addresses or ("10.1.2.3",)],
        "ports": [{"name": "http", "port": 80}],
        **extra,
    }
    default_endpoint_slice(obj)
    return obj


def test_slice_defaults() -> None:
    # discovery/v1 defaults: port name "" and protocol TCP; strategy sets generation 1
    obj = endpoint_slice(
        ports=[{"port": 80}],
        endpoints=[{"addresses": ["10.1.2.3"], "deprecatedTopology": {"a": "b"}}],
    )
    assert obj["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]
    assert obj["endpoints"] == [{"addresses": ["10.1.2.3"]}]
    assert obj["metadata"]["generation"] == 1
    assert validate_endpoint_slice(obj) == []


def test_address_type_is_required_and_supported() -> None:
    # discovery validation.go validateAddressType
    obj = endpoint_slice(address_type="")
    assert texts(validate_endpoint_slice(obj)) == ["addressType: Required value"]
    obj = endpoint_slice(address_type="IP")
    assert texts(validate_endpoint_slice(obj)) == [
        'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'
    ]


def test_addresses_must_fit_the_type_and_not_be_special() -> None:
    # core validation.go ValidateNonSpecialIP wording
    obj = endpoint_slice("fd00::1", "127.0.0.1", "169.254.1.1", "0.0.0.0", "224.0.0.5")
    assert texts(validate_endpoint_slice(obj)) == [
        'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
        'endpoints[1].addresses[0]: Invalid value: "127.0.0.1": '
        "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        'endpoints[2].addresses[0]: Invalid value: "169.254.1.1": '
        "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        'endpoints[3].addresses[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
        'endpoints[4].addresses[0]: Invalid value: "224.0.0.5": '
        "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
    ]
    assert validate_endpoint_slice(endpoint_slice("fd00:10:244::5", address_type="IPv6")) == []


def test_counts_are_bounded() -> None:
    # maxEndpoints 1000, maxAddresses 100, maxPorts 20000 (raised from 100 in v1.21, #99795)
    obj = endpoint_slice(endpoints=[{"addresses": []}, {"addresses": ["10.0.0.1"] * 101}])
    assert texts(validate_endpoint_slice(obj)) == [
        "endpoints[0].addresses: Required value: must contain at least 1 address",
        "endpoints[1].addresses: Too many: 101: must have at most 100 items",
    ]
    many = endpoint_slice(endpoints=[{"addresses": ["10.0.0.1"]}] * 1001)
    assert texts(validate_endpoint_slice(many)) == [
        "endpoints: Too many: 1001: must have at most 1000 items"
    ]
    ports = endpoint_slice(ports=[{"name": f"p{i}", "port": 1} for i in range(20001)])
    assert texts(validate_endpoint_slice(ports)) == [
        "ports: Too many: 20001: must have at most 20000 items"
    ]


def test_port_names_unique_and_protocols_supported() -> None:
    obj = endpoint_slice(
        ports=[
            {"name": "http", "port": 80},
            {"name": "http", "port": 81},
            {"name": "dns", "port": 53, "protocol": "ICMP"},
        ]
    )
    assert texts(validate_endpoint_slice(obj)) == [
        'ports[1].name: Duplicate value: "http"',
        'ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]


def test_fqdn_addresses() -> None:
    obj = endpoint_slice("example.com", "localhost", address_type="FQDN")
    assert texts(validate_endpoint_slice(obj)) == [
        'endpoints[1].addresses[0]: Invalid value: "localhost": '
        "should be a domain with at least two segments separated by dots"
    ]


def test_address_type_is_immutable_and_generation_counts_changes() -> None:
    old = endpoint_slice()
    new = copy.deepcopy(old)
    new["addressType"] = "FQDN"
    new["endpoints"] = [{"addresses": ["web.example.com"]}]
    assert texts(validate_endpoint_slice_update(new, old)) == [
        'addressType: Invalid value: "FQDN": field is immutable'
    ]
    assert endpoint_slice_generation(new, old) == 2
    assert endpoint_slice_generation(copy.deepcopy(old), old) == 1


def test_sloppy_ip_parsing_like_netutils() -> None:
    assert str(parse_ip_sloppy("010.001.002.003")) == "10.1.2.3"
    assert str(parse_ip_sloppy("::ffff:10.1.2.3")) == "10.1.2.3"
    assert parse_ip_sloppy("10.1.2") is None


def endpoints(*subsets: dict) -> dict:
    obj = {
        "kind": "Endpoints",
        "metadata": {"name": "web", "namespace": "default"},
        "subsets": list(subsets),
    }
    default_endpoints(obj)
    return obj


def test_endpoints_defaults_and_happy_path() -> None:
    obj = endpoints({"addresses": [{"ip": "10.244.1.5"}], "ports": [{"port": 80}]})
    assert obj["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]
    assert validate_endpoints(obj) == []
    assert validate_endpoints_update(obj, copy.deepcopy(obj)) == []


def test_endpoints_subset_rules() -> None:
    # core validation.go validateEndpointSubsets / validateEndpointAddress / validateEndpointPort
    obj = endpoints(
        {"ports": [{"port": 80}]},
        {
            "addresses": [{"ip": "not-an-ip"}, {"ip": "127.0.0.1"}],
            "ports": [{"port": 80}, {"name": "b", "port": 0}],
        },
    )
    assert texts(validate_endpoints(obj)) == [
        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
        'subsets[1].addresses[0].ip: Invalid value: "not-an-ip": '
        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        'subsets[1].addresses[0].ip: Invalid value: "not-an-ip": must be a valid IP address',
        'subsets[1].addresses[1].ip: Invalid value: "127.0.0.1": '
        "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        "subsets[1].ports[0].name: Required value",
        "subsets[1].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    ]
