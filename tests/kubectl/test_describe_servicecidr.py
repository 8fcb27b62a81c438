"""`kubectl describe` for ServiceCIDRs and IPAddresses (describe/servicecidr.py).

kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeServiceCIDR ("ServiceCIDR
v1") is reproduced whole; beside it kind's default ServiceCIDR and the kubernetes Service's
ClusterIP IPAddress, which the API server allocates.
"""

from __future__ import annotations

from kubenet_nb import Cluster


def test_default_service_cidr() -> None:
    # describeServiceCIDRV1: the CIDRs, `Status:` then the conditions table.
    assert Cluster().kubectl("describe servicecidr kubernetes") == (
        "Name:         kubernetes\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "CIDRs:        10.96.0.0/16\n"
        "Status:\n"
        "Conditions:\n"
        "  Type   Status  LastTransitionTime               Reason  Message\n"
        "  ----   ------  ------------------               ------  -------\n"
        "  Ready  True    Wed, 01 Jan 2025 00:00:00 +0000          Kubernetes default Service "
        "CIDR is ready\n"
        "Events:  <none>"
    )


def test_service_cidr_without_status() -> None:
    # TestDescribeServiceCIDR "ServiceCIDR v1": two CIDRs joined by ", ", no conditions.
    c = Cluster()
    c.create(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "ServiceCIDR",
            "metadata": {"name": "foo.123"},
            "spec": {"cidrs": ["10.1.0.0/16", "fd00:1:1::/64"]},
        }
    )
    assert c.kubectl("describe servicecidr foo.123") == (
        "Name:         foo.123\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "CIDRs:        10.1.0.0/16, fd00:1:1::/64\n"
        "Events:       <none>"
    )


def test_ip_address() -> None:
    # describeIPAddressV1: the parent reference (group "" for core Services).
    assert Cluster().kubectl("describe ipaddress 10.96.0.1") == (
        "Name:         10.96.0.1\n"
        "Labels:       ipaddress.kubernetes.io/ip-family=IPv4\n"
        "              ipaddress.kubernetes.io/managed-by=ipallocator.k8s.io\n"
        "Annotations:  <none>\n"
        "Parent Reference:\n"
        "  Group:      \n"
        "  Resource:   services\n"
        "  Namespace:  default\n"
        "  Name:       kubernetes\n"
        "Events:       <none>"
    )
