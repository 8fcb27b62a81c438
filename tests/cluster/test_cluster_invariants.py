"""A Hypothesis state machine over `Cluster`: random workloads, Services and faults, and the
engine's invariants (tests/cluster/invariants.py) checked after every step.

Refused requests (invalid objects, taken names, taken or out-of-range nodePorts and ClusterIPs,
missing objects) must raise `KubenetError` and leave the cluster exactly as it was: the API
server stores nothing of a refused request, and allocations are released with it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from invariants import check_all, snapshot

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.cluster.control_plane import ControlPlane

DEPLOYMENTS = ("web", "api", "db")
TIERS = {"web": "front", "api": "front", "db": "back"}
SERVICES = ("web", "api", "front", "db", "ext")
SELECTORS = (
    {"app": "web"},
    {"app": "api"},
    {"app": "db"},
    {"tier": "front"},
    {"app": "gone"},
    None,
)
CONTAINER_PORTS = (
    ("http", 80, "TCP"),
    ("http", 8080, "TCP"),
    ("metrics", 9090, "TCP"),
    ("dns", 53, "UDP"),
    ("dns", 53, "TCP"),
    (None, 80, "TCP"),
    (None, 443, "TCP"),
)
SERVICE_PORT_NAMES = ("http", "https", "dns", "metrics")
TARGET_PORTS = (None, 80, 8080, 9090, 53, "http", "metrics", "dns", "missing")
# 10.96.0.10 is kube-dns's, always taken; the others sit in the static band (10.96.0.1-10.96.1.0
# for a /16, ipallocator calculateRangeOffset) that dynamic allocation leaves alone.
CLUSTER_IPS = ("10.96.0.10", "10.96.0.50", "10.96.0.51")
# 30000-30085 is the node-port static band (portallocator calculateRangeOffset: 2768/32 = 86).
NODE_PORTS = (30000, 30001, 30080)
OUT_OF_RANGE_NODE_PORTS = (1, 80, 29999, 32768, 65535)
WORKERS = ("kind-worker", "kind-worker2")
IP_TYPES = ("ClusterIP", "NodePort", "LoadBalancer")
NODE_PORT_TYPES = ("NodePort", "LoadBalancer")
PORT = {"port": 80}
WORKLOAD_REFUSALS = (
    "invalid_deployment",
    "duplicate_deployment",
    "negative_scale",
    "missing_object",
)
SERVICE_REFUSALS = (
    "duplicate_service",
    "taken_cluster_ip",
    "taken_node_port",
    "node_port_out_of_range",
    "cluster_ip_outside_range",
    "invalid_service",
    "cluster_ip_change",
)
Request = Callable[[], object]
STEP_SECONDS = (0.5, 1.0, 2.0, 31.0)


def _container_ports(entries: list[tuple]) -> list[dict]:
    ports = []
    for name, number, protocol in entries:
        port: dict = {"containerPort": number, "protocol": protocol}
        if name:
            port["name"] = name
        ports.append(port)
    return ports


@st.composite
def pod_templates(draw: st.DrawFn, name: str) -> dict:
    """A pod template with one or two containers whose ports may be named."""
    entries = draw(
        st.lists(
            st.sampled_from(CONTAINER_PORTS),
            max_size=3,
            unique_by=(lambda p: p[0] or f"#{p[1]}/{p[2]}", lambda p: (p[1], p[2])),
        )
    )
    split = draw(st.integers(0, len(entries))) if draw(st.booleans()) else len(entries)
    containers = [{"name": "app", "image": "nginx", "ports": _container_ports(entries[:split])}]
    if draw(st.booleans()):  # only a container with a readinessProbe can fail one
        containers[0]["readinessProbe"] = {"tcpSocket": {"port": 80}}
    if split < len(entries):
        containers.append(
            {"name": "sidecar", "image": "busybox", "ports": _container_ports(entries[split:])}
        )
    return {
        "metadata": {"labels": {"app": name, "tier": TIERS[name]}},
        "spec": {"containers": containers},
    }


def deployment(name: str, replicas: int, template: dict) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": template,
        },
    }


@st.composite
def service_ports(draw: st.DrawFn, node_ports: bool, allow_none: bool) -> list[dict]:
    """0-3 ports with distinct numbers; names required (and distinct) when more than one."""
    numbers = draw(
        st.lists(
            st.sampled_from((80, 443, 53, 8080, 9090)),
            min_size=0 if allow_none else 1,
            max_size=3,
            unique=True,
        )
    )
    names = draw(st.permutations(SERVICE_PORT_NAMES))
    ports = []
    for i, number in enumerate(numbers):
        port: dict = {"port": number, "protocol": draw(st.sampled_from(("TCP", "UDP")))}
        if len(numbers) > 1 or draw(st.booleans()):
            port["name"] = names[i]
        target = draw(st.sampled_from(TARGET_PORTS))
        if target is not None:
            port["targetPort"] = target
        if node_ports and draw(st.integers(0, 3)) == 0:
            port["nodePort"] = draw(st.sampled_from(NODE_PORTS))
        ports.append(port)
    explicit = [p["nodePort"] for p in ports if "nodePort" in p]
    if len(explicit) != len(set(explicit)):
        for port in ports:
            port.pop("nodePort", None)
    return ports


@st.composite
def services(draw: st.DrawFn) -> dict:
    """A Service of any type; selector, ports, nodePorts and clusterIP drawn from small pools."""
    kind = draw(st.sampled_from(("ClusterIP", "NodePort", "LoadBalancer", "Headless", "External")))
    spec: dict = {}
    selector = draw(st.sampled_from(SELECTORS))
    if selector is not None:
        spec["selector"] = dict(selector)
    if kind == "External":
        spec.update(type="ExternalName", externalName="example.com")
    else:
        spec["type"] = "ClusterIP" if kind == "Headless" else kind
        spec["ports"] = draw(
            service_ports(kind in ("NodePort", "LoadBalancer"), allow_none=kind == "Headless")
        )
        if kind == "Headless":
            spec["clusterIP"] = "None"
        elif draw(st.integers(0, 4)) == 0:
            spec["clusterIP"] = draw(st.sampled_from(CLUSTER_IPS))
        spec["publishNotReadyAddresses"] = draw(st.booleans())
    if kind in ("NodePort", "LoadBalancer") and draw(st.booleans()):
        spec["externalTrafficPolicy"] = "Local"
    if kind == "LoadBalancer" and draw(st.integers(0, 3)) == 0:
        spec["allocateLoadBalancerNodePorts"] = False
    name = draw(st.sampled_from(SERVICES))
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def _taken(c: ControlPlane, service: dict) -> bool:
    """Whether creating `service` must be refused: its name, a nodePort or a ClusterIP taken."""
    meta, spec = service["metadata"], service["spec"]
    if c.store.get("Service", "default", meta["name"]) is not None:
        return True
    ips, ports = set(), set()
    for svc in c.store.list("Service"):
        ips.add(svc["spec"].get("clusterIP"))
        ports.update(p.get("nodePort") for p in svc["spec"].get("ports") or ())
        ports.add(svc["spec"].get("healthCheckNodePort"))
    wanted = {p.get("nodePort") for p in spec.get("ports") or ()} - {None}
    return spec.get("clusterIP") in ips - {None, "None"} or bool(wanted & ports)


class ClusterMachine(RuleBasedStateMachine):
    """Drives one Cluster through workloads, Services, readiness flips, deletions and time."""

    c: ControlPlane
    max_per_slice: int

    @initialize(
        data=st.data(),
        seed=st.integers(0, 2**16),
        max_per_slice=st.sampled_from((2, 3, 100)),
        names=st.lists(st.sampled_from(DEPLOYMENTS), max_size=3, unique=True),
        service_count=st.integers(0, 4),
    )
    def boot(
        self,
        data: st.DataObject,
        seed: int,
        max_per_slice: int,
        names: list[str],
        service_count: int,
    ) -> None:
        """A fresh cluster with a few deployments and Services to start from."""
        # Upstream's default maxEndpointsPerSlice is 100 (kube-controller-manager
        # --max-endpoints-per-slice); small values make the packing of slices visible here.
        self.c = ControlPlane(seed=seed, max_endpoints_per_slice=max_per_slice)
        self.max_per_slice = max_per_slice
        self.retyped: set[str] = set()
        for name in names:
            replicas = data.draw(st.integers(0, 5))
            self.c.create(deployment(name, replicas, data.draw(pod_templates(name))))
        for _ in range(service_count):
            self.create_service(data.draw(services()))

    # -- helpers --------------------------------------------------------------------------

    def names(self, kind: str, namespace: str = "default") -> list[str]:
        return [o["metadata"]["name"] for o in self.c.store.list(kind, namespace)]

    def refused(self, action: Callable[[], object]) -> None:
        """The request raises a KubenetError and changes nothing at all."""
        before = snapshot(self.c)
        with pytest.raises(KubenetError):
            action()
        after = snapshot(self.c)
        changed = sorted(k for k in before if before[k] != after[k])
        assert not changed, f"a refused request changed {changed}"

    # -- workloads ------------------------------------------------------------------------

    @rule(data=st.data(), name=st.sampled_from(DEPLOYMENTS), replicas=st.integers(0, 5))
    def create_deployment(self, data: st.DataObject, name: str, replicas: int) -> None:
        obj = deployment(name, replicas, data.draw(pod_templates(name)))
        if name in self.names("Deployment"):
            self.refused(lambda: self.c.create(obj))
        else:
            self.c.create(obj)

    @precondition(lambda self: self.names("Deployment"))
    @rule(data=st.data(), replicas=st.integers(0, 5))
    def scale_deployment(self, data: st.DataObject, replicas: int) -> None:
        obj = self.c.get("deploy", data.draw(st.sampled_from(self.names("Deployment"))))
        obj["spec"]["replicas"] = replicas
        self.c.update(obj)

    @precondition(lambda self: self.names("Deployment"))
    @rule(data=st.data())
    def delete_deployment(self, data: st.DataObject) -> None:
        self.c.delete("deploy", data.draw(st.sampled_from(self.names("Deployment"))))

    @precondition(lambda self: self.names("Pod"))
    @rule(data=st.data(), grace=st.sampled_from((None, 0, 3)))
    def delete_pod(self, data: st.DataObject, grace: int | None) -> None:
        self.c.delete("pod", data.draw(st.sampled_from(self.names("Pod"))), grace_period=grace)

    @rule(data=st.data(), ready=st.booleans())
    def flip_readiness(self, data: st.DataObject, ready: bool) -> None:
        pods = [("default", n) for n in self.names("Pod")] + [
            ("kube-system", n) for n in self.names("Pod", "kube-system") if "coredns" in n
        ]
        namespace, name = data.draw(st.sampled_from(pods))
        containers = self.c.get("pod", name, namespace)["spec"]["containers"]
        if ready or any(c.get("readinessProbe") for c in containers):
            self.c.set_ready(name, ready, namespace=namespace)
        else:  # no probe to fail: the kubelet calls a running container ready
            self.refused(lambda: self.c.set_ready(name, ready, namespace=namespace))

    @precondition(lambda self: self.names("Pod"))
    @rule(data=st.data(), code=st.sampled_from((0, 1, 137)))
    def kill_container(self, data: st.DataObject, code: int) -> None:
        pod = self.c.get("pod", data.draw(st.sampled_from(self.names("Pod"))))
        name = pod["metadata"]["name"]
        container = data.draw(st.sampled_from([c["name"] for c in pod["spec"]["containers"]]))
        statuses = (pod.get("status") or {}).get("containerStatuses") or ()
        if any(s["name"] == container and "running" in s["state"] for s in statuses):
            self.c.kill(name, container, code)
        else:  # `kubectl exec` finds no running container (or the pod has no node)
            self.refused(lambda: self.c.kill(name, container, code))

    @rule(seconds=st.sampled_from(STEP_SECONDS))
    def advance(self, seconds: float) -> None:
        self.c.advance(seconds)

    @rule(node=st.sampled_from(WORKERS), unschedulable=st.booleans())
    def cordon(self, node: str, unschedulable: bool) -> None:
        obj = self.c.get("node", node)
        if unschedulable:
            obj["spec"]["unschedulable"] = True
        else:
            obj["spec"].pop("unschedulable", None)
        self.c.update(obj)

    # -- services -------------------------------------------------------------------------

    @rule(service=services())
    def create_service(self, service: dict) -> None:
        if _taken(self.c, service):
            self.refused(lambda: self.c.create(service))
        else:
            self.c.create(service)

    @precondition(lambda self: self.names("Service") != ["kubernetes"])
    @rule(data=st.data())
    def delete_service(self, data: st.DataObject) -> None:
        names = [n for n in self.names("Service") if n != "kubernetes"]
        name = data.draw(st.sampled_from(names))
        self.c.delete("svc", name)
        self.retyped.discard(f"default/{name}")

    @precondition(lambda self: self.names("Service") != ["kubernetes"])
    @rule(
        data=st.data(),
        kind=st.sampled_from(("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")),
        selector=st.sampled_from([s for s in SELECTORS if s]),
        publish=st.booleans(),
    )
    def update_service(self, data: st.DataObject, kind: str, selector: dict, publish: bool) -> None:
        """`kubectl replace` with another type, ports, selector or publishNotReadyAddresses:
        applied, or refused (headless NodePort, taken nodePort, ...) with nothing changed."""
        names = [n for n in self.names("Service") if n != "kubernetes"]
        obj = self.c.get("svc", data.draw(st.sampled_from(names)))
        spec = obj["spec"]
        if spec["type"] != kind:
            self.retyped.add(f"default/{obj['metadata']['name']}")
        spec["type"] = kind
        if kind == "ExternalName":
            spec["externalName"] = "example.com"
        else:
            spec.pop("externalName", None)
            spec.setdefault("ports", [{"port": 80}])
        if kind != "ExternalName" and data.draw(st.booleans()):
            headless = spec.get("clusterIP") == "None"
            spec["ports"] = data.draw(service_ports(kind in NODE_PORT_TYPES, allow_none=headless))
        if spec.get("selector"):
            spec["selector"] = dict(selector)
        spec["publishNotReadyAddresses"] = publish
        before = snapshot(self.c)
        try:
            self.c.update(obj)
        except KubenetError:
            assert snapshot(self.c) == before, "a refused update changed the cluster"

    # -- refusals: each must raise and leave everything as it was --------------------------

    @rule(data=st.data(), case=st.sampled_from(WORKLOAD_REFUSALS))
    def refuse_workload_request(self, data: st.DataObject, case: str) -> None:
        self.refused(getattr(self, f"_{case}")(data))

    @rule(data=st.data(), case=st.sampled_from(SERVICE_REFUSALS), service=services())
    def refuse_service_request(self, data: st.DataObject, case: str, service: dict) -> None:
        self.refused(getattr(self, f"_{case}")(data, service))

    def _invalid_deployment(self, data: st.DataObject) -> Request:
        name = data.draw(st.sampled_from(DEPLOYMENTS))
        obj = deployment(name, 1, data.draw(pod_templates(name)))
        broken = data.draw(st.sampled_from(("replicas", "name", "selector", "port")))
        if broken == "replicas":
            obj["spec"]["replicas"] = -1
        elif broken == "name":
            obj["metadata"]["name"] = "Web_1"
        elif broken == "selector":
            obj["spec"]["selector"] = {"matchLabels": {"app": "other"}}
        else:
            obj["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": 0}]
        return lambda: self.c.create(obj)

    def _duplicate_deployment(self, data: st.DataObject) -> Request:
        name = data.draw(st.sampled_from(self.names("Deployment") or ["coredns"]))
        obj = deployment(name, 2, data.draw(pod_templates("web")))
        if name == "coredns":
            obj["metadata"]["namespace"] = "kube-system"
        return lambda: self.c.create(obj)

    def _negative_scale(self, data: st.DataObject) -> Request:
        name = data.draw(st.sampled_from(self.names("Deployment") or ["coredns"]))
        obj = self.c.get("deploy", name, "kube-system" if name == "coredns" else "default")
        obj["spec"]["replicas"] = -1
        return lambda: self.c.update(obj)

    def _missing_object(self, data: st.DataObject) -> Request:
        kind = data.draw(st.sampled_from(("pod", "svc", "deploy", "ready")))
        name = data.draw(st.sampled_from(("missing", "web-0000000000-xxxxx")))
        if kind == "ready":
            return lambda: self.c.set_ready(name, False)
        return lambda: self.c.delete(kind, name)

    def _duplicate_service(self, data: st.DataObject, service: dict) -> Request:
        service["metadata"]["name"] = data.draw(st.sampled_from(self.names("Service")))
        return lambda: self.c.create(service)

    def _taken_cluster_ip(self, data: st.DataObject, service: dict) -> Request:
        taken = [
            s["spec"]["clusterIP"]
            for s in self.c.store.list("Service")
            if s["spec"].get("clusterIP") not in (None, "None")
        ]
        spec = service["spec"] = {"type": data.draw(st.sampled_from(IP_TYPES)), "ports": [PORT]}
        spec["clusterIP"] = data.draw(st.sampled_from(taken))
        return lambda: self.c.create(service)

    def _taken_node_port(self, data: st.DataObject, service: dict) -> Request:
        held = set()
        for svc in self.c.store.list("Service"):
            held.update(p.get("nodePort") for p in svc["spec"].get("ports") or ())
            held.add(svc["spec"].get("healthCheckNodePort"))
        held.discard(None)
        taken = data.draw(st.sampled_from(sorted(held) or [30000]))
        free = next(p for p in range(30100, 30200) if p not in held)
        # Ask for a free port first: it is allocated before the taken one is refused, so the
        # undo must give it back. With nothing taken, 30000 repeated is refused all the same.
        service["spec"] = {
            "type": data.draw(st.sampled_from(NODE_PORT_TYPES)),
            "ports": [
                {"name": "a", "port": 1, "nodePort": taken if not held else free},
                {"name": "b", "port": 2, "nodePort": taken},
            ],
        }
        return lambda: self.c.create(service)

    def _node_port_out_of_range(self, data: st.DataObject, service: dict) -> Request:
        port = {**PORT, "nodePort": data.draw(st.sampled_from(OUT_OF_RANGE_NODE_PORTS))}
        service["spec"] = {"type": data.draw(st.sampled_from(NODE_PORT_TYPES)), "ports": [port]}
        return lambda: self.c.create(service)

    def _cluster_ip_outside_range(self, data: st.DataObject, service: dict) -> Request:
        ip = data.draw(st.sampled_from(("10.97.0.1", "192.168.0.1", "10.96.255.255")))
        service["spec"] = {"type": "ClusterIP", "clusterIP": ip, "ports": [PORT]}
        return lambda: self.c.create(service)

    def _invalid_service(self, data: st.DataObject, service: dict) -> Request:
        spec = service["spec"] = {"type": "ClusterIP", "ports": [PORT]}
        broken = data.draw(st.sampled_from(("port", "names", "nodePort", "type", "target")))
        if broken == "port":
            spec["ports"] = [{"port": 0}]
        elif broken == "names":
            spec["ports"] = [{"port": 80}, {"port": 81}]
        elif broken == "nodePort":
            spec["ports"] = [{"port": 80, "nodePort": 30500}]
        elif broken == "target":
            spec["ports"] = [{"port": 80, "targetPort": "Not_A_Name"}]
        else:
            spec["type"] = "Balanced"
        return lambda: self.c.create(service)

    def _cluster_ip_change(self, data: st.DataObject, service: dict) -> Request:
        names = [
            s["metadata"]["name"]
            for s in self.c.store.list("Service", "default")
            if s["spec"]["type"] != "ExternalName"
        ]
        obj = self.c.get("svc", data.draw(st.sampled_from(names)))
        obj["spec"]["clusterIP"] = "10.96.0.77" if obj["spec"]["clusterIP"] == "None" else "None"
        obj["spec"].pop("clusterIPs", None)
        return lambda: self.c.update(obj)

    # -- invariants -----------------------------------------------------------------------

    @invariant()
    def settled_and_consistent(self) -> None:
        check_all(self.c, self.max_per_slice, self.retyped)


ClusterMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestClusterInvariants = ClusterMachine.TestCase


# -- upstream facts the state machine ran into, pinned as plain examples ----------------------


def _web(c: ControlPlane, replicas: int) -> None:
    template = {
        "metadata": {"labels": {"app": "web", "tier": "front"}},
        "spec": {"containers": [{"name": "app", "image": "nginx"}]},
    }
    c.create(deployment("web", replicas, template))


def test_endpoints_addresses_sort_as_ip_strings() -> None:
    # RepackSubsets sorts with LessEndpointAddress, a bytes.Compare of the IP *strings*
    # (kubernetes/kubernetes pkg/api/v1/endpoints/util.go), so .10 comes before .2.
    c = ControlPlane(seed=1)
    _web(c, 18)
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
        }
    )
    ips = [a["ip"] for a in c.get("ep", "web")["subsets"][0]["addresses"]]
    assert ips == sorted(ips)
    assert ips.index("10.244.1.10") < ips.index("10.244.1.2")
    check_all(c, 100)


def test_service_turned_external_name_keeps_its_endpoints() -> None:
    # Both controllers return early for ExternalName before looking at existing objects
    # (endpointslice_controller.go and endpoints_controller.go syncService, issue #105986), so
    # the last EndpointSlices and Endpoints stay until the Service is deleted.
    c = ControlPlane(seed=2)
    _web(c, 2)
    service = c.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
        }
    )
    service["spec"].update(type="ExternalName", externalName="example.com")
    c.update(service)
    slices = c.list("endpointslices", selector="kubernetes.io/service-name=web")
    assert sum(len(s["endpoints"] or ()) for s in slices) == 2
    assert len(c.get("ep", "web")["subsets"][0]["addresses"]) == 2
    c.delete("svc", "web")
    assert c.list("endpointslices", selector="kubernetes.io/service-name=web") == []
    assert [e["metadata"]["name"] for e in c.list("ep")] == ["kubernetes"]
    check_all(c, 100)


def test_refused_node_port_gives_back_the_ports_taken_before() -> None:
    # beginCreate allocates nodePorts before validation (rest.go, alloc.go initNodePorts): the
    # first port's 30100 is taken, then 30100 again is refused and everything is undone.
    c = ControlPlane(seed=3)
    before = snapshot(c)
    ports = [
        {"name": "a", "port": 1, "nodePort": 30100},
        {"name": "b", "port": 2, "nodePort": 30100},
    ]
    with pytest.raises(KubenetError):
        c.create(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "np"},
                "spec": {"type": "NodePort", "ports": ports},
            }
        )
    assert snapshot(c) == before
    assert not c.node_ports.has(30100)
