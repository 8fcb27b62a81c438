"""A Hypothesis state machine that drives a `Cluster` only through `kubectl` command lines.

Each step is one command line as a learner types it (create deployment, run, expose, scale,
label, annotate, delete, cordon, uncordon, drain, apply -f -, create service, get, describe),
a share of them deliberately wrong (bad flags, unknown names, out-of-range or taken ports,
invalid label keys), plus simulated time (`advance`) and readiness flips (`set_ready`). After
every step the engine's invariants of tests/cluster/invariants.py hold (unique pod IPs,
ClusterIPs and nodePorts, EndpointSlices and Endpoints equal to the selected pods, the cluster
settled), and a command refused with a `KubenetError` left everything as it was: objects,
allocators, randomness, events and clock (`invariants.snapshot`). kubectl raises only when it
printed nothing; a command that wrote something before failing (`drain` cordons first, `run
--expose` creates the Service first) reports the error in its text instead, as kubectl does.

The run counts its kubectl command lines; with CI set (Hypothesis derandomized by
tests/conftest.py) it must run at least `MIN_CI_STEPS` of them.
"""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.network.netfilter import parse_ruleset

# tests/cluster/invariants.py is imported as test_cluster_invariants.py imports it: by its
# directory on sys.path (rootdir-style imports; tests/ has no __init__.py).
_INVARIANTS = str(Path(__file__).resolve().parents[1] / "cluster")
if _INVARIANTS not in sys.path:
    sys.path.insert(0, _INVARIANTS)
from invariants import (  # noqa: E402
    check_cluster_ips,
    check_endpoint_slices,
    check_legacy_endpoints,
    check_load_balancers,
    check_node_ports,
    check_pods,
    snapshot,
)

MIN_CI_STEPS = 10_000
"""kubectl command lines a CI run must execute (issue 10 item 5)."""

WORKERS = ("kind-worker", "kind-worker2")
NODES = ("kind-control-plane", *WORKERS, "kind-worker9")
DEPLOYMENTS = ("web", "api")
RUN_PODS = ("tool", "web", "probe")
SERVICES = ("web", "api", "tool", "front", "np")
IMAGES = ("nginx", "busybox", "registry.k8s.io/e2e-test-images/agnhost:2.39")
BAD_IMAGES = ("Nginx", "nginx:", "UPPER/case")
PORTS = ("80", "8080", "53")
BAD_PORTS = ("0", "70000", "-1", "http", "")
TARGET_PORTS = ("80", "8080", "http", "9376", "0", "70000", "Bad_Name")
SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer")
# 30000-30085 is the static band the dynamic allocator leaves alone, so these collide only with
# each other; 29999 and 32768 are outside the default range 30000-32767.
NODE_PORTS = (30000, 30001, 30080)
BAD_NODE_PORTS = (29999, 32768, 0)
LABEL_KEYS = ("tier", "app", "run", "example.com/team", "team")
BAD_LABEL_KEYS = ("-bad", "a/b/c", "Bad Key", "example..com/x", "k" * 64)
LABEL_VALUES = ("front", "web", "x", "")
BAD_LABEL_VALUES = ("-bad-", "v" * 64, "a b")
ANNOTATION_VALUES = ("hello", "a b c", "", "{json: 1}")
GRACE = ("", " --grace-period=0", " --grace-period=1", " --grace-period=5", " --now")
GRACE_EXTRA = (" --grace-period=30", " --grace-period=-1", " --force --grace-period=0")
STEP_SECONDS = (0.5, 1.0, 2.0, 5.0, 31.0)
# Wrong on the command line itself: kubectl refuses each before any request is sent.
BAD_COMMANDS = (
    "frobnicate pods",
    "",
    "get pods --bogus",
    "create deployment Web_1 --image=nginx",
    "create deployment x --image=nginx --replicas=-1",
    "create deployment x --image=nginx --replicas=abc",
    "create deployment x --image=nginx --port=70000",
    "create deployment x",
    "run x",
    "run Bad_Name --image=nginx",
    "run x --image=nginx --expose",
    "run x --image=nginx --restart=Sometimes",
    "scale deploy web",
    "scale deploy web --replicas=-1",
    "scale deploy missing --replicas=1",
    "expose pod missing --port=80",
    "expose deploy web --type=Balanced --port=80",
    "expose deploy web --port=80 --protocol=ICMP",
    "expose node kind-worker --port=80",
    "label pod missing a=b",
    "label pods --all",
    "annotate svc missing a=b",
    "delete",
    "delete pod missing",
    "delete deploy missing --grace-period=0",
    "delete svc kubernetes-missing",
    "cordon kind-worker9",
    "uncordon",
    "drain kind-worker9 --ignore-daemonsets",
    "apply -f -",
    "apply -f -\nkind: Service\n",
    "apply -f -\napiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\n",
    "create service nodeport np --tcp=80 --node-port=29999",
    "create service clusterip np --tcp=0",
    "create service loadbalancer np",
    "exec tool -- false-command",
    "get pods 'unclosed",
)

_steps = 0
"""kubectl command lines run by the machine in this process, read by the test below."""


def _flag(value: str | None, name: str) -> str:
    return "" if value is None else f" --{name}={value}"


def _service_manifest(
    name: str, kind: str, selector: str, ports: list[tuple[int, int | None]], headless: bool
) -> str:
    """A Service in YAML, as a learner writes it for `kubectl apply -f -`."""
    key, _, value = selector.partition("=")
    lines = [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        f"  name: {name}",
        "spec:",
        f"  type: {kind}",
        "  selector:",
        f"    {key}: {value}",
    ]
    if kind == "ExternalName":
        lines.append("  externalName: example.com")
    if headless:
        lines.append("  clusterIP: None")
    if ports:
        lines.append("  ports:")
    for i, (port, node_port) in enumerate(ports):
        lines += [f"  - name: p{i}", f"    port: {port}", "    targetPort: 80"]
        if node_port is not None:
            lines.append(f"    nodePort: {node_port}")
    return "\n".join(lines) + "\n"


def _deployment_manifest(name: str, replicas: int, port: int) -> str:
    """A Deployment in YAML, the shape `kubectl create deployment --dry-run -o yaml` prints,
    with a readinessProbe that `set_ready` can fail."""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: app
        image: nginx
        ports:
        - containerPort: {port}
          name: http
        readinessProbe:
          tcpSocket:
            port: http
"""


def check_rollouts(c: Cluster) -> None:
    """Deployments whose template changed mid-run (apply -f - after create deployment) roll out.

    invariants.check_deployments wants exactly spec.replicas active pods, which holds only once a
    rollout is complete; a rollout waits for new pods to become available, and readiness flips,
    cordoned nodes and maxPods can hold it forever. What holds throughout (pkg/controller/
    deployment/rolling.go, replica_set.go): each ReplicaSet has exactly its spec.replicas active
    pods; a Deployment's ReplicaSets together ask for at most replicas + maxSurge (25%, rounded
    up: intstr.GetScaledValueFromIntOrPercent(roundUp=true)); with a single ReplicaSet left
    scaled up, exactly replicas.
    """
    store = c.control_plane.store
    active: Counter[str] = Counter()
    for pod in store.list("Pod"):
        if pod["metadata"].get("deletionTimestamp"):
            continue
        refs = pod["metadata"].get("ownerReferences") or ()
        ref = next((r for r in refs if r.get("controller") and r["kind"] == "ReplicaSet"), None)
        if ref is not None:
            active[ref["uid"]] += 1
    owned: dict[str, list[dict]] = {}
    for rs in store.list("ReplicaSet"):
        name = f"replicaset {rs['metadata']['name']}"
        want = rs["spec"]["replicas"]
        assert active[rs["metadata"]["uid"]] == want, f"{name} wants {want} pods"
        ref = next(r for r in rs["metadata"]["ownerReferences"] if r.get("controller"))
        owned.setdefault(ref["uid"], []).append(rs)
    for deployment in store.list("Deployment"):
        name = f"deployment {deployment['metadata']['name']}"
        want = deployment["spec"]["replicas"]
        sets = owned.get(deployment["metadata"]["uid"], [])
        asked = sum(rs["spec"]["replicas"] for rs in sets)
        assert asked <= want + math.ceil(want / 4), f"{name} ({want}) asks {asked} pods"
        if sum(1 for rs in sets if rs["spec"]["replicas"]) <= 1:
            assert asked == want, f"{name} rolled out with {asked} pods, wants {want}"


class KubectlMachine(RuleBasedStateMachine):
    """One kind cluster, driven by kubectl command lines; invariants after every step."""

    c: Cluster

    def __init__(self) -> None:
        super().__init__()
        self.retyped: dict[str, str] = {}
        """Services ("default/name") whose type an apply changed, with the uid changed."""

    # -- helpers --------------------------------------------------------------------------

    def names(self, kind: str, namespace: str = "default") -> list[str]:
        """Names of the objects of `kind` in `namespace`, as the store holds them now."""
        return [o["metadata"]["name"] for o in self.c.control_plane.store.list(kind, namespace)]

    def pick(self, data: st.DataObject, kind: str, *extra: str) -> str:
        """A live object's name, or one of `extra` (names that may or may not exist)."""
        return data.draw(st.sampled_from(sorted({*self.names(kind), *extra})), label=kind)

    def kubectl(self, line: str) -> str | None:
        """Run one command line; a refusal (KubenetError) must leave the cluster as it was.

        Returns kubectl's text, or None when the command was refused. Any other exception is
        an engine bug and fails the test.
        """
        global _steps
        _steps += 1
        before = snapshot(self.c.control_plane)
        try:
            return self.c.kubectl(line)
        except KubenetError:
            after = snapshot(self.c.control_plane)
            changed = sorted(k for k in before if before[k] != after[k])
            assert not changed, f"refused `kubectl {line}` changed {changed}"
            return None

    def read_only(self, line: str) -> None:
        """A command that only reads: it may fail, and never changes anything."""
        before = snapshot(self.c.control_plane)
        self.kubectl(line)
        after = snapshot(self.c.control_plane)
        changed = sorted(k for k in before if before[k] != after[k])
        assert not changed, f"`kubectl {line}` changed {changed}"

    # -- set-up ---------------------------------------------------------------------------

    @initialize(
        seed=st.integers(0, 2**16),
        replicas=st.integers(0, 3),
        expose=st.sampled_from((None, *SERVICE_TYPES)),
    )
    def boot(self, seed: int, replicas: int, expose: str | None) -> None:
        """A fresh kind cluster, with a deployment (maybe exposed) to start from."""
        self.c = Cluster(seed=seed)
        self.kubectl(f"create deployment web --image=nginx --replicas={replicas} --port=80")
        if expose:
            self.kubectl(f"expose deployment web --port=80 --type={expose}")

    # -- workloads ------------------------------------------------------------------------

    @rule(
        name=st.sampled_from(DEPLOYMENTS),
        image=st.sampled_from(IMAGES + BAD_IMAGES[:1]),
        replicas=st.sampled_from(("0", "1", "2", "3", None)),
        port=st.sampled_from((None, "80", "8080", "0")),
    )
    def create_deployment(self, name: str, image: str, replicas: str | None, port: str) -> None:
        """`create deployment`: new, or refused when the name is taken or a flag is invalid."""
        line = f"create deployment {name} --image={image}"
        self.kubectl(line + _flag(replicas, "replicas") + _flag(port, "port"))

    @rule(
        name=st.sampled_from(RUN_PODS),
        image=st.sampled_from(IMAGES + BAD_IMAGES),
        port=st.sampled_from((None, *PORTS, "0")),
        expose=st.booleans(),
        labels=st.sampled_from((None, "app=web", "app=api,tier=front", "bad key=x")),
    )
    def run_pod(
        self, name: str, image: str, port: str | None, expose: bool, labels: str | None
    ) -> None:
        """`run NAME --image` with maybe `--port`, `--expose` and `--labels`."""
        line = f"run {name} --image={image}" + _flag(port, "port") + _flag(labels, "labels")
        self.kubectl(line + (" --expose" if expose else ""))

    @rule(
        data=st.data(),
        resource=st.sampled_from(("deploy", "deployment", "pod", "svc")),
        kind=st.sampled_from((None, *SERVICE_TYPES)),
        port=st.sampled_from((None, *PORTS, *BAD_PORTS[:2])),
        target_port=st.sampled_from((None, *TARGET_PORTS)),
        name=st.sampled_from((None, *SERVICES)),
    )
    def expose(
        self,
        data: st.DataObject,
        resource: str,
        kind: str | None,
        port: str | None,
        target_port: str | None,
        name: str | None,
    ) -> None:
        """`expose deploy|pod|svc NAME` with maybe --port, --target-port, --type, --name."""
        store_kind = {"deploy": "Deployment", "deployment": "Deployment", "pod": "Pod"}
        obj = self.pick(data, store_kind.get(resource, "Service"), "missing")
        line = f"expose {resource} {obj}" + _flag(port, "port") + _flag(target_port, "target-port")
        self.kubectl(line + _flag(kind, "type") + _flag(name, "name"))

    @rule(
        data=st.data(),
        replicas=st.sampled_from(("0", "1", "2", "3", "-1", "x")),
        current=st.sampled_from((None, None, "0", "1", "2")),
    )
    def scale(self, data: st.DataObject, replicas: str, current: str | None) -> None:
        """`scale deploy NAME --replicas=N`, maybe with a --current-replicas precondition."""
        name = self.pick(data, "Deployment", "missing")
        line = f"scale deploy {name} --replicas={replicas}" + _flag(current, "current-replicas")
        self.kubectl(line)

    # -- metadata -------------------------------------------------------------------------

    @rule(
        data=st.data(),
        verb=st.sampled_from(("label", "annotate")),
        resource=st.sampled_from(("pod", "deploy", "svc", "node", "pods --all", "pods -l")),
        op=st.sampled_from(("set", "set", "overwrite", "remove", "bad-key", "bad-value")),
        key=st.sampled_from(LABEL_KEYS),
        value=st.sampled_from(LABEL_VALUES),
    )
    def label(
        self, data: st.DataObject, verb: str, resource: str, op: str, key: str, value: str
    ) -> None:
        """`label` and `annotate`: set, overwrite, remove; now and then a key or value kubectl
        or the API server refuses (a label value; annotation values may be anything)."""
        kinds = {"pod": "Pod", "deploy": "Deployment", "svc": "Service", "node": "Node"}
        if resource in kinds:
            extra = NODES if resource == "node" else ("missing",)
            target = f"{resource} {self.pick(data, kinds[resource], *extra)}"
        elif resource == "pods -l":
            target = "pods -l " + data.draw(st.sampled_from(("app=web", "run=tool", "app in (a")))
        else:
            target = resource
        if verb == "annotate" and op in ("set", "overwrite"):
            value = data.draw(st.sampled_from(ANNOTATION_VALUES))
        if op == "remove":
            pair = f"{key}-"
        elif op == "bad-key":
            pair = f"{data.draw(st.sampled_from(BAD_LABEL_KEYS))}={value}"
        elif op == "bad-value":
            pair = f"{key}={data.draw(st.sampled_from(BAD_LABEL_VALUES))}"
        else:
            pair = f"{key}={value}"
        # Single quotes keep values with spaces (and empty ones) one word on the line.
        line = f"{verb} {target} '{pair}'" + (" --overwrite" if op == "overwrite" else "")
        self.kubectl(line)

    # -- deletion and nodes ---------------------------------------------------------------

    @rule(
        data=st.data(),
        resource=st.sampled_from(("pod", "pod", "deploy", "svc", "pods --all", "pods -l")),
        grace=st.sampled_from(GRACE + GRACE_EXTRA),
        wait=st.booleans(),
    )
    def delete(self, data: st.DataObject, resource: str, grace: str, wait: bool) -> None:
        """`delete` pods (by name, --all, -l), deployments or Services, with a grace period."""
        kinds = {"pod": "Pod", "deploy": "Deployment", "svc": "Service"}
        if resource in kinds:
            names = [self.pick(data, kinds[resource], "missing")]
            if data.draw(st.integers(0, 5)) == 0:
                names.append(self.pick(data, kinds[resource], "missing"))
            target = f"{resource} {' '.join(names)}"
        elif resource == "pods -l":
            target = "pods -l " + data.draw(st.sampled_from(("app=web", "run", "app!=api")))
        else:
            target = resource
        self.kubectl(f"delete {target}{grace}" + ("" if wait else " --wait=false"))

    @rule(
        verb=st.sampled_from(("cordon", "uncordon", "cordon", "uncordon", "drain")),
        node=st.sampled_from(WORKERS + WORKERS + NODES),
        flags=st.sampled_from(
            (
                "",
                " --ignore-daemonsets",
                " --ignore-daemonsets --force",
                " --ignore-daemonsets --grace-period=0",
                " --ignore-daemonsets --force --delete-emptydir-data",
                " --dry-run=client",
            )
        ),
    )
    def node(self, verb: str, node: str, flags: str) -> None:
        """`cordon`, `uncordon` and `drain` (bare pods need --force; DaemonSet pods need
        --ignore-daemonsets); drain's other flags are refused by cordon and uncordon."""
        self.kubectl(f"{verb} {node}{flags if verb == 'drain' or 'dry' in flags else ''}")

    # -- manifests and Services ------------------------------------------------------------

    @rule(
        name=st.sampled_from(SERVICES),
        kind=st.sampled_from((*SERVICE_TYPES, "NodePort", "ExternalName")),
        selector=st.sampled_from(("app=web", "app=api", "run=tool", "tier=front")),
        ports=st.lists(
            st.tuples(
                st.sampled_from((80, 443, 8080, 0)),
                st.sampled_from((None, None, *NODE_PORTS, *BAD_NODE_PORTS[:1])),
            ),
            max_size=2,
        ),
        headless=st.integers(0, 5).map(lambda n: n == 0),
    )
    def apply_service(
        self,
        name: str,
        kind: str,
        selector: str,
        ports: list[tuple[int, int | None]],
        headless: bool,
    ) -> None:
        """`apply -f -` of a Service whose nodePorts may collide, be out of range or be given
        to a ClusterIP Service; a new type for an existing Service is a retype."""
        store = self.c.control_plane.store
        old = store.get("Service", "default", name)
        manifest = _service_manifest(name, kind, selector, ports, headless)
        if self.kubectl("apply -f -\n" + manifest) is None or old is None:
            return
        new = store.get("Service", "default", name)
        if new is not None and new["spec"]["type"] != old["spec"]["type"]:
            self.retyped[f"default/{name}"] = new["metadata"]["uid"]

    @rule(
        name=st.sampled_from(DEPLOYMENTS),
        replicas=st.integers(-1, 3),
        port=st.sampled_from((80, 8080, 0)),
    )
    def apply_deployment(self, name: str, replicas: int, port: int) -> None:
        """`apply -f -` of a Deployment: created, changed (replicas, port) or refused."""
        self.kubectl("apply -f -\n" + _deployment_manifest(name, replicas, port))

    @rule(
        kind=st.sampled_from(("nodeport", "clusterip", "loadbalancer")),
        name=st.sampled_from(SERVICES),
        tcp=st.sampled_from(("80", "80:8080", "80:http", "443:0", "70000")),
        node_port=st.sampled_from((None, *NODE_PORTS, *BAD_NODE_PORTS)),
    )
    def create_service(self, kind: str, name: str, tcp: str, node_port: int | None) -> None:
        """`create service TYPE NAME --tcp=...` (selector app=NAME), maybe with --node-port."""
        line = f"create service {kind} {name} --tcp={tcp}"
        self.kubectl(line + ("" if node_port is None else f" --node-port={node_port}"))

    # -- reads, mistakes, time and readiness -----------------------------------------------

    @rule(
        line=st.sampled_from(
            (
                "get pods -o wide",
                "get svc,endpoints",
                "get endpointslices",
                "get deploy,rs -o yaml",
                "get nodes",
                "describe svc",
                "describe pods",
                "describe node kind-worker",
            )
        )
    )
    def read(self, line: str) -> None:
        """Reading commands change nothing at all, not even the random state."""
        self.read_only(line)

    @rule(line=st.sampled_from(BAD_COMMANDS))
    def mistake(self, line: str) -> None:
        """A command line kubectl or the API server refuses (or, for some, accepts later)."""
        self.kubectl(line)

    @rule(seconds=st.sampled_from(STEP_SECONDS))
    def advance(self, seconds: float) -> None:
        """Simulated time passes: terminations finish, backoffs fire."""
        self.c.advance(seconds)

    @rule(data=st.data(), ready=st.booleans())
    def set_ready(self, data: st.DataObject, ready: bool) -> None:
        """A pod's readiness probe starts passing or failing; a missing pod, or one with no
        readinessProbe to fail, is refused."""
        name = self.pick(data, "Pod", "missing")
        before = snapshot(self.c.control_plane)
        try:
            self.c.set_ready(name, ready)
        except KubenetError:
            assert snapshot(self.c.control_plane) == before, "a refused set_ready changed things"

    # -- invariants -----------------------------------------------------------------------

    @invariant()
    def consistent(self) -> None:
        """Settled, unique addresses and ports, EndpointSlices and Endpoints as the pods say."""
        store = self.c.control_plane.store
        for key, uid in list(self.retyped.items()):
            live = store.get("Service", *key.split("/"))
            if live is None or live["metadata"]["uid"] != uid:
                del self.retyped[key]
        cp = self.c.control_plane
        pending = [ctrl.name for ctrl in cp.controllers if ctrl.pending()]
        assert not pending, f"controllers left with work: {pending}"
        # invariants.check_all but with check_rollouts for check_deployments (see there).
        check_pods(cp)
        check_rollouts(self.c)
        check_cluster_ips(cp)
        check_node_ports(cp)
        check_load_balancers(cp)
        check_endpoint_slices(cp, 100, self.retyped.keys())
        check_legacy_endpoints(cp, self.retyped.keys())

    def teardown(self) -> None:
        """One worker's iptables-save text parses, every rule of every chain compiled, and
        KUBE-SERVICES is there (once per example, to keep it cheap: about 2 ms)."""
        if not hasattr(self, "c"):
            return
        tables = parse_ruleset(self.c.iptables_save("kind-worker")).tables
        assert "KUBE-SERVICES" in tables["nat"], "no KUBE-SERVICES chain in the nat table"
        for chains in tables.values():
            for chain in chains.values():
                assert len(chain.rules) == len(chain.lines)


MACHINE_SETTINGS = settings(
    max_examples=340,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_kubectl_state_machine() -> None:
    """Run the machine; in CI (derandomized) it must have run at least MIN_CI_STEPS commands.

    The count is of kubectl command lines the machine ran in this test, shrinking included:
    a robust lower bound that does not depend on Hypothesis's statistics output.
    """
    global _steps
    _steps = 0
    run_state_machine_as_test(KubectlMachine, settings=MACHINE_SETTINGS)
    if os.environ.get("CI"):
        assert _steps >= MIN_CI_STEPS, f"only {_steps} kubectl steps ran"


# -- what the machine ran into, pinned as plain examples ---------------------------------------


def test_external_name_service_may_carry_a_node_port_nothing_holds() -> None:
    # ValidateService forbids a nodePort only for type ClusterIP, and alloc.go allocates only when
    # needsNodePort: an applied ExternalName Service keeps nodePort 30001 without holding it, so
    # a NodePort Service may take 30001 afterwards (invariants.check_node_ports skips it).
    c = Cluster(seed=4)
    ports = [(80, None), (443, 30001)]
    c.kubectl("apply -f -\n" + _service_manifest("np", "ExternalName", "app=api", ports, False))
    assert [p.get("nodePort") for p in c.get("svc", "np")["spec"]["ports"]] == [None, 30001]
    assert not c.control_plane.node_ports.has(30001)
    c.kubectl("create service nodeport web --tcp=80 --node-port=30001")
    assert c.control_plane.node_ports.has(30001)
    check_node_ports(c.control_plane)


def test_rollout_held_by_cordoned_nodes_keeps_the_surge() -> None:
    # A template change rolls out through a new ReplicaSet, which waits for its pods to become
    # available: with every worker cordoned the new pod is never scheduled, so the old
    # ReplicaSet keeps its 2 pods beside it (maxUnavailable floor(25% of 2) = 0, maxSurge
    # ceil(25% of 2) = 1; rolling.go) and the Deployment has 3 active pods for its 2 replicas.
    c = Cluster(seed=5)
    c.kubectl("apply -f -\n" + _deployment_manifest("web", 2, 80))
    c.kubectl("cordon kind-worker kind-worker2")
    c.kubectl("apply -f -\n" + _deployment_manifest("web", 2, 8080))
    c.advance(60)
    sets = sorted(rs["spec"]["replicas"] for rs in c.list("rs"))
    assert sets == [1, 2]
    assert len(c.list("pods")) == 3
    check_rollouts(c)
    check_pods(c.control_plane)
