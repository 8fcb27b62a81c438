"""Replicas benchmark: one Deployment of 10,000 (and 100,000) pods on the default kind cluster.

Why: `kubectl create deployment big --replicas=N` must build in reasonable time whatever N is;
the 3-node kind cluster takes 110 pods a node, so nearly every pod stays Pending with the
scheduler's FailedScheduling event. Measures the build (single run: it is seconds long), its peak
memory in a child process (ru_maxrss, or tracemalloc), and the median of a scale step by one
after it, which must stay cheap. Run by hand from the repository root:
`python benchmarks/replicas.py` (`--quick` for 1,000 and 10,000). Pytest never collects it.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

try:
    from kubenet_nb.cluster.control_plane import ControlPlane
except ModuleNotFoundError:  # a clone without `pip install -e .`: the package is beside us
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["build", "main", "scale_steps"]

FULL, QUICK = (10_000, 100_000), (1_000, 10_000)
STEPS = 5


def deployment(replicas: int) -> dict:
    """`kubectl create deployment big --image=nginx --replicas=N` as the API server sees it."""
    labels = {"app": "big"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "big", "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
            },
        },
    }


def build(replicas: int) -> tuple[ControlPlane, float]:
    """A default kind cluster (seed 0) and the Deployment; the seconds the create took."""
    plane = ControlPlane(seed=0)
    start = time.perf_counter()
    plane.create(deployment(replicas))
    return plane, time.perf_counter() - start


def scale_steps(plane: ControlPlane, replicas: int) -> tuple[float, float]:
    """Median milliseconds of scaling up by one, then back down by one."""
    up: list[float] = []
    down: list[float] = []
    for _ in range(STEPS):
        for target, times in ((replicas + 1, up), (replicas, down)):
            obj = plane.get("deploy", "big")
            obj["spec"]["replicas"] = target
            start = time.perf_counter()
            plane.update(obj)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(up), statistics.median(down)


def memory_child(replicas: int, tracer: str) -> None:
    """In a fresh process: build, then print the peak MiB as JSON."""
    if tracer == "tracemalloc":
        tracemalloc.start()
    build(replicas)
    if tracer == "tracemalloc":
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"peak": peak}))


def memory(replicas: int, tracer: str) -> float:
    command = [sys.executable, __file__, "--memory-child", str(replicas), tracer]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return float(json.loads(output.splitlines()[-1])["peak"])


def report(replicas: int, with_memory: bool) -> None:
    """One line per size: build, pods bound and Pending, scale steps, peak memory."""
    plane, seconds = build(replicas)
    pods = plane.store.list("Pod", "default")
    pending = sum(1 for p in pods if not p["spec"].get("nodeName"))
    up, down = scale_steps(plane, replicas)
    line = (
        f"{replicas:>9,} replicas  build {seconds:7.2f} s  bound {len(pods) - pending:>5,}  "
        f"pending {pending:>7,}  scale +1 {up:7.1f} ms  -1 {down:7.1f} ms"
    )
    if with_memory:
        line += "  peak MiB ru_maxrss {:6.0f}  tracemalloc {:6.0f}".format(
            memory(replicas, "ru_maxrss"), memory(replicas, "tracemalloc")
        )
    print(line, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 replicas")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory children")
    parser.add_argument("--replicas", type=int, nargs="*", help="sizes to run instead")
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(int(args.memory_child[0]), args.memory_child[1])
        return
    sizes = args.replicas or (QUICK if args.quick else FULL)
    print(
        f"one Deployment on ControlPlane(seed=0) (3 nodes, 110 pods each); steps: median of {STEPS}"
    )
    for replicas in sizes:
        report(replicas, not args.no_memory)


if __name__ == "__main__":
    main()
