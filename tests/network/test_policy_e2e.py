"""Upstream's netpol e2e cases through `c.reachability`: namespaces x, y, z by pods a, b, c.

Each case reproduces one `f.It` of kubernetes/kubernetes test/e2e/network/netpol/network_policy.go
@ v1.33.0, quoted by its title: its policies as policies.go builds them (`SetSpecIngressRules` adds
policyType Ingress, `SetSpecEgressRules` Egress, in call order), the pods and Services that
`initializeResources(ctx, f, protocols, ports)` makes (model.go: a container per port and
protocol, `cont-<port>-<proto>` serving the named port `serve-<port>-<proto>`, label `pod: <name>`,
and one Service `s-<ns>-<pod>` per pod; kubemanager.go: namespaces with no labels but
`kubernetes.io/metadata.name`), and its truth table (`NewReachability(..., true)` then the
`Expect*` calls, reachability.go). As upstream, the diagonal is not compared (`ignoreLoopback` in
network_policy.go, skipped by `Reachability.Summary`).

Each table is checked twice: by `c.reachability` (policies judged on the destination pod's IP),
and as upstream probes (probe.go, `addrTo: job.PodTo.ServiceIP`): a connection from each pod to
each pod's Service ClusterIP through the packet walk, so that the verdicts come after
kube-proxy's DNAT, where kind's policy hook sits.
"""

from __future__ import annotations

import ipaddress

import pandas as pd
import pytest

from kubenet_nb import Cluster
from tests.network.netpol_world import ALL, e2e_world

NS_KEY = "kubernetes.io/metadata.name"


@pytest.fixture
def world() -> Cluster:
    return e2e_world()


def _policy(
    name: str,
    namespace: str,
    pod_selector: dict,
    ingress: list[dict] | None = None,
    egress: list[dict] | None = None,
) -> dict:
    """`GenNetworkPolicyWithName...` with `SetSpecIngressRules`/`SetSpecEgressRules`: a rules
    list given (even empty) sets that direction and adds its policyType, Ingress first."""
    spec: dict = {"podSelector": pod_selector, "policyTypes": []}
    if ingress is not None:
        spec["ingress"] = ingress
        spec["policyTypes"].append("Ingress")
    if egress is not None:
        spec["egress"] = egress
        spec["policyTypes"].append("Egress")
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


def _labels(**labels: str) -> dict:
    """`GenNetworkPolicyWithNameAndPodMatchLabel`'s selector: `matchLabels` even when empty."""
    return {"matchLabels": labels}


def _ns(name: str) -> dict:
    """A namespaceSelector on `kubernetes.io/metadata.name` (`namespaceLabelKey`)."""
    return {"matchLabels": {NS_KEY: name}}


def _not_in_x() -> dict:
    """Every namespace but x, by `namespaceLabelKey NotIn [x]`."""
    return {"matchExpressions": [{"key": NS_KEY, "operator": "NotIn", "values": ["x"]}]}


def _pod_ip(c: Cluster, ns: str, pod: str) -> str:
    """`pod.Status.PodIP`, as the CIDR cases read it."""
    return c.get("pods", pod, ns)["status"]["podIP"]


def _host(ip: str) -> str:
    """The pod IP as a host CIDR: /32, or /128 when `utilnet.IsIPv6String`."""
    return f"{ip}/{128 if ipaddress.ip_address(ip).version == 6 else 32}"


def _matches(peer: str, pod: str) -> bool:
    """`Peer.Matches`: "" any pod, "x" any pod in x, "x/a" that pod."""
    return peer in ("", pod) or pod.startswith(f"{peer}/")


class Truth:
    """Upstream's `Reachability`: every pair expected connected, then the `Expect*` calls."""

    def __init__(self) -> None:
        self.frame = pd.DataFrame(True, index=ALL, columns=ALL)

    def expect(self, src: str, dst: str, connected: bool) -> Truth:
        self.frame.loc[src, dst] = connected
        return self

    def all_ingress(self, dst: str, connected: bool) -> Truth:
        self.frame.loc[:, dst] = connected
        return self

    def all_egress(self, src: str, connected: bool) -> Truth:
        self.frame.loc[src, :] = connected
        return self

    def peer(self, src: str, dst: str, connected: bool) -> Truth:
        for s in ALL:
            for d in ALL:
                if _matches(src, s) and _matches(dst, d):
                    self.frame.loc[s, d] = connected
        return self


def _probe(c: Cluster, port: int, protocol: str) -> pd.DataFrame:
    """probe.go's way: each pod connects to each pod's Service ClusterIP (`addrTo:
    job.PodTo.ServiceIP`), through kube-proxy's DNAT and the policy hooks of the packet walk."""
    frame = pd.DataFrame(True, index=ALL, columns=ALL)
    for dst in ALL:
        ns, pod = dst.split("/")
        ip = c.get("services", f"s-{ns}-{pod}", ns)["spec"]["clusterIP"]
        for src in ALL:
            sent = c.send(src, f"{ip}:{port}", n=1, protocol=protocol, seed=1)
            frame.loc[src, dst] = bool(sent.loc[sent["verdict"] == "delivered", "count"].sum())
    return frame


def _check(c: Cluster, truth: Truth, port: int = 80, protocol: str = "TCP") -> None:
    """`ValidateOrFail`: the matrix on `port`/`protocol` equals the truth table, loopback aside,
    and so do the probes through each pod's Service."""
    expected = truth.frame.astype(bool)
    for got in (
        c.reachability(port=port, protocol=protocol).loc[ALL, ALL],
        _probe(c, port, protocol),
    ):
        for name in ALL:
            got.loc[name, name] = expected.loc[name, name]
        pd.testing.assert_frame_equal(got, expected, check_names=False)


def _replace(c: Cluster, policy: dict) -> None:
    """`UpdatePolicy`: PUT the policy object as the test now holds it."""
    current = c.get("networkpolicies", policy["metadata"]["name"], policy["metadata"]["namespace"])
    c.update({**policy, "metadata": current["metadata"]})


def test_without_policies_everything_is_reachable(world: Cluster) -> None:
    frame = world.reachability()
    assert frame.loc[ALL, ALL].all().all()
    assert frame.index.name == "from"
    assert frame.columns.name == "to"


def test_namespace_argument_narrows_both_sides(world: Cluster) -> None:
    frame = world.reachability(namespace="y")
    assert list(frame.index) == ["y/a", "y/b", "y/c"] == list(frame.columns)


# Context "NetworkPolicy between server and client" (TCP)


def test_default_deny_ingress(world: Cluster) -> None:
    # "should support a 'default-deny-ingress' policy"
    world.create(_policy("deny-ingress", "x", {}, ingress=[]))
    _check(world, Truth().peer("", "x", False))


def test_default_deny_all(world: Cluster) -> None:
    # "should support a 'default-deny-all' policy"
    world.create(_policy("deny-all", "x", {}, ingress=[], egress=[]))
    _check(world, Truth().peer("", "x", False).peer("x", "", False))


@pytest.mark.parametrize(
    "allowed_pods",
    [
        # "should enforce policy to allow traffic from pods within server namespace based on
        # PodSelector"
        {"matchLabels": {"pod": "b"}},
        # "should enforce policy based on PodSelector with MatchExpressions"
        {"matchExpressions": [{"key": "pod", "operator": "In", "values": ["b"]}]},
    ],
    ids=["match-labels", "match-expressions"],
)
def test_pod_selector_allows_same_namespace_pod(world: Cluster, allowed_pods: dict) -> None:
    rule = {"from": [{"podSelector": allowed_pods}]}
    world.create(_policy("x-a-allows-x-b", "x", _labels(pod="a"), ingress=[rule]))
    _check(world, Truth().all_ingress("x/a", False).expect("x/b", "x/a", True))


def test_allow_ingress_for_a_target(world: Cluster) -> None:
    # "should enforce policy to allow ingress traffic for a target"
    world.create(_policy("deny-all", "x", {}, ingress=[]))
    rule: dict = {"from": [{"podSelector": {}, "namespaceSelector": {}}]}
    world.create(_policy("allow-all-to-a", "x", _labels(pod="a"), ingress=[rule]))
    truth = Truth().all_ingress("x/a", True).all_ingress("x/b", False).all_ingress("x/c", False)
    _check(world, truth)


def test_allow_ingress_from_pods_in_all_namespaces(world: Cluster) -> None:
    # "should enforce policy to allow ingress traffic from pods in all namespaces"
    rule: dict = {"from": [{"namespaceSelector": {"matchLabels": {}}}]}
    world.create(_policy("allow-from-another-ns", "x", _labels(pod="a"), ingress=[rule]))
    _check(world, Truth())


@pytest.mark.parametrize(
    ("name", "namespaces"),
    [
        # "should enforce policy to allow traffic only from a different namespace, based on
        # NamespaceSelector"
        ("allow-client-a-via-ns-selector", _ns("y")),
        # "should enforce policy based on NamespaceSelector with MatchExpressions"
        (
            "allow-ns-y-match-selector",
            {"matchExpressions": [{"key": NS_KEY, "operator": "In", "values": ["y"]}]},
        ),
        # "should enforce policy to allow traffic based on NamespaceSelector with MatchLabels
        # using default ns label"
        ("allow-client-a-via-ns-selector-for-immutable-ns-label", _ns("y")),
    ],
    ids=["match-labels", "match-expressions", "default-ns-label"],
)
def test_namespace_selector_allows_only_another_namespace(
    world: Cluster, name: str, namespaces: dict
) -> None:
    rule = {"from": [{"namespaceSelector": namespaces}]}
    world.create(_policy(name, "x", _labels(pod="a"), ingress=[rule]))
    _check(world, Truth().peer("x", "x/a", False).peer("z", "x/a", False))


def test_pod_selector_or_namespace_selector(world: Cluster) -> None:
    # "should enforce policy based on PodSelector or NamespaceSelector"
    rule = {"from": [{"namespaceSelector": _not_in_x()}, {"podSelector": _labels(pod="b")}]}
    world.create(_policy("allow-ns-y-match-selector", "x", _labels(pod="a"), ingress=[rule]))
    _check(world, Truth().expect("x/a", "x/a", False).expect("x/c", "x/a", False))


def test_pod_selector_and_namespace_selector(world: Cluster) -> None:
    # "should enforce policy based on PodSelector and NamespaceSelector"
    rule = {"from": [{"namespaceSelector": _not_in_x(), "podSelector": _labels(pod="b")}]}
    world.create(
        _policy("allow-ns-y-podselector-and-nsselector", "x", _labels(pod="a"), ingress=[rule])
    )
    truth = Truth().all_ingress("x/a", False).expect("y/b", "x/a", True).expect("z/b", "x/a", True)
    _check(world, truth)


def test_multiple_pod_selectors_and_namespace_selectors(world: Cluster) -> None:
    # "should enforce policy based on Multiple PodSelectors and NamespaceSelectors"
    pods = {"matchExpressions": [{"key": "pod", "operator": "In", "values": ["b", "c"]}]}
    rule = {"from": [{"namespaceSelector": _not_in_x(), "podSelector": pods}]}
    world.create(_policy("allow-ns-y-z-pod-b-c", "x", _labels(pod="a"), ingress=[rule]))
    truth = Truth().peer("x", "x/a", False).expect("y/a", "x/a", False).expect("z/a", "x/a", False)
    _check(world, truth)


def test_any_pod_selectors(world: Cluster) -> None:
    # "should enforce policy based on any PodSelectors"
    rule = {"from": [{"podSelector": _labels(pod="b")}, {"podSelector": _labels(pod="c")}]}
    world.create(_policy("allow-ns-x-pod-b-c", "x", _labels(pod="a"), ingress=[rule]))
    truth = Truth().all_ingress("x/a", False).expect("x/b", "x/a", True).expect("x/c", "x/a", True)
    _check(world, truth)


@pytest.mark.parametrize("protocol", ["TCP", "UDP", "SCTP"])
def test_pod_in_another_namespace_by_pod_and_namespace_selector(protocol: str) -> None:
    # "should enforce policy to allow traffic only from a pod in a different namespace based on
    # PodSelector and NamespaceSelector", in the TCP, UDP and SCTP contexts
    c = e2e_world(protocols=(protocol,))
    rule = {"from": [{"namespaceSelector": _ns("y"), "podSelector": _labels(pod="a")}]}
    c.create(
        _policy(
            "allow-ns-y-pod-a-via-namespace-pod-selector", "x", _labels(pod="a"), ingress=[rule]
        )
    )
    _check(c, Truth().all_ingress("x/a", False).expect("y/a", "x/a", True), protocol=protocol)


@pytest.mark.parametrize(
    ("protocol", "name"),
    [
        ("TCP", "allow-client-a-via-ns-selector"),
        ("UDP", "allow-ingress-on-port-81-ns-x"),
        ("SCTP", "allow-ingress-on-port-81-ns-x"),
    ],
)
def test_ingress_on_port_81_only(protocol: str, name: str) -> None:
    # "should enforce policy based on Ports", in the TCP, UDP and SCTP contexts: ingress to x/a
    # from namespace y on port 81 only, probed on 81 (the only port served)
    c = e2e_world(protocols=(protocol,), ports=(81,))
    rule = {
        "from": [{"namespaceSelector": _ns("y")}],
        "ports": [{"port": 81, "protocol": protocol}],
    }
    c.create(_policy(name, "x", _labels(pod="a"), ingress=[rule]))
    truth = Truth().peer("x", "x/a", False).peer("y", "x/a", True).peer("z", "x/a", False)
    _check(c, truth, port=81, protocol=protocol)


def test_stacked_policies_union() -> None:
    # "should enforce multiple, stacked policies with overlapping podSelectors": y may reach x/a
    # on 81; then a second policy on the same pods adds 80
    c = e2e_world(ports=(80, 81))

    def from_y_on(port: int) -> list[dict]:
        return [
            {
                "from": [{"namespaceSelector": _ns("y")}],
                "ports": [{"port": port, "protocol": "TCP"}],
            }
        ]

    allow = Truth().peer("x", "x/a", False).peer("y", "x/a", True).peer("z", "x/a", False)
    c.create(
        _policy("allow-client-a-via-ns-selector", "x", _labels(pod="a"), ingress=from_y_on(81))
    )
    _check(c, allow, port=81)
    _check(c, Truth().all_ingress("x/a", False), port=80)
    c.create(
        _policy("allow-client-a-via-ns-selector-80", "x", _labels(pod="a"), ingress=from_y_on(80))
    )
    _check(c, allow, port=80)


def test_allow_all_policy() -> None:
    # "should support allow-all policy"
    c = e2e_world(ports=(80, 81))
    c.create(_policy("allow-all", "x", _labels(), ingress=[{}]))
    _check(c, Truth(), port=80)
    _check(c, Truth(), port=81)


def test_named_port_ingress() -> None:
    # "should allow ingress access on one named port": serve-81-tcp lets everyone in on 81,
    # nobody on 80
    c = e2e_world(ports=(80, 81))
    c.create(_policy("allow-all", "x", _labels(), ingress=[{"ports": [{"port": "serve-81-tcp"}]}]))
    _check(c, Truth(), port=81)
    _check(c, Truth().peer("", "x", False), port=80)


def test_named_port_ingress_from_namespace() -> None:
    # "should allow ingress access from namespace on one named port"
    c = e2e_world(ports=(80, 81))
    rule = {
        "from": [{"namespaceSelector": _ns("y")}],
        "ports": [{"port": "serve-80-tcp", "protocol": "TCP"}],
    }
    c.create(_policy("allow-client-a-via-ns-selector-80", "x", _labels(pod="a"), ingress=[rule]))
    _check(c, Truth().peer("x", "x/a", False).peer("z", "x/a", False), port=80)
    _check(c, Truth().all_ingress("x/a", False), port=81)


def test_named_port_egress() -> None:
    # "should allow egress access on one named port": x's pods may leave on serve-80-tcp only
    c = e2e_world(ports=(80, 81))
    c.create(
        _policy("allow-egress", "x", _labels(), egress=[{"ports": [{"port": "serve-80-tcp"}]}])
    )
    _check(c, Truth(), port=80)
    _check(c, Truth().peer("x", "", False), port=81)


def test_updated_policy() -> None:
    # "should enforce updated policy": allow-all, then the same policy with no ingress rules
    c = e2e_world(ports=(81,))
    policy = _policy("allow-all-mutate-to-deny-all", "x", _labels(), ingress=[{}])
    c.create(policy)
    _check(c, Truth(), port=81)
    policy["spec"]["ingress"] = []
    _replace(c, policy)
    _check(c, Truth().peer("", "x", False), port=81)


def test_ingress_from_updated_namespace(world: Cluster) -> None:
    # "should allow ingress access from updated namespace"
    rule = {"from": [{"namespaceSelector": _labels(ns2="updated")}]}
    world.create(_policy("allow-client-a-via-ns-selector", "x", _labels(pod="a"), ingress=[rule]))
    _check(world, Truth().all_ingress("x/a", False))
    world.kubectl("label namespace y ns2=updated")
    _check(world, Truth().all_ingress("x/a", False).peer("y", "", True))


def test_ingress_from_updated_pod(world: Cluster) -> None:
    # "should allow ingress access from updated pod"
    rule = {"from": [{"podSelector": _labels(pod="b", pod2="updated")}]}
    world.create(_policy("allow-client-a-via-pod-selector", "x", _labels(pod="a"), ingress=[rule]))
    _check(world, Truth().all_ingress("x/a", False))
    world.kubectl("label pod b -n x pod2=updated")
    _check(world, Truth().all_ingress("x/a", False).expect("x/b", "x/a", True))


def test_deny_ingress_from_other_namespaces(world: Cluster) -> None:
    # "should deny ingress from pods on other namespaces"
    rule = {"from": [{"podSelector": _labels()}]}
    world.create(_policy("deny-empty-policy", "x", {}, ingress=[rule]))
    _check(world, Truth().peer("y", "x", False).peer("z", "x", False))


def test_deny_ingress_to_updated_pod(world: Cluster) -> None:
    # "should deny ingress access to updated pod"
    world.create(_policy("deny-ingress-via-label-selector", "x", _labels(target="isolated"), []))
    _check(world, Truth())
    world.kubectl("label pod a -n x target=isolated")
    _check(world, Truth().all_ingress("x/a", False))


def test_deny_egress_from_pod_selector(world: Cluster) -> None:
    # "should deny egress from pods based on PodSelector"
    world.create(_policy("deny-egress-pod-a", "x", _labels(pod="a"), egress=[]))
    _check(world, Truth().all_egress("x/a", False))


def test_deny_egress_from_all_pods_in_a_namespace(world: Cluster) -> None:
    # "should deny egress from all pods in a namespace"
    world.create(_policy("deny-egress-ns-x", "x", {}, egress=[]))
    _check(world, Truth().peer("x", "", False))


def test_ingress_and_egress_together() -> None:
    # "should work with Ingress, Egress specified together": SetSpecIngressRules, then Egress
    # set by hand and policyTypes replaced by [Egress, Ingress]
    c = e2e_world(ports=(80, 81))
    policy = _policy(
        "allow-client-a-via-pod-selector",
        "x",
        _labels(pod="a"),
        ingress=[{"from": [{"podSelector": _labels(pod="b")}]}],
    )
    policy["spec"]["egress"] = [{"ports": [{"port": 80}]}]
    policy["spec"]["policyTypes"] = ["Egress", "Ingress"]
    c.create(policy)
    _check(c, Truth().all_ingress("x/a", False).expect("x/b", "x/a", True), port=80)
    truth = Truth().all_ingress("x/a", False).all_egress("x/a", False)
    _check(c, truth.expect("x/b", "x/a", True), port=81)


def test_client_side_egress_denies_what_the_server_allows(world: Cluster) -> None:
    # "should support denying of egress traffic on the client side (even if the server
    # explicitly allows this traffic)"
    to_y_a = {"namespaceSelector": _ns("y"), "podSelector": _labels(pod="a")}
    world.create(_policy("allow-to-ns-y-pod-a", "x", _labels(pod="a"), egress=[{"to": [to_y_a]}]))
    from_x_a = {"namespaceSelector": _ns("x"), "podSelector": _labels(pod="a")}
    for pod in ("a", "b"):
        world.create(
            _policy(
                f"allow-from-xa-on-y{pod}-match-selector",
                "y",
                _labels(pod=pod),
                ingress=[{"from": [from_x_a]}],
            )
        )
    truth = Truth().peer("x/a", "", False).peer("", "y/a", False)
    _check(world, truth.peer("x/a", "y/a", True).peer("", "y/b", False))


def test_egress_to_pod_in_another_namespace(world: Cluster) -> None:
    # "should enforce egress policy allowing traffic to a server in a different namespace based
    # on PodSelector and NamespaceSelector"
    to_y_a = {"namespaceSelector": _ns("y"), "podSelector": _labels(pod="a")}
    world.create(_policy("allow-to-ns-y-pod-a", "x", _labels(pod="a"), egress=[{"to": [to_y_a]}]))
    _check(world, Truth().all_egress("x/a", False).expect("x/a", "y/a", True))


def test_ingress_by_protocol_only() -> None:
    # "should enforce ingress policy allowing any port traffic to a server on a specific
    # protocol": a TCP-only rule lets TCP in and isolates x/a for UDP
    c = e2e_world(protocols=("TCP", "UDP"))
    c.create(
        _policy(
            "allow-ingress-by-proto",
            "x",
            _labels(pod="a"),
            ingress=[{"ports": [{"protocol": "TCP"}]}],
        )
    )
    _check(c, Truth(), protocol="TCP")
    _check(c, Truth().peer("", "x/a", False), protocol="UDP")


def test_ingress_allow_all_takes_precedence() -> None:
    # "should enforce multiple ingress policies with ingress allow-all policy taking precedence"
    c = e2e_world(ports=(81,))
    c.create(_policy("allow-ingress-port-80", "x", _labels(), ingress=[{"ports": [{"port": 80}]}]))
    _check(c, Truth().peer("", "x", False), port=81)
    c.create(_policy("allow-ingress", "x", _labels(), ingress=[{}]))
    _check(c, Truth(), port=81)


def test_egress_allow_all_takes_precedence() -> None:
    # "should enforce multiple egress policies with egress allow-all policy taking precedence"
    c = e2e_world(ports=(81,))
    c.create(_policy("allow-egress-port-80", "x", _labels(), egress=[{"ports": [{"port": 80}]}]))
    _check(c, Truth().peer("x", "", False), port=81)
    c.create(_policy("allow-egress", "x", _labels(), egress=[{}]))
    _check(c, Truth(), port=81)


def test_policies_stop_after_deletion(world: Cluster) -> None:
    # "should stop enforcing policies after they are deleted"
    world.create(_policy("deny-all", "x", {}, ingress=[], egress=[]))
    _check(world, Truth().peer("x", "", False).peer("", "x", False))
    world.delete("networkpolicies", "deny-all", "x")  # cleanNetworkPolicies
    _check(world, Truth())


def test_egress_to_pod_cidr_block(world: Cluster) -> None:
    # "should allow egress access to server in CIDR block": x/a may reach only y/b's host CIDR.
    # Upstream reaches y/b through its Service's ClusterIP, so the /32 matches only after
    # kube-proxy's DNAT; here the verdict is judged on the pod IP (see the module docstring).
    egress = [{"to": [{"ipBlock": {"cidr": _host(_pod_ip(world, "y", "b"))}}]}]
    world.create(
        _policy("allow-client-a-via-cidr-egress-rule", "x", _labels(pod="a"), egress=egress)
    )
    _check(world, Truth().all_egress("x/a", False).expect("x/a", "y/b", True))


def test_egress_cidr_except(world: Cluster) -> None:
    # "should enforce except clause while egress access to server in CIDR block": x/a's IP /4
    # (upstream's non-canonical CIDR) except x/b's host CIDR
    block = {
        "cidr": f"{_pod_ip(world, 'x', 'a')}/4",
        "except": [_host(_pod_ip(world, "x", "b"))],
    }
    egress = [{"to": [{"ipBlock": block}]}]
    world.create(
        _policy("allow-client-a-via-cidr-egress-rule", "x", _labels(pod="a"), egress=egress)
    )
    _check(world, Truth().expect("x/a", "x/b", False))


def test_ip_in_cidr_and_except_is_allowed_by_another_block(world: Cluster) -> None:
    # "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed": the
    # except policy is then replaced by one allowing x/b's host CIDR only
    x_b = _host(_pod_ip(world, "x", "b"))
    block = {"cidr": f"{_pod_ip(world, 'x', 'a')}/4", "except": [x_b]}
    name = "allow-client-a-via-cidr-egress-rule"
    world.create(_policy(name, "x", _labels(pod="a"), egress=[{"to": [{"ipBlock": block}]}]))
    _check(world, Truth().expect("x/a", "x/b", False))
    _replace(
        world, _policy(name, "x", _labels(pod="a"), egress=[{"to": [{"ipBlock": {"cidr": x_b}}]}])
    )
    _check(world, Truth().all_egress("x/a", False).expect("x/a", "x/b", True))


def test_ingress_and_egress_controlled_independently(world: Cluster) -> None:
    # "should enforce policies to check ingress and egress policies can be controlled
    # independently based on PodSelector"
    world.create(_policy("allow-egress-for-target", "x", _labels(pod="a"), egress=[{}]))
    _check(world, Truth())
    world.create(_policy("deny-ingress-via-label-selector", "x", _labels(pod="a"), ingress=[]))
    _check(world, Truth().all_ingress("x/a", False))


def test_sctp_rule_is_not_tcp() -> None:
    # "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin
    # doesn't support SCTP"
    c = e2e_world(ports=(81,))
    c.create(_policy("deny-ingress", "x", {}, ingress=[]))
    rule = {"ports": [{"port": 81, "protocol": "SCTP"}]}
    c.create(_policy("allow-only-sctp-ingress-on-port-81", "x", _labels(pod="a"), ingress=[rule]))
    _check(c, Truth().peer("", "x", False), port=81)


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        # "should properly isolate pods that are selected by a policy allowing SCTP, even if the
        # plugin doesn't support SCTP"
        ("allow-only-sctp-ingress-on-port-80", {"ports": [{"port": 80, "protocol": "SCTP"}]}),
        # "should not allow access by TCP when a policy specifies only UDP"
        ("allow-only-udp-ingress-on-port-81", {"ports": [{"port": 81, "protocol": "UDP"}]}),
    ],
    ids=["sctp", "udp"],
)
def test_other_protocol_rule_isolates_tcp(name: str, rule: dict) -> None:
    c = e2e_world(ports=(81,))
    c.create(_policy(name, "x", _labels(pod="a"), ingress=[rule]))
    _check(c, Truth().all_ingress("x/a", False), port=81)


def test_egress_namespace_not_in_default_ns_label(world: Cluster) -> None:
    # "should enforce policy based on NamespaceSelector with MatchExpressions using default ns
    # label"
    namespaces = {"matchExpressions": [{"key": NS_KEY, "operator": "NotIn", "values": ["y"]}]}
    egress = [{"to": [{"namespaceSelector": namespaces}]}]
    world.create(
        _policy(
            "allow-ns-y-match-selector-for-immutable-ns-label", "x", _labels(pod="a"), egress=egress
        )
    )
    _check(world, Truth().peer("x/a", "y", False))


# Contexts "NetworkPolicy between server and client using UDP" and "... using SCTP"


@pytest.mark.parametrize("protocol", ["UDP", "SCTP"])
def test_default_deny_ingress_other_protocols(protocol: str) -> None:
    # "should support a 'default-deny-ingress' policy", in the UDP and SCTP contexts
    c = e2e_world(protocols=(protocol,))
    c.create(_policy("deny-all", "x", {}, ingress=[]))
    _check(c, Truth().peer("", "x", False), protocol=protocol)
