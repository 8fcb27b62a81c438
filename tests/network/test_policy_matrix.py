"""`allowed_matrix` gives `verdict`'s answer for every pair of pods, and `c.reachability` shows it.

Random worlds (Hypothesis) are compared cell by cell with `verdict`, the one evaluator; the e2e
world is upstream's (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go @ v1.33.0).
"""

from __future__ import annotations

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_policy_semantics import ip_block, labels, random_selector, selector

from kubenet_nb.network.policy import PolicyState, allowed_matrix, policy_state, verdict
from tests.network.netpol_world import NAMESPACES, PODS, e2e_world

NS_KEY = "kubernetes.io/metadata.name"
NAMED = ("http", "dns", "metrics")
PORT_DECLARATIONS = (
    [],
    [{"name": "http", "containerPort": 80}],
    [
        {"name": "http", "containerPort": 81},
        {"name": "dns", "containerPort": 80, "protocol": "UDP"},
    ],
)
SIDECARS = (
    [],
    [{"name": "s", "restartPolicy": "Always", "ports": [{"name": "metrics", "containerPort": 81}]}],
    [{"name": "init", "ports": [{"name": "metrics", "containerPort": 80}]}],  # not a sidecar
)

namespace_labels = st.fixed_dictionaries(dict.fromkeys(NAMESPACES, labels)).map(
    lambda found: {ns: {**found[ns], "ns": ns, NS_KEY: ns} for ns in NAMESPACES}
)
peer = st.one_of(
    st.fixed_dictionaries({"ipBlock": st.one_of(ip_block, st.just({"cidr": "172.18.0.0/16"}))}),
    st.fixed_dictionaries({"podSelector": random_selector}),
    st.fixed_dictionaries({"namespaceSelector": random_selector}),
    st.fixed_dictionaries({"podSelector": random_selector, "namespaceSelector": selector}),
    st.fixed_dictionaries({"podSelector": selector, "namespaceSelector": random_selector}),
)
protocol = st.sampled_from(("TCP", "UDP", "SCTP"))
rule_port = st.one_of(
    st.fixed_dictionaries({"port": st.sampled_from((80, 81))}, optional={"protocol": protocol}),
    st.fixed_dictionaries(
        {"port": st.sampled_from((79, 80)), "endPort": st.sampled_from((80, 81))},
        optional={"protocol": protocol},
    ),
    st.fixed_dictionaries({"port": st.sampled_from(NAMED)}, optional={"protocol": protocol}),
    st.fixed_dictionaries({}, optional={"protocol": protocol}),
)


def _rules(peers_key: str) -> st.SearchStrategy[list[dict]]:
    rule = st.fixed_dictionaries(
        {peers_key: st.lists(peer, min_size=1, max_size=3)},
        optional={"ports": st.lists(rule_port, min_size=1, max_size=2)},
    )
    return st.lists(st.one_of(rule, st.just({})), max_size=3)


@st.composite
def policy(draw: st.DrawFn, number: int) -> dict:
    spec: dict = {"podSelector": draw(selector)}
    for kind, peers_key in (("ingress", "from"), ("egress", "to")):
        rules = draw(st.one_of(st.none(), _rules(peers_key)))
        if rules is not None:
            spec[kind] = rules
    types = draw(st.sampled_from((None, ["Ingress"], ["Egress"], ["Ingress", "Egress"])))
    if types is not None:
        spec["policyTypes"] = types
    namespace = draw(st.sampled_from(NAMESPACES))
    return {"metadata": {"name": f"np-{number}", "namespace": namespace}, "spec": spec}


def _pod(
    number: int,
    namespace: str,
    labels: dict,
    ip: str | None,
    *,
    host: bool = False,
    ports: list[dict] = PORT_DECLARATIONS[0],
    init: list[dict] = SIDECARS[0],
) -> dict:
    spec: dict = {
        "containers": [{"name": "c", "image": "agnhost", "ports": ports}],
        "initContainers": init,
    }
    if host:
        spec["hostNetwork"] = True
    return {
        "metadata": {"name": f"p{number}", "namespace": namespace, "labels": labels},
        "spec": spec,
        "status": {"podIP": ip, "hostIP": "172.18.0.2"},
    }


@st.composite
def pod(draw: st.DrawFn, number: int) -> dict:
    host = draw(st.sampled_from((False, False, False, True)))  # one pod in four
    if host:
        ip: str | None = draw(st.sampled_from(("172.18.0.2", "172.18.0.3")))
    else:
        subnet = draw(st.sampled_from((1, 2, 3)))
        ip = draw(st.sampled_from((f"10.244.{subnet}.{number + 2}", None)))  # None: no IP yet
    return _pod(
        number,
        draw(st.sampled_from(NAMESPACES)),
        draw(labels),
        ip,
        host=host,
        ports=draw(st.sampled_from(PORT_DECLARATIONS)),
        init=draw(st.sampled_from(SIDECARS)),
    )


@st.composite
def world(draw: st.DrawFn) -> tuple[PolicyState, list[dict]]:
    pods = [draw(pod(n)) for n in range(draw(st.integers(2, 12)))]
    policies = [draw(policy(n)) for n in range(draw(st.integers(1, 4)))]
    return PolicyState(policies, pods, draw(namespace_labels)), pods


def _x_isolated(
    kind: str, rule: dict, *pods: dict, namespaces: tuple[str, ...] = ("x",)
) -> tuple[PolicyState, list[dict]]:
    """The pods, each of `namespaces` isolated for `kind` ("ingress" or "egress") by a policy
    with this one rule."""
    spec = {"podSelector": {}, kind: [rule], "policyTypes": [kind.capitalize()]}
    policies = [{"metadata": {"name": "np", "namespace": ns}, "spec": spec} for ns in namespaces]
    ns_labels = {ns: {NS_KEY: ns} for ns in NAMESPACES}
    return PolicyState(policies, list(pods), ns_labels), list(pods)


# Worlds where two pods differ in one thing only, which the rule reads: each asked for itself
FROM_POD_A = {"from": [{"podSelector": {"matchLabels": {"pod": "a"}}}]}
BY_NAMESPACE = _x_isolated(
    "ingress",
    FROM_POD_A,
    _pod(0, "x", {"pod": "a"}, "10.244.1.2"),
    _pod(1, "y", {"pod": "a"}, "10.244.2.3"),
)
BY_POLICY_NAMESPACE = _x_isolated(
    "ingress",
    {"from": [{"podSelector": {}}]},
    _pod(0, "x", {}, "10.244.1.2"),
    _pod(1, "y", {}, "10.244.2.3"),
    namespaces=("x", "y"),
)
BY_LABELS = _x_isolated(
    "ingress",
    FROM_POD_A,
    _pod(0, "x", {"pod": "a"}, "10.244.1.2"),
    _pod(1, "x", {"pod": "b"}, "10.244.1.3"),
)
BY_HOST_NETWORK = _x_isolated(
    "ingress",
    FROM_POD_A,
    _pod(0, "x", {"pod": "a"}, "10.244.1.2"),
    _pod(1, "x", {"pod": "a"}, "172.18.0.3", host=True),
)
BY_IP = _x_isolated(
    "egress",
    {"to": [{"ipBlock": {"cidr": "10.244.0.0/16", "except": ["10.244.1.0/24"]}}]},
    _pod(0, "x", {}, "10.244.1.2"),
    _pod(1, "x", {}, "10.244.2.3"),
)
BY_SIDECAR = _x_isolated(
    "ingress",
    {"ports": [{"port": "metrics"}]},
    _pod(0, "x", {}, "10.244.1.2", init=SIDECARS[1]),
    _pod(1, "x", {}, "10.244.1.3", init=SIDECARS[2]),
)
BY_NAMED_PORT = _x_isolated(
    "egress",
    {"ports": [{"port": "http"}]},
    _pod(0, "x", {}, "10.244.1.2", ports=PORT_DECLARATIONS[1]),
    _pod(1, "x", {}, "10.244.1.3", ports=PORT_DECLARATIONS[2]),
)


@settings(max_examples=300, deadline=None)
@given(world(), st.sampled_from((80, 81)), st.sampled_from(("TCP", "UDP")))
@example(BY_NAMESPACE, 80, "TCP")
@example(BY_POLICY_NAMESPACE, 80, "TCP")
@example(BY_LABELS, 80, "TCP")
@example(BY_HOST_NETWORK, 80, "TCP")
@example(BY_IP, 80, "TCP")
@example(BY_SIDECAR, 81, "TCP")
@example(BY_NAMED_PORT, 80, "TCP")
def test_matrix_is_verdict_cell_by_cell(
    drawn: tuple[PolicyState, list[dict]], port: int, proto: str
) -> None:
    state, pods = drawn
    matrix = allowed_matrix(state, pods, port, proto)
    assert matrix.shape == (len(pods), len(pods))
    for i, src in enumerate(pods):
        for j, dst in enumerate(pods):
            assert matrix[i, j] == verdict(state, src, dst, port, proto).allowed, (i, j)


def test_no_pods_is_an_empty_matrix() -> None:
    assert allowed_matrix(PolicyState(), [], 80).shape == (0, 0)


def test_e2e_ingress_and_egress_together_shows_the_loopback() -> None:
    # network_policy.go "should work with Ingress, Egress specified together": x/a receives only
    # from x/b and sends only on 80; probed on 81 x/a sends nowhere. Upstream skips the diagonal
    # (ignoreLoopback); here it is True, x/a included: loopback is never judged
    c = e2e_world(ports=(80, 81))
    spec = {
        "podSelector": {"matchLabels": {"pod": "a"}},
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"pod": "b"}}}]}],
        "egress": [{"ports": [{"port": 80}]}],
        "policyTypes": ["Ingress", "Egress"],
    }
    metadata = {"name": "allow-client-a-via-pod-selector", "namespace": "x"}
    c.create(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": metadata,
            "spec": spec,
        }
    )
    frame = c.reachability(port=81)
    everyone = [f"{ns}/{name}" for ns in NAMESPACES for name in PODS]
    expected = pd.DataFrame(True, index=everyone, columns=everyone)
    expected.loc[[s for s in everyone if s != "x/b"], "x/a"] = False
    expected.loc["x/a", :] = False
    expected.loc["x/a", "x/a"] = True
    pd.testing.assert_frame_equal(frame.loc[everyone, everyone], expected, check_names=False)
    state = policy_state(c)  # every pod of the cluster, kube-system's hostNetwork ones too
    pods = {f"{p['metadata']['namespace']}/{p['metadata']['name']}": p for p in state.pods}
    assert set(frame.index) == set(pods) == set(frame.columns)
    for src in frame.index:
        for dst in frame.columns:
            allowed = verdict(state, pods[src], pods[dst], 81).allowed
            assert frame.loc[src, dst] == allowed, (src, dst)
