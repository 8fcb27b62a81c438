"""Upstream's netpol e2e cases through `c.reachability`: namespaces x, y, z by pods a, b, c.

Each case reproduces one `f.It` of kubernetes/kubernetes test/e2e/network/netpol/network_policy.go
@ v1.33.0: its policy and its expected truth table (`NewReachability(..., true)` then the
`Expect*` calls). Namespaces are selected with `kubernetes.io/metadata.name` (`namespaceLabelKey`
there) and pods carry `pod: <name>` (model.go). As upstream, the diagonal is not compared
(`ignoreLoopback`, probe.go).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pytest

from kubenet_nb import Cluster

NAMESPACES = ("x", "y", "z")
PODS = ("a", "b", "c")
NS_KEY = "kubernetes.io/metadata.name"
ALL = [f"{ns}/{pod}" for ns in NAMESPACES for pod in PODS]


def _world() -> Cluster:
    c = Cluster()
    for ns in NAMESPACES:
        c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        for pod in PODS:
            c.create(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": pod, "namespace": ns, "labels": {"pod": pod}},
                    "spec": {
                        "containers": [
                            {
                                "name": f"cont-{port}-tcp",
                                "image": "registry.k8s.io/e2e-test-images/agnhost:2.53",
                                "ports": [{"containerPort": port, "name": f"serve-{port}-tcp"}],
                            }
                            for port in (80, 81)
                        ]
                    },
                }
            )
    return c


@pytest.fixture
def world() -> Cluster:
    return _world()


def _policy(name: str, namespace: str, spec: dict) -> dict:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


def _expected(
    denied: Iterable[tuple[str, str]] = (), allowed: Iterable[tuple[str, str]] = ()
) -> pd.DataFrame:
    frame = pd.DataFrame(True, index=ALL, columns=ALL)
    for src, dst in denied:
        frame.loc[src, dst] = False
    for src, dst in allowed:
        frame.loc[src, dst] = True
    return frame


def _into(dst: str, allowed_from: Iterable[str] = ()) -> dict[str, set[tuple[str, str]]]:
    """Expect every source denied into dst except `allowed_from` (ExpectAllIngress + Expect)."""
    return {"denied": {(s, dst) for s in ALL}, "allowed": {(s, dst) for s in allowed_from}}


def _check(c: Cluster, expected: pd.DataFrame, port: int = 80, protocol: str = "TCP") -> None:
    got = c.reachability(port=port, protocol=protocol).loc[ALL, ALL]
    for name in ALL:  # ignoreLoopback
        got.loc[name, name] = expected.loc[name, name]
    pd.testing.assert_frame_equal(got, expected.astype(bool), check_names=False)


def test_without_policies_everything_is_reachable(world: Cluster) -> None:
    frame = world.reachability()
    assert frame.loc[ALL, ALL].all().all()
    assert frame.index.name == "from"
    assert frame.columns.name == "to"


def test_namespace_argument_narrows_both_sides(world: Cluster) -> None:
    frame = world.reachability(namespace="y")
    assert list(frame.index) == ["y/a", "y/b", "y/c"] == list(frame.columns)


def test_deny_all_ingress(world: Cluster) -> None:
    # "should support a 'default-deny-ingress' policy"
    world.create(_policy("deny-ingress", "x", {"podSelector": {}, "ingress": []}))
    expected = _expected({(s, f"x/{p}") for s in ALL for p in PODS})
    _check(world, expected)


def test_deny_all_egress(world: Cluster) -> None:
    # "should support a 'default-deny-all' policy" (Ingress and Egress, no rules)
    world.create(
        _policy("deny-all", "x", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    )
    denied = {(s, f"x/{p}") for s in ALL for p in PODS} | {(f"x/{p}", d) for p in PODS for d in ALL}
    _check(world, _expected(denied))


def test_pod_selector_allows_same_namespace_pod(world: Cluster) -> None:
    # "should enforce policy to allow traffic from pods within server namespace based on
    # PodSelector"; also "... based on PodSelector with MatchExpressions" (same table)
    rule = {"from": [{"podSelector": {"matchLabels": {"pod": "b"}}}]}
    world.create(
        _policy(
            "x-a-allows-x-b", "x", {"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [rule]}
        )
    )
    _check(world, _expected(**_into("x/a", {"x/b"})))


def test_allow_ingress_for_a_target(world: Cluster) -> None:
    # "should enforce policy to allow ingress traffic for a target"
    world.create(_policy("deny-all", "x", {"podSelector": {}, "ingress": []}))
    peer = {"podSelector": {}, "namespaceSelector": {}}
    world.create(
        _policy(
            "allow-all-to-a",
            "x",
            {"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [{"from": [peer]}]},
        )
    )
    denied = {(s, d) for s in ALL for d in ("x/b", "x/c")}
    _check(world, _expected(denied))


def test_namespace_selector_allows_only_another_namespace(world: Cluster) -> None:
    # "should enforce policy to allow traffic only from a different namespace, based on
    # NamespaceSelector"
    peer = {"namespaceSelector": {"matchLabels": {NS_KEY: "y"}}}
    world.create(
        _policy(
            "allow-client-a-via-ns-selector",
            "x",
            {"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [{"from": [peer]}]},
        )
    )
    _check(world, _expected(**_into("x/a", {"y/a", "y/b", "y/c"})))


def test_pod_selector_or_namespace_selector(world: Cluster) -> None:
    # "should enforce policy based on PodSelector or NamespaceSelector"
    peers = [
        {
            "namespaceSelector": {
                "matchExpressions": [{"key": NS_KEY, "operator": "NotIn", "values": ["x"]}]
            }
        },
        {"podSelector": {"matchLabels": {"pod": "b"}}},
    ]
    world.create(
        _policy(
            "allow-ns-y-match-selector",
            "x",
            {"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [{"from": peers}]},
        )
    )
    _check(world, _expected({("x/a", "x/a"), ("x/c", "x/a")}))


def test_pod_selector_and_namespace_selector(world: Cluster) -> None:
    # "should enforce policy based on PodSelector and NamespaceSelector"
    peer = {
        "namespaceSelector": {
            "matchExpressions": [{"key": NS_KEY, "operator": "NotIn", "values": ["x"]}]
        },
        "podSelector": {"matchLabels": {"pod": "b"}},
    }
    world.create(
        _policy(
            "allow-ns-y-podselector-and-nsselector",
            "x",
            {"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [{"from": [peer]}]},
        )
    )
    _check(world, _expected(**_into("x/a", {"y/b", "z/b"})))


def test_multiple_pod_selectors_and_namespace_selectors(world: Cluster) -> None:
    # "should enforce policy based on Multiple PodSelectors and NamespaceSelectors"
    peer = {
        "namespaceSelector": {
            "matchExpressions": [{"key": NS_KEY, "operator": "NotIn", "values": ["x"]}]
        },
        "podSelector": {
            "matchExpressions": [{"key": "pod", "operator": "In", "values": ["b", "c"]}]
        },
    }
    world.create(
        _policy(
            "allow-ns-y-z-pod-b-c",
            "x",
            {"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [{"from": [peer]}]},
        )
    )
    denied = {(f"x/{p}", "x/a") for p in PODS} | {("y/a", "x/a"), ("z/a", "x/a")}
    _check(world, _expected(denied))


def test_ingress_on_port_81_only(world: Cluster) -> None:
    # "should enforce policy based on Ports": ingress to x/a from namespace y on TCP 81 only;
    # probed on 80 everything into x/a is denied, on 81 namespace y gets in
    peer = {"namespaceSelector": {"matchLabels": {NS_KEY: "y"}}}
    world.create(
        _policy(
            "allow-ingress-on-port-81-ns-x",
            "x",
            {
                "podSelector": {"matchLabels": {"pod": "a"}},
                "ingress": [{"from": [peer], "ports": [{"port": 81, "protocol": "TCP"}]}],
            },
        )
    )
    _check(world, _expected(**_into("x/a")), port=80)
    _check(world, _expected(**_into("x/a", {"y/a", "y/b", "y/c"})), port=81)


def test_named_port_ingress(world: Cluster) -> None:
    # "should allow ingress access on one named port": serve-81-tcp allows everyone on 81,
    # nobody on 80
    world.create(
        _policy(
            "allow-all-ingress-on-named-port",
            "x",
            {"podSelector": {}, "ingress": [{"ports": [{"port": "serve-81-tcp"}]}]},
        )
    )
    denied = {(s, f"x/{p}") for s in ALL for p in PODS}
    _check(world, _expected(), port=81)
    _check(world, _expected(denied), port=80)


def test_named_port_egress(world: Cluster) -> None:
    # "should allow egress access on one named port": x's pods may leave on serve-80-tcp only
    world.create(
        _policy(
            "allow-egress-on-named-port",
            "x",
            {
                "podSelector": {},
                "policyTypes": ["Egress"],  # SetSpecEgressRules (policies.go) adds only Egress
                "egress": [{"ports": [{"port": "serve-80-tcp"}]}],
            },
        )
    )
    denied = {(f"x/{p}", d) for p in PODS for d in ALL}
    _check(world, _expected(), port=80)
    _check(world, _expected(denied), port=81)


def test_egress_to_pod_cidr_block(world: Cluster) -> None:
    # "should allow egress access to server in CIDR block": x/a may reach only y/b's IP /32
    ip = world.get("pods", "b", "y")["status"]["podIP"]
    world.create(
        _policy(
            "allow-client-a-via-cidr-egress-rule",
            "x",
            {
                "podSelector": {"matchLabels": {"pod": "a"}},
                "policyTypes": ["Egress"],
                "egress": [{"to": [{"ipBlock": {"cidr": f"{ip}/32"}}]}],
            },
        )
    )
    denied = {("x/a", d) for d in ALL if d != "y/b"}
    _check(world, _expected(denied))


def test_ingress_by_protocol_only(world: Cluster) -> None:
    # "should enforce ingress policy allowing any port traffic to a server on a specific
    # protocol": a TCP-only rule lets TCP in and isolates x/a for UDP
    world.create(
        _policy(
            "allow-ingress-by-proto",
            "x",
            {
                "podSelector": {"matchLabels": {"pod": "a"}},
                "ingress": [{"ports": [{"protocol": "TCP"}]}],
            },
        )
    )
    _check(world, _expected(), protocol="TCP")
    _check(world, _expected(**_into("x/a")), protocol="UDP")


def test_stacked_policies_union(world: Cluster) -> None:
    # "should enforce multiple, stacked policies with overlapping podSelectors"
    peer = {"namespaceSelector": {"matchLabels": {NS_KEY: "y"}}}
    for name, port in (
        ("allow-client-a-via-ns-selector", 81),
        ("allow-client-a-via-ns-selector-80", 80),
    ):
        world.create(
            _policy(
                name,
                "x",
                {
                    "podSelector": {"matchLabels": {"pod": "a"}},
                    "ingress": [{"from": [peer], "ports": [{"port": port, "protocol": "TCP"}]}],
                },
            )
        )
        _check(world, _expected(**_into("x/a", {"y/a", "y/b", "y/c"})), port=port)
    _check(world, _expected(**_into("x/a", {"y/a", "y/b", "y/c"})), port=81)


def test_deny_ingress_from_other_namespaces(world: Cluster) -> None:
    # "should deny ingress from pods on other namespaces"
    world.create(
        _policy(
            "deny-empty-policy",
            "x",
            {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]},
        )
    )
    denied = {(f"{ns}/{s}", f"x/{d}") for ns in ("y", "z") for s in PODS for d in PODS}
    _check(world, _expected(denied))


def test_ingress_and_egress_together(world: Cluster) -> None:
    # "should work with Ingress, Egress specified together"
    world.create(
        _policy(
            "allow-client-a-via-pod-selector",
            "x",
            {
                "podSelector": {"matchLabels": {"pod": "a"}},
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"pod": "b"}}}]}],
                "egress": [{"ports": [{"port": 80}]}],
                "policyTypes": ["Egress", "Ingress"],
            },
        )
    )
    _check(world, _expected(**_into("x/a", {"x/b"})), port=80)
    denied = {(s, "x/a") for s in ALL if s != "x/b"} | {("x/a", d) for d in ALL}
    _check(world, _expected(denied), port=81)


def test_client_side_egress_denies_what_the_server_allows(world: Cluster) -> None:
    # "should support denying of egress traffic on the client side (even if the server
    # explicitly allows this traffic)"
    to_y_a = {
        "namespaceSelector": {"matchLabels": {NS_KEY: "y"}},
        "podSelector": {"matchLabels": {"pod": "a"}},
    }
    world.create(
        _policy(
            "allow-to-ns-y-pod-a",
            "x",
            {
                "podSelector": {"matchLabels": {"pod": "a"}},
                "policyTypes": ["Egress"],
                "egress": [{"to": [to_y_a]}],
            },
        )
    )
    from_x_a = {
        "namespaceSelector": {"matchLabels": {NS_KEY: "x"}},
        "podSelector": {"matchLabels": {"pod": "a"}},
    }
    for pod in ("a", "b"):
        world.create(
            _policy(
                f"allow-from-xa-on-y{pod}-match-selector",
                "y",
                {"podSelector": {"matchLabels": {"pod": pod}}, "ingress": [{"from": [from_x_a]}]},
            )
        )
    denied = ({("x/a", d) for d in ALL} | {(s, "y/a") for s in ALL} | {(s, "y/b") for s in ALL}) - {
        ("x/a", "y/a")
    }
    _check(world, _expected(denied))
