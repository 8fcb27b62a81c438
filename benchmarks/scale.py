"""Scale benchmark: 100 nodes, 10,000 pods, 1,000 Services; build time, memory, step latency.

Why: a notebook must stay interactive on a large cluster, so the cost of one change (a scale
step, a readiness flip, a pod deletion) has to grow with the change, not with the cluster. Run by
hand from the repository root: `python benchmarks/scale.py` (`--quick` for a smoke run,
`--profile` for cProfile listings at the large size). Not a test: pytest never collects it.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

try:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.cluster.kind import node_manifest
except ModuleNotFoundError:  # a clone without `pip install -e .`: the package is beside us
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.cluster.kind import node_manifest

__all__ = ["Sizes", "build", "main", "measure_steps"]

REPLICAS = 10
STEPS = (
    "scale up 10->11 (update)",
    "scale down 11->10 (update)",
    "set_ready(pod, False)",
    "set_ready(pod, True)",
    "delete pod",
    "advance(2) after delete",
    "extra: create Service",
    "extra: delete Service",
    "extra: add Node (create)",
    "extra: delete Node",
)
AIM_BUILD_S, AIM_MEMORY_MIB, AIM_STEP_MS, AIM_RATIO = 10.0, 1024.0, 2.0, 2.0


@dataclass(frozen=True)
class Sizes:
    """One benchmark shape: worker nodes, then a small and a large count of Deployments."""

    workers: int
    small: int
    large: int
    repeats: int


FULL = Sizes(workers=99, small=100, large=1000, repeats=50)
QUICK = Sizes(workers=19, small=10, large=100, repeats=10)


def app_name(index: int) -> str:
    return f"web-{index:04d}"


def deployment(index: int, replicas: int = REPLICAS) -> dict:
    """A Deployment of `replicas` nginx pods labelled app=<name>."""
    name = app_name(index)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "nginx:1.27",
                            "ports": [{"containerPort": 80}],
                            # set_ready flips what this probe reports
                            "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
                        }
                    ]
                },
            },
        },
    }


def service(index: int, name: str | None = None) -> dict:
    """A ClusterIP Service selecting the Deployment's pods, port 80."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name or app_name(index)},
        "spec": {"selector": {"app": app_name(index)}, "ports": [{"port": 80, "targetPort": 80}]},
    }


@dataclass(frozen=True)
class Build:
    """What a build cost in seconds: `Cluster(workers=...)` alone, all of it, and its CPU time."""

    nodes: float
    total: float
    cpu: float


def build(workers: int, deployments: int) -> tuple[ControlPlane, Build]:
    """`Cluster(workers=...)`, then one Deployment and one Service per index, one request each."""
    start, cpu = time.perf_counter(), time.process_time()
    cluster = ControlPlane(workers=workers)
    nodes = time.perf_counter() - start
    for index in range(deployments):
        cluster.create(deployment(index))
        cluster.create(service(index))
    return cluster, Build(nodes, time.perf_counter() - start, time.process_time() - cpu)


def check(cluster: ControlPlane, workers: int, deployments: int) -> None:
    """Refuse to report figures for a cluster that is not the one described."""
    pods = cluster.list("pods")
    running = sum(1 for p in pods if p["status"].get("phase") == "Running")
    found = (len(cluster.list("nodes")), len(pods), running, len(cluster.list("endpointslices")))
    wanted = (workers + 1, deployments * REPLICAS, deployments * REPLICAS, deployments + 1)
    if found != wanted:
        raise SystemExit(f"unexpected (nodes, pods, running, slices): {found} != {wanted}")


def measure_steps(
    cluster: ControlPlane,
    deployments: int,
    repeats: int,
    profilers: dict[str, cProfile.Profile] | None = None,
) -> dict[str, list[float]]:
    """Seconds of each step in STEPS, each repetition on another Deployment; a step's profiler,
    if given, runs around its measured calls only. The cluster is left as it was found."""
    samples: dict[str, list[float]] = {step: [] for step in STEPS}
    profilers = profilers or {}

    def timed(step: int, call: Callable[..., object], *args: object) -> None:
        profiler = profilers.get(STEPS[step])
        start = time.perf_counter()
        if profiler is not None:
            profiler.runcall(call, *args)
        else:
            call(*args)
        samples[STEPS[step]].append(time.perf_counter() - start)

    workers = len(cluster.list("nodes")) - 1
    stride = max(1, deployments // repeats)
    for rep in range(repeats):
        index = (rep * stride) % deployments
        name = app_name(index)
        for step, replicas in ((0, REPLICAS + 1), (1, REPLICAS)):
            scaled = cluster.get("deploy", name)
            scaled["spec"]["replicas"] = replicas
            timed(step, cluster.update, scaled)
        cluster.advance(2)
        pods = cluster.list("pods", selector=f"app={name}")
        first, second = (pod["metadata"]["name"] for pod in pods[:2])
        timed(2, cluster.set_ready, first, False)
        timed(3, cluster.set_ready, first, True)
        timed(4, cluster.delete, "pod", second)
        timed(5, cluster.advance, 2)
        timed(6, cluster.create, service(index, f"{name}-extra"))
        timed(7, cluster.delete, "svc", f"{name}-extra")
        number = workers + 1 + rep
        node = node_manifest(f"kind-worker{number}", cluster.settings.node_ip(number))
        timed(8, cluster.create, node)
        timed(9, cluster.delete, "node", node["metadata"]["name"])
    return samples


def calibration() -> float:
    """Median seconds of a fixed pure-Python workload (dicts, strings, a sort): the machine's
    speed in the same process, so that figures compare across machines as multiples of it."""

    def workload() -> None:
        items = {f"pod-{i:05d}": {"labels": {"app": f"web-{i % 97:04d}"}} for i in range(2000)}
        sorted(items, key=lambda key: (items[key]["labels"]["app"], key))

    return statistics.median(timeit.repeat(workload, number=1, repeat=50))


class FullCollections:
    """Counts the garbage collector's full (generation 2) passes and the seconds they take."""

    def __init__(self) -> None:
        self.count, self.seconds, self._start = 0, 0.0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.count += 1
            self.seconds += time.perf_counter() - self._start


def memory_child(workers: int, deployments: int, tracer: str) -> None:
    """In a fresh process: build, then print the peak as JSON (MiB)."""
    if tracer == "tracemalloc":
        tracemalloc.start()
    build(workers, deployments)
    if tracer == "tracemalloc":
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"peak_mib": peak}))


def memory(workers: int, deployments: int, tracer: str) -> float:
    command = [sys.executable, __file__, "--memory-child", str(workers), str(deployments), tracer]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])["peak_mib"]


def profile(workers: int, deployments: int, repeats: int, top: int) -> None:
    """cProfile listings of the build and of each step at one size."""
    profiler = cProfile.Profile()
    cluster, _ = profiler.runcall(lambda: build(workers, deployments))
    _print_stats(f"build: {deployments * REPLICAS} pods", profiler, top)
    profilers = {step: cProfile.Profile() for step in STEPS}
    measure_steps(cluster, deployments, repeats, profilers)
    for step, step_profiler in profilers.items():
        _print_stats(f"{step} x {repeats}", step_profiler, top)


def _print_stats(title: str, profiler: cProfile.Profile, top: int) -> None:
    print(f"\n=== {title} ===")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


@dataclass
class Report:
    """What one run measured, printed as a table."""

    sizes: Sizes
    baseline: float
    builds: dict[int, Build] = field(default_factory=dict)
    steps: dict[int, dict[str, float]] = field(default_factory=dict)
    collections: dict[str, FullCollections] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)

    def print(self) -> None:
        small, large = self.sizes.small * REPLICAS, self.sizes.large * REPLICAS
        a, b = self.builds[small], self.builds[large]
        print(
            f"kubenet-nb scale benchmark, {date.today()}, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores\n{self.sizes.workers + 1} nodes, one Deployment "
            f"({REPLICAS} pods) and one Service per app; steps: medians of {self.sizes.repeats}\n"
            f"baseline (calibration workload, median of 50): {self.baseline * 1e3:.3f} ms; "
            "'x base' = figure / baseline\n"
        )
        print(_header("build", small, large, f"<= {AIM_BUILD_S:.0f} s, <= 1 GiB"))
        print(_row("Cluster(workers=...) (s)", a.nodes, b.nodes, 2))
        print(_row("total (s)", a.total, b.total, 2, self.baseline, b.total <= AIM_BUILD_S))
        print(_row("CPU / wall (< 0.9: busy)", a.cpu / a.total, b.cpu / b.total, 2))
        for tracer, peak in self.memory.items():
            print(_row(f"peak MiB, {tracer}", None, peak, 0, None, peak <= AIM_MEMORY_MIB))
        print()
        print(_header("step (ms, median)", small, large, f"<= {AIM_STEP_MS:.0f} ms, <= 2x"))
        for step in STEPS:
            x, y = self.steps[small][step] * 1e3, self.steps[large][step] * 1e3
            passed = y <= AIM_STEP_MS and y / x <= AIM_RATIO
            print(_row(step, x, y, 3, self.baseline * 1e3, passed))
        print()
        for what, full in self.collections.items():
            print(f"full GC passes during {what}: {full.count}, {full.seconds:.2f} s")


def _header(title: str, small: int, large: int, aim: str) -> str:
    return f"{title:28}{small:>9,} pods{large:>10,} pods{'ratio':>8}{'x base':>9}  aim {aim}"


def _row(
    label: str,
    x: float | None,
    y: float,
    digits: int,
    baseline: float | None = None,
    passed: bool | None = None,
) -> str:
    """One line: the small and large figures, their ratio, the large one in baselines, ok."""
    cells = f"{label:28}{'' if x is None else f'{x:.{digits}f}':>14}{y:>15.{digits}f}"
    cells += f"{'' if x is None else f'{y / x:.1f}x':>8}"
    cells += f"{'' if baseline is None else f'{y / baseline:.2f}':>9}"
    return (cells + ("" if passed is None else "  ok" if passed else "  MISSED")).rstrip()


def run(sizes: Sizes, with_memory: bool) -> Report:
    """Both sizes in this process, then the memory runs in fresh ones."""
    report = Report(sizes, calibration())
    for deployments in (sizes.small, sizes.large):
        pods = deployments * REPLICAS
        full_build, full_steps = FullCollections(), FullCollections()
        gc.callbacks.append(full_build)
        cluster, report.builds[pods] = build(sizes.workers, deployments)
        gc.callbacks.remove(full_build)
        check(cluster, sizes.workers, deployments)
        gc.callbacks.append(full_steps)
        samples = measure_steps(cluster, deployments, sizes.repeats)
        gc.callbacks.remove(full_steps)
        check(cluster, sizes.workers, deployments)
        report.steps[pods] = {step: statistics.median(v) for step, v in samples.items()}
        report.collections[f"the {pods:,}-pod build"] = full_build
        report.collections[f"the {pods:,}-pod steps"] = full_steps
        del cluster
        gc.collect()
    if with_memory:
        for tracer in ("ru_maxrss", "tracemalloc"):
            report.memory[tracer] = memory(sizes.workers, sizes.large, tracer)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--repeats", type=int, help="repetitions per step (default 50)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--profile", action="store_true", help="cProfile the large size")
    parser.add_argument("--top", type=int, default=25, help="functions per profile listing")
    parser.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        workers, deployments, tracer = args.memory_child
        memory_child(int(workers), int(deployments), tracer)
        return
    sizes = QUICK if args.quick else FULL
    if args.repeats:
        sizes = Sizes(sizes.workers, sizes.small, sizes.large, args.repeats)
    if args.profile:
        profile(sizes.workers, sizes.large, sizes.repeats, args.top)
    else:
        run(sizes, not args.no_memory).print()


if __name__ == "__main__":
    main()
