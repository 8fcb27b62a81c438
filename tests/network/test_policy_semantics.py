"""NetworkPolicy semantics, one at a time, through the pure evaluator `verdict`.

Sources, cited per test: kubernetes/api networking/v1/types.go @ v0.33.1 ("types.go");
kubernetes/kubernetes pkg/apis/networking/v1/defaults.go @ v1.33.0 ("defaults.go");
kubernetes-sigs/kube-network-policies pkg/networkpolicy/networkpolicy.go and controller.go @ v0.8.0
("KNP"); kubernetes/website content/en/docs/concepts/services-networking/network-policies.md
("docs"). A Hypothesis property test compares the evaluator with a naive one written from the
same spec, on random policies and labels.
"""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from kubenet_nb.network.policy import PolicyState, verdict


def _pod(ns: str, name: str, ip: str, labels: dict | None = None, **spec: object) -> dict:
    containers = spec.pop("containers", [{"name": "c", "image": "agnhost"}])
    return {
        "metadata": {"name": name, "namespace": ns, "labels": labels or {"pod": name}},
        "spec": {"containers": containers, **spec},
        "status": {"podIP": ip, "hostIP": "172.18.0.3"},
    }


def _np(name: str, ns: str, **spec: object) -> dict:
    spec.setdefault("podSelector", {})
    return {"metadata": {"name": name, "namespace": ns}, "spec": spec}


XA = _pod("x", "a", "10.244.1.2")
XB = _pod("x", "b", "10.244.1.3")
YB = _pod("y", "b", "10.244.2.3")
NAMESPACES = {ns: {"kubernetes.io/metadata.name": ns, "ns": ns} for ns in ("x", "y", "z")}


def _state(*policies: dict, pods: tuple[dict, ...] = (XA, XB, YB)) -> PolicyState:
    return PolicyState(list(policies), list(pods), NAMESPACES)


def test_no_policy_allows_and_says_not_isolated() -> None:
    # docs "The two sorts of pod isolation": pods are non-isolated by default
    v = verdict(_state(), XA, YB, 80)
    assert v.allowed
    assert v.reasons == (
        "pod x/a is not isolated for egress",
        "pod y/b is not isolated for ingress",
    )


def test_deny_all_reason_names_policy_and_peer() -> None:
    # docs "Default deny all ingress traffic"
    v = verdict(_state(_np("deny-all", "y", ingress=[])), XA, YB, 80)
    assert not v.allowed
    assert v.reasons[1] == (
        "pod y/b is isolated for ingress by policy deny-all; no rule allows x/a on TCP 80"
    )
    assert str(v).startswith("denied: pod x/a is not isolated for egress; ")


def test_isolation_is_per_direction() -> None:
    # docs "The two sorts of pod isolation"; KNP evaluator flips only for that policy type
    egress_only = _np("e", "y", policyTypes=["Egress"], ingress=[])
    assert verdict(_state(egress_only), XA, YB, 80).allowed
    assert not verdict(_state(egress_only), YB, XA, 80).allowed


def test_missing_policy_types_defaults_like_the_api() -> None:
    # defaults.go SetDefaults_NetworkPolicy: Ingress, plus Egress iff len(egress) != 0
    with_egress = _np("p", "x", egress=[{"ports": [{"port": 53, "protocol": "UDP"}]}])
    assert not verdict(_state(with_egress), XA, YB, 80).allowed  # egress isolated
    assert not verdict(_state(with_egress), YB, XA, 80).allowed  # ingress isolated too
    empty_egress = _np("p", "x", egress=[])
    assert verdict(_state(empty_egress), XA, YB, 80).allowed


def test_empty_rule_allows_all_and_empty_list_allows_nothing() -> None:
    # types.go: ingress [{}] matches all traffic; an empty ingress list allows none
    allow_all = _np("allow", "y", ingress=[{}])
    v = verdict(_state(allow_all), XA, YB, 80)
    assert v.allowed
    assert v.reasons[1] == "policy allow ingress[0] allows all peers"
    assert not verdict(_state(_np("deny", "y", ingress=[])), XA, YB, 80).allowed


def test_union_of_policies() -> None:
    # docs: policies are additive; the union of their rules is allowed
    deny = _np("deny", "y", ingress=[])
    allow = _np(
        "allow-x", "y", ingress=[{"from": [{"namespaceSelector": {"matchLabels": {"ns": "x"}}}]}]
    )
    v = verdict(_state(deny, allow), XA, YB, 80)
    assert v.allowed
    assert v.reasons[1] == "policy allow-x ingress[0].from[0] matches x/a on TCP 80"


def test_pod_selector_peer_is_the_policy_namespace() -> None:
    # types.go NetworkPolicyPeer.PodSelector: pods in the policy's own namespace
    policy = _np("p", "y", ingress=[{"from": [{"podSelector": {"matchLabels": {"pod": "a"}}}]}])
    assert not verdict(_state(policy), XA, YB, 80).allowed
    ya = _pod("y", "a", "10.244.2.2")
    assert verdict(_state(policy, pods=(ya, YB)), ya, YB, 80).allowed


def test_not_in_matches_a_missing_key() -> None:
    # apimachinery labels selector: NotIn is true when the key is absent
    peer = {
        "podSelector": {
            "matchExpressions": [{"key": "role", "operator": "NotIn", "values": ["db"]}]
        }
    }
    policy = _np("p", "x", ingress=[{"from": [peer]}])
    assert verdict(_state(policy), XB, XA, 80).allowed


def test_policy_selects_only_its_own_namespace() -> None:
    # types.go NetworkPolicySpec.PodSelector selects pods in the policy's namespace
    assert verdict(_state(_np("deny", "z", ingress=[])), XA, YB, 80).allowed


def test_ip_block_with_except_and_on_pod_ips() -> None:
    # types.go IPBlock; KNP evaluateIPBlocks matches pod IPs too (e2e "CIDR block" cases)
    block = {"cidr": "10.244.0.0/16", "except": ["10.244.1.0/24"]}
    policy = _np("p", "y", ingress=[{"from": [{"ipBlock": block}]}])
    assert not verdict(_state(policy), XA, YB, 80).allowed
    other = _pod("z", "c", "10.244.3.4")
    assert verdict(_state(policy, pods=(other, YB)), other, YB, 80).allowed
    assert verdict(_state(policy), "10.244.2.9", YB, 80).allowed
    assert not verdict(_state(policy), "192.168.0.1", YB, 80).allowed


def test_ip_block_as_go_parses_it() -> None:
    # KNP evaluateIPBlocks parses with Go's strict net.ParseCIDR and returns true on an error
    # ("validated by the API"), so a CIDR the API's sloppy parser accepted with leading zeros
    # matches every address; an IPv4-mapped CIDR matches IPv4 addresses (golang/go
    # src/net/ip.go networkNumberAndMask, Contains)
    def allowed(block: dict, src: str) -> bool:
        policy = _np("p", "y", ingress=[{"from": [{"ipBlock": block}]}])
        return verdict(_state(policy), src, YB, 80).allowed

    assert allowed({"cidr": "010.0.0.0/8"}, "192.168.0.1")
    assert allowed({"cidr": "10.0.0.0/8", "except": ["010.1.0.0/16"]}, "10.1.0.1")
    assert allowed({"cidr": "::ffff:10.0.0.0/104"}, "10.9.9.9")
    assert not allowed({"cidr": "::ffff:10.0.0.0/104"}, "11.0.0.1")
    assert not allowed({"cidr": "::/64"}, "10.9.9.9")


def test_ports_protocol_and_end_port() -> None:
    # types.go NetworkPolicyPort: protocol defaults to TCP; port..endPort inclusive
    policy = _np("p", "y", ingress=[{"ports": [{"port": 8000, "endPort": 8080}]}])
    assert verdict(_state(policy), XA, YB, 8080).allowed
    assert not verdict(_state(policy), XA, YB, 8081).allowed
    assert not verdict(_state(policy), XA, YB, 8000, "UDP").allowed


def test_named_port_resolves_on_the_destination_pod() -> None:
    # KNP evaluatePorts (called with the destination pod in both directions)
    web = _pod(
        "y",
        "web",
        "10.244.2.5",
        containers=[{"name": "c", "ports": [{"name": "http", "containerPort": 8080}]}],
    )
    ingress = _np("p", "y", ingress=[{"ports": [{"port": "http"}]}])
    state = _state(ingress, pods=(XA, web))
    assert verdict(state, XA, web, 8080).allowed
    assert not verdict(state, XA, web, 80).allowed
    assert not verdict(state, XA, web, 8080, "UDP").allowed  # declared for TCP only
    egress = _np("e", "x", policyTypes=["Egress"], egress=[{"ports": [{"port": "http"}]}])
    assert verdict(_state(egress, pods=(XA, web)), XA, web, 8080).allowed
    assert not verdict(_state(egress, pods=(XA, YB, web)), XA, YB, 8080).allowed


def test_the_pods_own_node_always_gets_in() -> None:
    # KNP controller.go `meta skuid 0 accept`; docs: traffic from the pod's node is allowed
    state = _state(_np("deny", "y", ingress=[]))
    v = verdict(state, "172.18.0.3", YB, 80)
    assert v.allowed
    assert v.reasons == ("172.18.0.3 is the node of y/b (its root sockets); always allowed",)
    assert not verdict(state, "172.18.0.4", YB, 80).allowed  # another node
    beside = _pod("kube-system", "kube-proxy", "172.18.0.3", hostNetwork=True)
    assert verdict(state, beside, YB, 80).allowed  # a host-network pod of the same node
    elsewhere = _pod("kube-system", "kube-proxy-2", "172.18.0.4", hostNetwork=True)
    assert not verdict(state, elsewhere, YB, 80).allowed


def test_host_network_pods_are_never_selected_nor_peers() -> None:
    # KNP podIPIndex skips spec.hostNetwork; docs "NetworkPolicy and hostNetwork pods"
    host = _pod("y", "host", "172.18.0.4", hostNetwork=True)
    state = _state(_np("deny", "y", ingress=[]), pods=(XA, host))
    v = verdict(state, XA, host, 80)
    assert v.allowed
    assert v.reasons[1] == "pod y/host uses the host network; no policy selects it"
    any_pod = _np("p", "x", ingress=[{"from": [{"namespaceSelector": {}}]}])
    assert not verdict(_state(any_pod, pods=(XA, host)), host, XA, 80).allowed


def test_loopback_is_never_judged() -> None:
    # e2e probe.go ignoreLoopback (kubernetes issue #95879): own-IP traffic stays on lo
    v = verdict(_state(_np("deny", "x", ingress=[])), XA, XA, 80)
    assert v.allowed
    assert v.reasons == ("x/a reaches itself over loopback",)


# --- property test: a naive evaluator written from the spec ---------------------------------

LABEL_VALUES = ("a", "b")


def _naive_match(selector: dict, labels: dict) -> bool:
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        present = expr["key"] in labels
        value = labels.get(expr["key"])
        if expr["operator"] == "In" and not (present and value in expr["values"]):
            return False
        if expr["operator"] == "NotIn" and present and value in expr["values"]:
            return False
        if expr["operator"] == "Exists" and not present:
            return False
        if expr["operator"] == "DoesNotExist" and present:
            return False
    return True


def _naive_direction(state, policies, subject, other, port, direction) -> bool:
    key = "ingress" if direction == "Ingress" else "egress"
    peers_key = "from" if key == "ingress" else "to"
    mine = []
    for p in policies:
        types = p["spec"].get("policyTypes") or (
            ["Ingress", "Egress"] if p["spec"].get("egress") else ["Ingress"]
        )
        if (
            p["metadata"]["namespace"] == subject["metadata"]["namespace"]
            and _naive_match(p["spec"]["podSelector"], subject["metadata"]["labels"])
            and direction in types
        ):
            mine.append(p)
    if not mine:
        return True
    for p in mine:
        for rule in p["spec"].get(key) or []:
            ports = rule.get("ports") or []
            port_ok = not ports or any(
                (pp.get("protocol") or "TCP") == "TCP"
                and ("port" not in pp or pp["port"] <= port <= pp.get("endPort", pp["port"]))
                for pp in ports
            )
            peers = rule.get(peers_key) or []
            peer_ok = not peers
            for peer in peers:
                if "ipBlock" in peer:
                    ip = ipaddress.ip_address(other["status"]["podIP"])
                    block = peer["ipBlock"]
                    if ip in ipaddress.ip_network(block["cidr"]) and not any(
                        ip in ipaddress.ip_network(e) for e in block.get("except", [])
                    ):
                        peer_ok = True
                    continue
                ns = other["metadata"]["namespace"]
                ns_ok = (
                    _naive_match(peer["namespaceSelector"], state.namespaces[ns])
                    if "namespaceSelector" in peer
                    else ns == p["metadata"]["namespace"]
                )
                pod_ok = "podSelector" not in peer or _naive_match(
                    peer["podSelector"], other["metadata"]["labels"]
                )
                peer_ok = peer_ok or (ns_ok and pod_ok)
            if port_ok and peer_ok:
                return True
    return False


labels = st.dictionaries(
    st.sampled_from(("pod", "tier")), st.sampled_from(LABEL_VALUES), max_size=2
)
expression = st.fixed_dictionaries(
    {
        "key": st.sampled_from(("pod", "tier", "ns")),
        "operator": st.sampled_from(("In", "NotIn", "Exists", "DoesNotExist")),
    }
).flatmap(
    lambda e: (
        st.just(e)
        if e["operator"] in ("Exists", "DoesNotExist")
        else st.lists(st.sampled_from((*LABEL_VALUES, "x", "y")), min_size=1, max_size=2).map(
            lambda v: {**e, "values": v}
        )
    )
)
random_selector = st.fixed_dictionaries(
    {},
    optional={"matchLabels": labels, "matchExpressions": st.lists(expression, max_size=2)},
)
selector = st.one_of(st.just({}), random_selector)  # half match-all, so rules get exercised
ip_block = st.sampled_from(
    (
        {"cidr": "10.244.0.0/16"},
        {"cidr": "10.244.0.0/16", "except": ["10.244.1.0/24"]},
        {"cidr": "10.244.2.0/24"},
    )
)
peer = st.one_of(
    st.fixed_dictionaries({"ipBlock": ip_block}),
    st.fixed_dictionaries({"podSelector": selector}),
    st.fixed_dictionaries({"namespaceSelector": selector}),
    st.fixed_dictionaries({"podSelector": selector, "namespaceSelector": selector}),
)
port = st.one_of(
    st.fixed_dictionaries(
        {"port": st.sampled_from((80, 81))}, optional={"protocol": st.sampled_from(("TCP", "UDP"))}
    ),
    st.fixed_dictionaries({"port": st.just(79), "endPort": st.sampled_from((80, 81))}),
    st.fixed_dictionaries({}, optional={"protocol": st.sampled_from(("TCP", "UDP"))}),
)
rule = st.fixed_dictionaries(
    {}, optional={"peers": st.lists(peer, max_size=2), "ports": st.lists(port, max_size=2)}
)


@st.composite
def policies(draw: st.DrawFn) -> dict:
    spec: dict = {"podSelector": draw(selector)}
    for key in ("ingress", "egress"):
        rules = draw(st.one_of(st.none(), st.lists(rule, max_size=2)))
        if rules is not None:
            spec[key] = [
                {
                    **({"ports": r["ports"]} if "ports" in r else {}),
                    **(
                        {("from" if key == "ingress" else "to"): r["peers"]} if "peers" in r else {}
                    ),
                }
                for r in rules
            ]
    types = draw(st.sampled_from((None, ["Ingress"], ["Egress"], ["Ingress", "Egress"])))
    if types is not None:
        spec["policyTypes"] = types
    ns = draw(st.sampled_from(("x", "y")))
    return {"metadata": {"name": f"p-{ns}", "namespace": ns}, "spec": spec}


@settings(max_examples=500, deadline=None)
@given(
    st.lists(policies(), min_size=1, max_size=3),
    st.lists(st.tuples(st.sampled_from(("x", "y")), labels), min_size=3, max_size=3),
    st.sampled_from((80, 81)),
)
def test_matches_a_naive_evaluator(policy_list, pod_specs, port_no) -> None:
    ips = ("10.244.1.7", "10.244.2.8", "10.244.1.9")
    pods = [
        _pod(ns, f"p{n}", ip, pod_labels)
        for n, ((ns, pod_labels), ip) in enumerate(zip(pod_specs, ips, strict=True))
    ]
    state = PolicyState(policy_list, pods, NAMESPACES)
    for src in pods:
        for dst in pods:
            if src is dst:
                continue
            expected = _naive_direction(
                state, policy_list, src, dst, port_no, "Egress"
            ) and _naive_direction(state, policy_list, dst, src, port_no, "Ingress")
            assert verdict(state, src, dst, port_no).allowed == expected
