"""Workbench benchmark: time from a click to the redrawn picture, table and log, at 30 pods.

Why: the workbench redraws everything after every click (the topology through Graphviz's `dot`,
the endpoints table, the log of Events, endpoint and rule changes), so a click must stay under
the time a learner notices (aim: 150 ms, `dot` included). Run by hand from the repository root:
`python benchmarks/widgets.py` (`--quick` for a smoke run, `--profile` for cProfile listings of
slider clicks). Not a test: pytest never collects it. Needs Graphviz's `dot` on PATH.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

try:
    from kubenet_nb import Cluster
except ModuleNotFoundError:  # a clone without `pip install -e .`: the package is beside us
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kubenet_nb import Cluster
from scale import calibration

from kubenet_nb.views.tables.endpoints import endpoints_table
from kubenet_nb.views.topology import topology
from kubenet_nb.views.workbench import Workbench
from kubenet_nb.views.workbench.display import Drawable
from kubenet_nb.views.workbench.log import take_snapshot

if TYPE_CHECKING:
    from kubenet_nb.network.trace import Trace

__all__ = ["CLICKS", "PARTS", "build", "main", "measure_clicks", "measure_parts"]

AIM_MS = 150.0
APPS = (("web-0", "ClusterIP"), ("web-1", "NodePort"), ("web-2", "LoadBalancer"))
REPLICAS = 10
CLICKS = (
    "slider 10->11 (scale up)",
    "slider 11->10 (scale down)",
    "fail readiness",
    "restore readiness",
    "delete pod",
    "trace pod -> service",
    "send 100 requests",
    "refresh (nothing changed)",
)
PARTS = (
    "kubectl scale alone (no redraw)",
    "dropdown choices",
    "topology() to DOT",
    "dot -Tsvg",
    "endpoints_table + to_html",
    "snapshot (events, rules)",
    "log entry HTML",
)


def unfolded(cluster: Cluster, namespace: str, highlight: Trace | None) -> Drawable:
    """The topology with every pod in its own box (no folding of a ReplicaSet's pods)."""
    return topology(cluster, namespace, highlight, fold_threshold=None)


def build(every_pod: bool = False) -> Workbench:
    """A workbench over three Deployments of 10 pods and a Service each, made by clicks."""
    bench = Workbench(Cluster(seed=0), draw=unfolded) if every_pod else Workbench(Cluster(seed=0))
    for name, kind in APPS:
        bench.deploy.name.value, bench.deploy.replicas.value = name, REPLICAS
        bench.deploy.create.click()
        bench.expose.deployment.value, bench.expose.type.value = name, kind
        bench.expose.create.click()
    pods = bench.cluster.list("pods")
    running = [p for p in pods if p["status"].get("phase") == "Running"]
    if (len(pods), len(running), len(bench.cluster.list("services"))) != (30, 30, 4):
        raise SystemExit("unexpected cluster: want 30 running pods and 4 Services")
    return bench


def _last_ok(bench: Workbench, row: str) -> None:
    entry = bench.history.entries[0][0]
    if entry.error is not None:
        raise SystemExit(f"{row}: the click was refused: {entry.error}")


def measure_clicks(bench: Workbench, repeats: int) -> dict[str, list[float]]:
    """Seconds from each click to its redrawn app, each repetition on the next Deployment.

    Untimed between repetitions: choosing the Deployment and pod, and letting the scaled-down
    pod finish terminating (`advance(31)`, then a refresh).
    """
    samples: dict[str, list[float]] = {row: [] for row in CLICKS}

    def timed(row: str, click: Callable[[], object]) -> None:
        start = time.perf_counter()
        click()
        samples[row].append(time.perf_counter() - start)
        _last_ok(bench, row)

    for rep in range(repeats):
        name = APPS[rep % len(APPS)][0]
        bench.pods.deployment.value = name
        timed(CLICKS[0], lambda: setattr(bench.pods.replicas, "value", REPLICAS + 1))
        timed(CLICKS[1], lambda: setattr(bench.pods.replicas, "value", REPLICAS))
        bench.cluster.advance(31)
        bench.refresh_button.click()
        pod = bench.cluster.list("pods", selector=f"app={name}")[0]["metadata"]["name"]
        bench.pods.pod.value = pod
        timed(CLICKS[2], bench.pods.fail.click)
        timed(CLICKS[3], bench.pods.restore.click)
        timed(CLICKS[4], bench.pods.delete.click)
        client = APPS[(rep + 1) % len(APPS)][0]
        sender = bench.cluster.list("pods", selector=f"app={client}")[0]["metadata"]["name"]
        bench.tracer.source.value = f"default/{sender}"
        bench.tracer.target.value = f"{name}:80"
        timed(CLICKS[5], bench.tracer.trace.click)
        timed(CLICKS[6], bench.tracer.send.click)
        timed(CLICKS[7], bench.refresh_button.click)
    return samples


def measure_parts(bench: Workbench, repeats: int) -> dict[str, list[float]]:
    """Seconds of each part of one redraw, measured alone on the cluster as the clicks left it."""
    cluster, ns = bench.cluster, bench.namespace
    entry = next(e for e, _ in bench.history.entries if e.says.startswith("$ kubectl scale"))
    samples: dict[str, list[float]] = {row: [] for row in PARTS}
    frame = endpoints_table(cluster, ns)
    for rep in range(repeats):
        name = APPS[rep % len(APPS)][0]
        calls: tuple[Callable[[], object], ...] = (
            lambda name=name: cluster.kubectl(f"scale deployment {name} --replicas={REPLICAS}"),
            bench._sync_choices,
            lambda: bench._draw(cluster, ns, None).source,
            lambda: bench._draw(cluster, ns, None).graph.pipe(format="svg", encoding="utf-8"),
            lambda: endpoints_table(cluster, ns).to_html(index=False, na_rep=""),
            lambda: take_snapshot(cluster, frame),
            lambda: entry.html(cluster.now),
        )
        for row, call in zip(PARTS, calls, strict=True):
            start = time.perf_counter()
            call()
            samples[row].append(time.perf_counter() - start)
    return samples


def _ms(values: list[float]) -> float:
    return statistics.median(values) * 1e3


def report(repeats: int) -> None:
    """Build both pictures' workbenches, time the clicks and parts, print the tables."""
    if shutil.which("dot") is None:
        raise SystemExit("Graphviz's dot is not on PATH: the benchmark measures it")
    baseline = calibration() * 1e3
    benches = {"folded (default)": build(), "every pod drawn": build(every_pod=True)}
    clicks = {label: measure_clicks(bench, repeats) for label, bench in benches.items()}
    parts = {label: measure_parts(bench, repeats) for label, bench in benches.items()}
    print(
        f"kubenet-nb workbench benchmark, {date.today()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {shutil.which('dot')}"
    )
    print(
        f"3 nodes, 30 pods (3 Deployments x {REPLICAS}), Services ClusterIP, NodePort, "
        f"LoadBalancer; medians of {repeats}"
    )
    for label, bench in benches.items():
        svg = bench.picture.svg() or ""
        print(f"  {label}: DOT {len(bench.picture.source):,} chars, SVG {len(svg):,} chars")
    print(
        f"baseline (calibration workload, median of 50): {baseline:.3f} ms; "
        "'x base' = the first column / baseline\n"
    )
    labels = list(benches)
    head = f"{'click -> app redrawn (ms, median)':<36}" + "".join(f"{x:>18}" for x in labels)
    print(head + f"{'x base':>9}  aim <= {AIM_MS:.0f} ms")
    for row in CLICKS:
        values = [_ms(clicks[label][row]) for label in labels]
        ok = "ok" if max(values) <= AIM_MS else "MISSED"
        cells = "".join(f"{value:>18.1f}" for value in values)
        print(f"{row:<36}{cells}{values[0] / baseline:>9.1f}  {ok}")
    print(f"\n{'one redraw, part by part (ms, median)':<36}" + "".join(f"{x:>18}" for x in labels))
    for row in PARTS:
        cells = "".join(f"{_ms(parts[label][row]):>18.2f}" for label in labels)
        print(f"{row:<36}{cells}")


def profile(repeats: int, top: int) -> None:
    """cProfile listings of slider clicks (scale up and down) on the default workbench."""
    bench = build()
    bench.pods.deployment.value = APPS[0][0]
    profiler = cProfile.Profile()
    for _ in range(repeats):
        profiler.runcall(setattr, bench.pods.replicas, "value", REPLICAS + 1)
        profiler.runcall(setattr, bench.pods.replicas, "value", REPLICAS)
        bench.cluster.advance(31)
        bench.refresh_button.click()
    stats = pstats.Stats(profiler)
    print(f"{2 * repeats} slider clicks, by cumulative time")
    stats.sort_stats("cumulative").print_stats(top)
    print("by own time")
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 3 repetitions")
    parser.add_argument("--repeats", type=int, default=30, help="repetitions per row")
    parser.add_argument("--profile", action="store_true", help="cProfile slider clicks")
    parser.add_argument("--top", type=int, default=25, help="functions per profile listing")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats
    if args.profile:
        profile(repeats, args.top)
    else:
        report(repeats)


if __name__ == "__main__":
    main()
