"""NetworkPolicy benchmark: the reachability matrix, one trace through policies, a relabel.

Why: a learner asks `c.reachability()` for the whole pod-by-pod matrix and `c.trace(...)` for one
connection, on large clusters too and right after changing a label or a policy; both must stay
interactive, and what one change costs must follow the change, not the cluster. Measures (a) the
9 x 9 matrix of upstream's netpol e2e world (kubernetes/kubernetes
test/e2e/network/netpol/network_policy.go @ v1.33.0: namespaces x, y, z by pods a, b, c) with one
of its policies; (b) the full matrix of a cluster of 10 labelled namespaces, Deployments of 10
pods and as many NetworkPolicies as Deployments (100 pods / 10 policies, then 1,000 / 100),
against `verdict` asked pair by pair; (c) one `c.trace("ns/pod", "svc.ns", 80)` through the
policies, warm and after a policy update; (d) one pod's relabel and the first trace after it,
with the policies and without any. Medians of N runs; 'x base' divides by `Cluster()`
construction timed in the same process. Run by hand from the repository root:
`python benchmarks/policy.py` (`--quick` for a smoke run). Not a test: pytest never collects it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the package and tests/ beside us
from kubenet_nb import Cluster
from kubenet_nb.network.policy import allowed_matrix, policy_state, verdict
from tests.network.netpol_world import e2e_world as world

__all__ = ["ROWS", "Sizes", "build", "e2e_world", "main"]

NAMESPACES = 10
REPLICAS = 10
WORKERS = 19  # 20 nodes of 110 pods: room for 1,000 pods and the DaemonSets
CLIENT_ROLE, OTHER_ROLE = "client", "server"
VERDICT_SAMPLE = 20
"""Sources asked of `verdict` against every destination, the pair-by-pair estimate's rows."""
ROWS: tuple[tuple[str, float], ...] = (
    ("allowed_matrix(state, pods, 80)", 0.0),
    ("c.reachability(80)", 1.0),
    (f"verdict x n² (estimated from {VERDICT_SAMPLE} rows)", 0.0),
    ("trace(pod, svc.ns, 80), warm", 0.005),
    ("policy update (c.update)", 0.0),
    ("trace, first after the policy update", 0.005),
    ("relabel one pod (c.update)", 0.0),
    ("trace, first after the relabel", 0.005),
    ("0 policies: relabel one pod", 0.0),
    ("0 policies: trace, first after the relabel", 0.005),
)
"""(what, aim in seconds or 0 for none): the rows of table (b)-(d), in order."""


@dataclass(frozen=True)
class Sizes:
    """One benchmark shape: Deployments (and policies) small and large, repetitions."""

    small: int
    large: int
    repeats: int


FULL = Sizes(small=10, large=100, repeats=15)
QUICK = Sizes(small=10, large=30, repeats=3)


def _ns(index: int) -> str:
    return f"ns-{index % NAMESPACES:02d}"


def _app(index: int) -> str:
    """Deployment `index` lives in namespace index % 10; its name says both."""
    return f"app-{index % NAMESPACES:02d}-{index // NAMESPACES:02d}"


def _namespace(index: int) -> dict:
    labels = {"team": f"team-{index % 3}", "tier": ("frontend", "backend")[index % 2]}
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": _ns(index), "labels": labels},
    }


def _deployment(index: int) -> dict:
    """10 agnhost pods labelled app=<name>, role client or server, serving `http` on 80."""
    name = _app(index)
    role = CLIENT_ROLE if index // NAMESPACES % 2 else OTHER_ROLE
    template_labels = {"app": name, "role": role}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": _ns(index), "labels": {"app": name}},
        "spec": {
            "replicas": REPLICAS,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": template_labels},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "registry.k8s.io/e2e-test-images/agnhost:2.53",
                            "command": ["/agnhost", "serve-hostname", "--tcp", "--http=false"],
                            "args": ["--port", "80"],
                            "ports": [{"containerPort": 80, "name": "http"}],
                        }
                    ]
                },
            },
        },
    }


def _service(index: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": _app(index), "namespace": _ns(index)},
        "spec": {"selector": {"app": _app(index)}, "ports": [{"port": 80, "targetPort": "http"}]},
    }


def _policy(index: int) -> dict:
    """Policy `index` in namespace index % 10, its shape by k = index // 10: 0 lets only
    clients of the namespaces of team-0 into the namespace's first app on 80 (the relabel
    flips it), 1 denies all ingress, 2 allows the namespace itself, 3 a named port into the
    k-th app from namespaces not `backend` (matchExpressions), 4 egress of the k-th app to the
    pod network but one node's /24, and DNS, above 4 selector pairs across namespaces."""
    ns, kind = index % NAMESPACES, index // NAMESPACES
    app = {"matchLabels": {"app": _app(ns + NAMESPACES * kind)}}
    spec: dict
    if kind == 0:
        peer = {
            "namespaceSelector": {"matchLabels": {"team": "team-0"}},
            "podSelector": {"matchLabels": {"role": CLIENT_ROLE}},
        }
        spec = {
            "podSelector": {"matchLabels": {"app": _app(ns)}},
            "ingress": [{"from": [peer], "ports": [{"port": 80}]}],
        }
    elif kind == 1:
        spec = {"podSelector": {}, "policyTypes": ["Ingress"]}
    elif kind == 2:
        spec = {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]}
    elif kind == 3:
        not_backend = {
            "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["backend"]}]
        }
        spec = {
            "podSelector": app,
            "ingress": [
                {"from": [{"namespaceSelector": not_backend}], "ports": [{"port": "http"}]}
            ],
        }
    elif kind == 4:
        block = {"cidr": "10.244.0.0/16", "except": [f"10.244.{ns % 4}.0/24"]}
        spec = {
            "podSelector": app,
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [{"ipBlock": block}]},
                {"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]},
            ],
        }
    else:
        roles = {
            "matchExpressions": [{"key": "role", "operator": "In", "values": ["client", "batch"]}]
        }
        spec = {
            "podSelector": app,
            "ingress": [
                {
                    "from": [
                        {
                            "namespaceSelector": {"matchLabels": {"team": f"team-{kind % 3}"}},
                            "podSelector": roles,
                        }
                    ],
                    "ports": [{"port": 8000, "endPort": 8080}, {"port": 80}],
                }
            ],
        }
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": f"np-{index:03d}", "namespace": _ns(index)},
        "spec": spec,
    }


def build(deployments: int, policies: int) -> Cluster:
    """`Cluster(workers=19)`, 10 labelled namespaces, `deployments` Deployments of 10 pods with
    a Service each, then `policies` NetworkPolicies; every pod Running."""
    cluster = Cluster(workers=WORKERS)
    for index in range(NAMESPACES):
        cluster.create(_namespace(index))
    for index in range(deployments):
        cluster.create(_deployment(index))
        cluster.create(_service(index))
    for index in range(policies):
        cluster.create(_policy(index))
    pods = [
        pod for pod in cluster.list("pods", None) if pod["metadata"]["namespace"].startswith("ns-")
    ]
    running = sum(1 for pod in pods if pod["status"].get("phase") == "Running")
    found = (len(pods), running, len(cluster.list("networkpolicies", None)))
    wanted = (deployments * REPLICAS, deployments * REPLICAS, policies)
    if found != wanted:
        raise SystemExit(f"unexpected (pods, running, policies): {found} != {wanted}")
    return cluster


def e2e_world() -> Cluster:
    """network_policy.go's world (tests/network/netpol_world.py: x, y, z by a, b, c serving 80
    and 81, with their Services) and its policy "should enforce policy based on PodSelector or
    NamespaceSelector"."""
    cluster = world(ports=(80, 81))
    not_x = {
        "matchExpressions": [
            {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["x"]}
        ]
    }
    peers = [{"namespaceSelector": not_x}, {"podSelector": {"matchLabels": {"pod": "b"}}}]
    spec = {
        "podSelector": {"matchLabels": {"pod": "a"}},
        "ingress": [{"from": peers}],
        "policyTypes": ["Ingress"],
    }
    metadata = {"name": "allow-ns-y-match-selector", "namespace": "x"}
    cluster.create(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": metadata,
            "spec": spec,
        }
    )
    return cluster


def _median(call: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _workload_pods(cluster: Cluster) -> list[dict]:
    """The pods of the 10 namespaces, sorted by namespace then name (as c.reachability)."""
    pods = [
        pod for pod in policy_state(cluster).pods if pod["metadata"]["namespace"].startswith("ns-")
    ]
    return sorted(pods, key=lambda pod: (pod["metadata"]["namespace"], pod["metadata"]["name"]))


class Scenario:
    """One cluster's rows: the matrix, traces and a relabel, each a list of seconds."""

    def __init__(self, cluster: Cluster, repeats: int) -> None:
        self.cluster, self.repeats = cluster, repeats
        self.values: dict[str, list[float]] = {row[0]: [] for row in ROWS}
        self.verdicts: set[str] = set()
        source = cluster.list("pods", "ns-00", selector=f"app={_app(0)}")[0]
        self.source = f"ns-00/{source['metadata']['name']}"
        self.target = f"{_app(1)}.ns-01"

    def time(self, row: int, call: Callable[..., object], *args: object) -> object:
        start = time.perf_counter()
        result = call(*args)
        self.values[ROWS[row][0]].append(time.perf_counter() - start)
        return result

    def trace(self, row: int) -> None:
        found = self.time(row, self.cluster.trace, self.source, self.target, 80)
        policy = getattr(found, "policy", None)
        judged = "no policy hop" if policy is None else ("allowed" if policy else "denied")
        self.verdicts.add(f"{getattr(found, 'verdict', '?')} ({judged})")

    def relabel(self, row: int, role: str) -> None:
        namespace, name = self.source.split("/")
        pod = self.cluster.get("pod", name, namespace)
        pod["metadata"]["labels"]["role"] = role
        self.time(row, self.cluster.update, pod)

    def matrix(self) -> None:
        """(b): the matrix alone, through c.reachability, and `verdict` pair by pair."""
        for _ in range(self.repeats):
            state = policy_state(self.cluster)
            pods = _workload_pods(self.cluster)
            self.time(0, allowed_matrix, state, pods, 80)
            self.time(1, self.cluster.reachability, 80)
        state = policy_state(self.cluster)
        pods = _workload_pods(self.cluster)
        step = max(1, len(pods) // VERDICT_SAMPLE)
        rows = range(0, len(pods), step)[:VERDICT_SAMPLE]
        start = time.perf_counter()
        answers = [[verdict(state, pods[i], dst, 80).allowed for dst in pods] for i in rows]
        self.values[ROWS[2][0]].append((time.perf_counter() - start) * len(pods) / len(rows))
        matrix = allowed_matrix(state, pods, 80)
        if any(list(matrix[i]) != answer for i, answer in zip(rows, answers, strict=True)):
            raise SystemExit("allowed_matrix and verdict disagree: no figures for a wrong answer")

    def traces(self) -> None:
        """(c) and (d): a warm trace; a policy update then the first trace; a relabel of the
        source pod then the first trace, its role flipping between client and server."""
        self.cluster.trace(self.source, self.target, 80)
        for _ in range(self.repeats):
            self.trace(3)
        policies = self.cluster.list("networkpolicies", "ns-01")
        for rep in range(self.repeats):
            changed = policies[rep % len(policies)] if policies else None
            if changed is not None:
                changed["metadata"].setdefault("annotations", {})["rev"] = str(rep)
                self.time(4, self.cluster.update, changed)
                changed = self.cluster.get("networkpolicies", changed["metadata"]["name"], "ns-01")
                policies[rep % len(policies)] = changed
                self.trace(5)
            for role in (CLIENT_ROLE, OTHER_ROLE):
                self.relabel(6, role)
                self.trace(7)

    def without_policies(self) -> None:
        """(d) once more on the same cluster with every NetworkPolicy deleted."""
        for policy in self.cluster.list("networkpolicies", None):
            self.cluster.delete(
                "networkpolicy", policy["metadata"]["name"], policy["metadata"]["namespace"]
            )
        for _ in range(self.repeats):
            for role in (CLIENT_ROLE, OTHER_ROLE):
                self.relabel(8, role)
                self.time(9, self.cluster.trace, self.source, self.target, 80)

    def medians(self) -> dict[str, float]:
        return {row: statistics.median(v) if v else float("nan") for row, v in self.values.items()}


@dataclass
class Report:
    """What one run measured, printed as tables."""

    sizes: Sizes
    baseline: float
    e2e: dict[str, float] = field(default_factory=dict)
    medians: dict[int, dict[str, float]] = field(default_factory=dict)
    verdicts: dict[int, set[str]] = field(default_factory=dict)
    busy: dict[int, float] = field(default_factory=dict)
    """CPU time / wall time of each size's measurements (under 0.9: another process ran)."""

    def print(self) -> None:
        small, large = self.sizes.small, self.sizes.large
        print(
            f"kubenet-nb NetworkPolicy benchmark, {date.today()}, Python "
            f"{platform.python_version()}, {os.cpu_count()} cores\nmedians of "
            f"{self.sizes.repeats}; baseline: Cluster() construction, median of "
            f"{self.sizes.repeats}: {self.baseline * 1e3:.2f} ms; 'x base' = figure / baseline\n"
        )
        print(f"{'(a) e2e world x, y, z by a, b, c; 1 policy (ms)':58}{'':>9}{'x base':>9}")
        for label, value in self.e2e.items():
            print(f"{label:58}{value * 1e3:>9.2f}{value / self.baseline:>9.2f}")
        print()
        pods = f"{small * REPLICAS:>4,} pods{large * REPLICAS:>9,} pods"
        print(f"{'(b)-(d) 10 namespaces (ms)':55}{pods}{'ratio':>8}{'x base':>9}  aim")
        print(f"{'':55}{small:>4} pol.{large:>9} pol.")
        for label, aim in ROWS:
            x, y = self.medians[small][label] * 1e3, self.medians[large][label] * 1e3
            cells = f"{label:55}{x:>9.2f}{y:>14.2f}{f'{y / x:.1f}x':>8}"
            cells += f"{y / (self.baseline * 1e3):>9.2f}"
            if aim:
                cells += f"  <= {aim * 1e3:g} ms {'ok' if y <= aim * 1e3 else 'MISSED'}"
            print(cells)
        print()
        for size in (small, large):
            with_policies = self.medians[size][ROWS[7][0]]
            without = self.medians[size][ROWS[9][0]]
            print(
                f"first trace after a relabel at {size * REPLICAS:,} pods, with policies / "
                f"without: {with_policies / without:.2f}x; traces ended: "
                + ", ".join(sorted(self.verdicts[size]))
            )
        for size, ratio in self.busy.items():
            print(f"CPU / wall during the measurements at {size * REPLICAS:,} pods: {ratio:.2f}")


def run(sizes: Sizes) -> Report:
    """Table (a), then each size's cluster built (not timed) and measured, the small first."""
    report = Report(sizes, _median(Cluster, sizes.repeats))
    world = e2e_world()
    state = policy_state(world)
    pods = sorted(
        (pod for pod in state.pods if pod["metadata"]["namespace"] in ("x", "y", "z")),
        key=lambda pod: (pod["metadata"]["namespace"], pod["metadata"]["name"]),
    )
    report.e2e["allowed_matrix(state, 9 pods, 80)"] = _median(
        lambda: allowed_matrix(state, pods, 80), sizes.repeats
    )
    report.e2e["verdict x 81 pairs (the same answers)"] = _median(
        lambda: [verdict(state, s, d, 80) for s in pods for d in pods], sizes.repeats
    )
    report.e2e["c.reachability(80, namespace='x')"] = _median(
        lambda: world.reachability(80, namespace="x"), sizes.repeats
    )
    everyone = len(state.pods)
    report.e2e[f"c.reachability(80), all {everyone} pods (kube-system too)"] = _median(
        lambda: world.reachability(80), sizes.repeats
    )
    for deployments in (sizes.small, sizes.large):
        scenario = Scenario(build(deployments, deployments), sizes.repeats)
        wall, cpu = time.perf_counter(), time.process_time()
        scenario.matrix()
        scenario.traces()
        report.verdicts[deployments] = set(scenario.verdicts)
        scenario.without_policies()
        report.busy[deployments] = (time.process_time() - cpu) / (time.perf_counter() - wall)
        report.medians[deployments] = scenario.medians()
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--repeats", type=int, help="repetitions per row (default 15)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.repeats:
        sizes = Sizes(sizes.small, sizes.large, args.repeats)
    run(sizes).print()


if __name__ == "__main__":
    main()
