"""Data-plane benchmark: kube-proxy's rules, one trace and bulk traffic at 1,000 services x 10.

Why: a learner looks at `c.iptables_save(node)`, `c.trace(...)` and `c.send(...)` on large
clusters too, right after changing something, so each must stay interactive, and the cost of a
change must follow the change, not the cluster. Run by hand from the repository root:
`python benchmarks/dataplane.py` (`--quick` for a smoke run, `--gc-freeze` to keep the build's
objects out of the garbage collector's full passes, `--profile` for cProfile listings of every
row at the large size). Not a test: pytest never collects it.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

try:
    from kubenet_nb import Cluster
except ModuleNotFoundError:  # a clone without `pip install -e .`: the package is beside us
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kubenet_nb import Cluster
from scale import REPLICAS, FullCollections, app_name, calibration, check, deployment, service

__all__ = ["ROWS", "Sizes", "build", "main", "measure"]

N_SEND = 10_000
FIRST, COLD, WARM = "first call after the build", "cold, after a scale step", "warm"
ROWS: tuple[tuple[str, str, float], ...] = (
    ("iptables_save(node)", FIRST, 0.0),
    ("iptables_save(node)", COLD, 0.5),
    ("iptables_save(node)", WARM, 0.0),
    ("iptables_save(node)", "first use of another node", 0.0),
    ("trace(pod, svc)", FIRST, 0.0),
    ("trace(pod, svc)", COLD, 0.005),
    ("trace(pod, svc)", WARM, 0.005),
    ("send(pod, svc, n=10,000)", FIRST, 0.0),
    ("send(pod, svc, n=10,000)", COLD, 1.0),
    ("send(pod, svc, n=10,000)", WARM, 1.0),
    ("scale step 10->11 (update)", "the change", 0.0),
)
"""(call, state, aim in seconds or 0 for none): the rows of the table, in order."""


@dataclass(frozen=True)
class Sizes:
    """One benchmark shape: worker nodes, a small and a large count of services, repetitions."""

    workers: int
    small: int
    large: int
    repeats: int


FULL = Sizes(workers=99, small=100, large=1000, repeats=15)
QUICK = Sizes(workers=19, small=10, large=100, repeats=3)


def svc_name(index: int) -> str:
    return f"svc-{index:04d}"


def build(workers: int, services: int) -> Cluster:
    """`Cluster(workers=...)`, then per index a Deployment of 10 pods and its ClusterIP Service."""
    cluster = Cluster(workers=workers)
    for index in range(services):
        cluster.create(deployment(index))
        cluster.create(service(index, svc_name(index)))
    return cluster


def _label(row: tuple[str, str, float]) -> str:
    return f"{row[0]}, {row[1]}"


class Samples:
    """Seconds per row, and the seconds of full GC passes within each; a row's profiler (if
    any) runs around its measured calls only."""

    def __init__(self, profilers: dict[str, cProfile.Profile] | None = None) -> None:
        self.values: dict[str, list[float]] = {_label(row): [] for row in ROWS}
        self.collected: dict[str, list[float]] = {_label(row): [] for row in ROWS}
        self.profilers = profilers or {}
        self.full = FullCollections()

    def time(self, row: int, call: Callable[..., object], *args: object, **kwargs: object) -> None:
        label = _label(ROWS[row])
        profiler = self.profilers.get(label)
        collected = self.full.seconds
        start = time.perf_counter()
        if profiler is not None:
            profiler.runcall(call, *args, **kwargs)
        else:
            call(*args, **kwargs)
        self.values[label].append(time.perf_counter() - start)
        self.collected[label].append(self.full.seconds - collected)

    def medians(self) -> tuple[dict[str, float], dict[str, float]]:
        """Per row: the median, and the median with the full GC passes taken out."""
        plain = {label: statistics.median(v) for label, v in self.values.items()}
        pairs = {
            label: zip(v, self.collected[label], strict=True) for label, v in self.values.items()
        }
        return plain, {label: statistics.median(a - b for a, b in v) for label, v in pairs.items()}


def _scale(cluster: Cluster, index: int, replicas: int) -> None:
    scaled = cluster.get("deploy", app_name(index))
    scaled["spec"]["replicas"] = replicas
    cluster.update(scaled)


def measure(cluster: Cluster, services: int, repeats: int, samples: Samples) -> None:
    """Each repetition scales one Deployment up and down twice; after each change comes one
    kind of cold call (iptables_save on a fixed node; a trace; a send), each from a fixed client
    pod to another, fixed Service, so that no cold call finds another's work done. The cluster
    is left as it was found."""
    workers = len(cluster.list("nodes")) - 1
    node = "kind-worker"
    client = cluster.list("pods", selector=f"app={app_name(0)}")[0]["metadata"]["name"]
    target = svc_name(services // 2)
    samples.time(0, cluster.iptables_save, node)
    samples.time(4, cluster.trace, client, target)
    samples.time(7, cluster.send, client, target, n=N_SEND)
    stride = max(1, (services - 1) // repeats)
    for rep in range(repeats):
        changed = 1 + (rep * stride) % (services - 1)
        if changed == services // 2:  # never the target's own Deployment
            changed = changed % (services - 1) + 1
        samples.time(10, _scale, cluster, changed, REPLICAS + 1)
        samples.time(1, cluster.iptables_save, node)
        samples.time(2, cluster.iptables_save, node)
        samples.time(3, cluster.iptables_save, f"kind-worker{2 + rep % (workers - 1)}")
        _scale(cluster, changed, REPLICAS)
        cluster.advance(2)  # the surplus pod's grace period: it is gone, the store changed
        samples.time(5, cluster.trace, client, target)
        _scale(cluster, changed, REPLICAS + 1)
        samples.time(8, cluster.send, client, target, n=N_SEND)
        samples.time(9, cluster.send, client, target, n=N_SEND)
        samples.time(6, cluster.trace, client, target)
        _scale(cluster, changed, REPLICAS)
        cluster.advance(2)


@dataclass
class Report:
    """What one run measured, printed as a table."""

    sizes: Sizes
    baseline: float
    frozen: bool
    medians: dict[int, dict[str, float]] = field(default_factory=dict)
    without_gc: dict[int, dict[str, float]] = field(default_factory=dict)
    collections: dict[str, FullCollections] = field(default_factory=dict)
    busy: dict[int, float] = field(default_factory=dict)
    """CPU time / wall time of each size's measurements (under 0.9: another process ran)."""

    def print(self) -> None:
        small, large = self.sizes.small, self.sizes.large
        collector = "frozen after each build (--gc-freeze)" if self.frozen else "as is"
        print(
            f"kubenet-nb data-plane benchmark, {date.today()}, Python "
            f"{platform.python_version()}, {os.cpu_count()} cores\n{self.sizes.workers + 1} "
            f"nodes, one Deployment ({REPLICAS} pods) and one ClusterIP Service per app; medians "
            f"of {self.sizes.repeats} (rows 'first call': one sample)\nbaseline (calibration "
            f"workload, median of 50): {self.baseline * 1e3:.3f} ms; 'x base' = figure / baseline"
            f"\ngarbage collector: {collector}\n"
        )
        print(
            f"{'call (ms)':52}{small:>7,} svc{large:>9,} svc{'ratio':>8}{'x base':>9}"
            f"{'no GC':>8}  aim"
        )
        for row in ROWS:
            label = _label(row)
            x, y = self.medians[small][label] * 1e3, self.medians[large][label] * 1e3
            cells = f"{label:52}{x:>11.1f}{y:>13.1f}{f'{y / x:.1f}x':>8}"
            cells += f"{y / (self.baseline * 1e3):>9.1f}{self.without_gc[large][label] * 1e3:>8.1f}"
            if row[2]:
                verdict = "ok" if y <= row[2] * 1e3 else "MISSED"
                cells += f"  <= {row[2] * 1e3:g} ms {verdict}"
            print(cells)
        print()
        for what, full in self.collections.items():
            print(f"full GC passes during {what}: {full.count}, {full.seconds:.2f} s")
        for services, ratio in self.busy.items():
            print(f"CPU / wall during the measurements at {services:,} services: {ratio:.2f}")


def run(sizes: Sizes, freeze: bool) -> Report:
    """Both sizes in this process, the small one first. With `freeze`, the objects of the
    build are moved out of the garbage collector's sight (`gc.freeze`), so that full passes
    scan only what the measured calls made: their own cost, without the engine's heap."""
    report = Report(sizes, calibration(), freeze)
    for services in (sizes.small, sizes.large):
        cluster = build(sizes.workers, services)
        check(cluster, sizes.workers, services)
        if freeze:
            gc.collect()
            gc.freeze()
        samples = Samples()
        full = samples.full
        gc.callbacks.append(full)
        wall, cpu = time.perf_counter(), time.process_time()
        measure(cluster, services, sizes.repeats, samples)
        report.busy[services] = (time.process_time() - cpu) / (time.perf_counter() - wall)
        gc.callbacks.remove(full)
        gc.unfreeze()
        check(cluster, sizes.workers, services)
        report.medians[services], report.without_gc[services] = samples.medians()
        report.collections[f"the measurements at {services:,} services"] = full
        del cluster
        gc.collect()
    return report


def profile(sizes: Sizes, top: int) -> None:
    """cProfile listings of each row's calls at the large size."""
    cluster = build(sizes.workers, sizes.large)
    profilers = {_label(row): cProfile.Profile() for row in ROWS}
    measure(cluster, sizes.large, sizes.repeats, Samples(profilers))
    for label, profiler in profilers.items():
        print(f"\n=== {label} ===")
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--repeats", type=int, help="repetitions per row (default 15)")
    parser.add_argument("--profile", action="store_true", help="cProfile the large size")
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() after each build (see run())"
    )
    parser.add_argument("--top", type=int, default=25, help="functions per profile listing")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.repeats:
        sizes = Sizes(sizes.workers, sizes.small, sizes.large, args.repeats)
    if args.profile:
        profile(sizes, args.top)
    else:
        run(sizes, args.gc_freeze).print()


if __name__ == "__main__":
    main()
