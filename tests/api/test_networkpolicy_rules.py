"""NetworkPolicies through the public face: defaults, validation wording, generation.

Sources: kubernetes/kubernetes pkg/apis/networking/validation/validation_test.go
(TestValidateNetworkPolicy success and error cases, named as upstream names them where it has
them, plus cases for every other rule of validation.go), validation.go
(ValidateNetworkPolicySpec / Port / Peer, ValidateIPBlock), pkg/apis/networking/v1/defaults.go and
pkg/registry/networking/networkpolicy/strategy.go @ v1.33.0; kubernetes/apimachinery
pkg/util/validation/validation.go (IsValidPortNum, IsValidPortName) @ v0.33.0.
"""

from __future__ import annotations

import pytest
from rules_helpers import refusal

from kubenet_nb import Cluster

INVALID = 'The NetworkPolicy "foo" is invalid: '
BAD_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
BAD_KEY = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
INVALID_SELECTOR = {"matchLabels": {"NoUppercaseOrSpecialCharsLike=Equals": "b"}}


@pytest.fixture
def cluster() -> Cluster:
    return Cluster()


def netpol(name: str = "foo", **spec: object) -> dict:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
    }


AB = {"matchLabels": {"a": "b"}}
CD = {"matchLabels": {"c": "d"}}

# TestValidateNetworkPolicy successCases.
SUCCESS = [
    {"podSelector": AB, "ingress": []},
    {"podSelector": AB, "ingress": [{"from": [], "ports": []}]},
    {
        "podSelector": AB,
        "ingress": [
            {
                "ports": [
                    {"port": 80},
                    {"protocol": "TCP"},
                    {"protocol": "TCP", "port": 443},
                    {"protocol": "UDP", "port": "dns"},
                ]
            }
        ],
    },
    {"podSelector": AB, "ingress": [{"from": [{"podSelector": CD}]}]},
    {"podSelector": AB, "ingress": [{"from": [{"namespaceSelector": CD}]}]},
    {"podSelector": AB, "ingress": [{"from": [{"namespaceSelector": CD, "podSelector": CD}]}]},
    {"podSelector": AB, "egress": [{"to": [{"ipBlock": {"cidr": "192.168.0.0/16"}}]}]},
    {
        "podSelector": AB,
        "ingress": [
            {"from": [{"ipBlock": {"cidr": "192.168.0.0/16", "except": ["192.168.3.0/24"]}}]}
        ],
    },
    {"podSelector": AB, "egress": [{"ports": [{"port": 32000, "endPort": 32768}]}]},
    {"podSelector": AB, "policyTypes": ["Egress", "Ingress"]},
    # StrictIPCIDRValidation is off in 1.33: host bits are accepted (upstream e2e uses this).
    {"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.244.1.5/4"}}]}]},
]


@pytest.mark.parametrize("spec", SUCCESS)
def test_upstream_success_cases_are_accepted(cluster: Cluster, spec: dict) -> None:
    cluster.create(netpol(**spec))
    assert cluster.get("NetworkPolicy", "foo")["spec"]["podSelector"] == spec["podSelector"]


# TestValidateNetworkPolicy errorCases, with the messages of validation.go @ v1.33.0.
ERRORS = {
    "invalid spec.podSelector": (
        {"podSelector": INVALID_SELECTOR},
        'spec.podSelector.matchLabels: Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": '
        + BAD_KEY,
    ),
    "invalid ingress.ports.protocol": (
        {"ingress": [{"ports": [{"protocol": "ICMP", "port": 80}]}]},
        'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: '
        '"TCP", "UDP", "SCTP"',
    ),
    "invalid ingress.ports.port (int)": (
        {"ingress": [{"ports": [{"protocol": "TCP", "port": 123456789}]}]},
        "spec.ingress[0].ports[0].port: Invalid value: 123456789: must be between 1 and 65535, "
        "inclusive",
    ),
    "invalid ingress.ports.port (str)": (
        {"ingress": [{"ports": [{"protocol": "TCP", "port": "!@#$"}]}]},
        '\n* spec.ingress[0].ports[0].port: Invalid value: "!@#$": must contain only '
        "alpha-numeric characters (a-z, 0-9), and hyphens (-)"
        '\n* spec.ingress[0].ports[0].port: Invalid value: "!@#$": must contain at least one '
        "letter (a-z)",
    ),
    "invalid ingress.from.podSelector": (
        {"ingress": [{"from": [{"podSelector": INVALID_SELECTOR}]}]},
        "spec.ingress[0].from[0].podSelector.matchLabels: Invalid value: "
        '"NoUppercaseOrSpecialCharsLike=Equals": ' + BAD_KEY,
    ),
    "invalid egress.to.namespaceSelector": (
        {"egress": [{"to": [{"namespaceSelector": INVALID_SELECTOR}]}]},
        "spec.egress[0].to[0].namespaceSelector.matchLabels: Invalid value: "
        '"NoUppercaseOrSpecialCharsLike=Equals": ' + BAD_KEY,
    ),
    "missing cidr field": (
        {"ingress": [{"from": [{"ipBlock": {"cidr": ""}}]}]},
        "spec.ingress[0].from[0].ipBlock.cidr: Required value",
    ),
    "invalid cidr format": (
        {"ingress": [{"from": [{"ipBlock": {"cidr": "192.168.5.6", "except": ["nope"]}}]}]},
        'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "192.168.5.6": ' + BAD_CIDR,
    ),
    "prefix too long": (
        {"egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/33"}}]}]},
        'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": ' + BAD_CIDR,
    ),
    "except field is an empty string": (
        {"ingress": [{"from": [{"ipBlock": {"cidr": "192.168.8.0/24", "except": [""]}}]}]},
        'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "": ' + BAD_CIDR,
    ),
    "except IP is outside of CIDR range": (
        {
            "ingress": [
                {"from": [{"ipBlock": {"cidr": "192.168.8.0/24", "except": ["192.168.9.1/24"]}}]}
            ]
        },
        'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.9.1/24": '
        "must be a strict subset of `cidr`",
    ),
    "except IP is not strictly within CIDR range": (
        {
            "ingress": [
                {"from": [{"ipBlock": {"cidr": "192.168.0.0/24", "except": ["192.168.0.0/24"]}}]}
            ]
        },
        'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/24": '
        "must be a strict subset of `cidr`",
    ),
    "except of another family": (
        {"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["::a00:0/120"]}}]}]},
        'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "::a00:0/120": '
        "must be a strict subset of `cidr`",
    ),
    "ipBlock with a selector": (
        {"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "namespaceSelector": {}}]}]},
        "spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer",
    ),
    "missing from peer": (
        {"ingress": [{"from": [{}]}]},
        "spec.ingress[0].from[0]: Required value: must specify a peer",
    ),
    "endPort without port": (
        {"egress": [{"ports": [{"endPort": 81}]}]},
        "spec.egress[0].ports[0].endPort: Invalid value: 81: may not be specified when "
        "`port` is not specified",
    ),
    "endPort with a named port": (
        {"ingress": [{"ports": [{"port": "http", "endPort": 81}]}]},
        "spec.ingress[0].ports[0].endPort: Invalid value: 81: may not be specified when "
        "`port` is non-numeric",
    ),
    # v1.33 shows port's value, not endPort's (changed later by kubernetes PR #137960).
    "endPort smaller than port": (
        {"ingress": [{"ports": [{"port": 81, "endPort": 80}]}]},
        "spec.ingress[0].ports[0].endPort: Invalid value: 81: must be greater than or equal "
        "to `port`",
    ),
    "endPort out of range": (
        {"ingress": [{"ports": [{"port": 80, "endPort": 70000}]}]},
        "spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, "
        "inclusive",
    ),
    "invalid policyTypes": (
        {"policyTypes": ["Both"]},
        'spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"',
    ),
    "too many policyTypes": (
        {"policyTypes": ["Ingress", "Egress", "Ingress"]},
        'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", '
        '"Ingress"}: may not specify more than two policyTypes',
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_upstream_error_cases_are_refused_with_upstreams_words(cluster: Cluster, name: str) -> None:
    spec, message = ERRORS[name]
    spec = {"podSelector": {}, **spec}
    assert refusal(cluster, netpol(**spec)) == INVALID + message


def test_checks_run_in_upstreams_order(cluster: Cluster) -> None:
    spec = {
        "podSelector": {},
        "ingress": [{"from": [{}], "ports": [{"port": 0}]}],
        "egress": [{"to": [{"ipBlock": {"cidr": "x"}}]}],
        "policyTypes": ["Sideways"],
    }
    assert refusal(cluster, netpol(**spec)) == (
        INVALID + "\n"
        "* spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, "
        "inclusive\n"
        "* spec.ingress[0].from[0]: Required value: must specify a peer\n"
        '* spec.egress[0].to[0].ipBlock.cidr: Invalid value: "x": ' + BAD_CIDR + "\n"
        '* spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", '
        '"Egress"'
    )


def test_bad_name_is_refused(cluster: Cluster) -> None:
    assert refusal(cluster, netpol("Foo", podSelector={})) == (
        'The NetworkPolicy "Foo" is invalid: metadata.name: Invalid value: "Foo": a lowercase '
        "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
        "must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
        "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )


def test_defaults_are_stored_and_shown(cluster: Cluster, tmp_path) -> None:
    manifest = tmp_path / "np.yaml"
    manifest.write_text(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata:\n  name: x\n"
        "spec:\n"
        "  podSelector: {matchLabels: {app: web}}\n"
        "  ingress:\n  - ports: [{port: 80}, {protocol: UDP, port: 53}]\n"
        "  egress:\n  - ports: [{port: 443}]\n"
    )
    assert cluster.kubectl(f"apply -f {manifest}") == "networkpolicy.networking.k8s.io/x created"
    shown = cluster.kubectl("get netpol x -o yaml")
    assert "  generation: 1\n" in shown
    assert (
        "  egress:\n  - ports:\n    - port: 443\n      protocol: TCP\n"
        "  ingress:\n  - ports:\n    - port: 80\n      protocol: TCP\n"
        "    - port: 53\n      protocol: UDP\n"
    ) in shown
    assert shown.endswith("  policyTypes:\n  - Ingress\n  - Egress")


def test_an_omitted_pod_selector_is_stored_empty(cluster: Cluster) -> None:
    cluster.create(netpol())
    assert cluster.get("NetworkPolicy", "foo")["spec"] == {
        "podSelector": {},
        "policyTypes": ["Ingress"],
    }
    assert "  podSelector: {}\n" in cluster.kubectl("get netpol foo -o yaml")


@pytest.mark.parametrize(
    ("spec", "types"),
    [
        ({}, ["Ingress"]),
        ({"egress": []}, ["Ingress"]),  # an empty egress list has length 0
        ({"egress": [{}]}, ["Ingress", "Egress"]),
        ({"policyTypes": ["Egress"]}, ["Egress"]),
    ],
)
def test_policy_types_default(cluster: Cluster, spec: dict, types: list[str]) -> None:
    cluster.create(netpol(podSelector={}, **spec))
    assert cluster.get("NetworkPolicy", "foo")["spec"]["policyTypes"] == types


def test_generation_follows_the_spec(cluster: Cluster) -> None:
    cluster.create(netpol(podSelector={}))
    stored = cluster.get("NetworkPolicy", "foo")
    stored["metadata"]["labels"] = {"team": "net"}
    cluster.update(stored)
    assert cluster.get("NetworkPolicy", "foo")["metadata"]["generation"] == 1
    stored = cluster.get("NetworkPolicy", "foo")
    stored["spec"]["podSelector"] = AB
    cluster.update(stored)
    assert cluster.get("NetworkPolicy", "foo")["metadata"]["generation"] == 2


def test_update_is_validated(cluster: Cluster) -> None:
    cluster.create(netpol(podSelector={}))
    stored = cluster.get("NetworkPolicy", "foo")
    stored["spec"]["ingress"] = [{"from": [{}]}]
    assert refusal(cluster, stored, update=True) == (
        INVALID + "spec.ingress[0].from[0]: Required value: must specify a peer"
    )
