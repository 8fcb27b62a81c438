"""Corpus benchmark: real manifests applied as pasted, and the cost of the microservices demo.

Why: the workbook's learners paste upstream manifests (tests/data/corpus, sources in its
SOURCES.md); every object a kind v1.33 cluster accepts must be accepted, and applying the
largest of them, Online Boutique's `release/kubernetes-manifests.yaml` (35 objects, 12
Deployments), must stay quick next to building the cluster itself. Applies each corpus entry
(a file, or the network-policies directory) with `kubectl apply -f` to a fresh `Cluster()`,
counts the objects accepted (`created`) and refused (with the first line of each refusal), and
times the demo's apply (median of 5, each on a fresh cluster) against `Cluster()` construction
as the baseline in the same run. Run by hand from the repository root:
`python benchmarks/corpus.py`. Pytest never collects it; tests/test_corpus.py asserts the
expected answer of every entry.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import yaml

try:
    from kubenet_nb import Cluster
except ModuleNotFoundError:  # a clone without `pip install -e .`: the package is beside us
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError

__all__ = ["apply_entry", "entries", "main", "time_demo"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
DEMO = CORPUS / "microservices-demo" / "kubernetes-manifests.yaml"
REPEATS = 5
SETTLE = 10  # simulated seconds after the apply: every Deployment's pod is Running by then


def entries() -> list[Path]:
    """Every corpus file, with the directory of one-object network policy files as one entry."""
    found: set[Path] = set()
    for path in CORPUS.rglob("*.yaml"):
        found.add(path.parent if path.parent.name == "network-policies" else path)
    return sorted(found)


def documents(entry: Path) -> int:
    """How many objects the entry holds (non-empty YAML documents)."""
    files = sorted(entry.iterdir()) if entry.is_dir() else [entry]
    return sum(1 for file in files for doc in yaml.safe_load_all(file.read_text()) if doc)


def apply_entry(entry: Path) -> tuple[int, list[str], float]:
    """`kubectl apply -f entry` on a fresh cluster: objects created, the refusals' first lines
    (one per refused object where kubectl prints one each), and the seconds the apply took."""
    cluster = Cluster()
    relative = entry.relative_to(ROOT)
    start = time.perf_counter()
    try:
        out = cluster.kubectl(f"apply -f {relative}")
        text, stderr = str(out), out.stderr
    except KubenetError as error:  # every document failed
        text, stderr = str(error), str(error)
    seconds = time.perf_counter() - start
    created = sum(1 for line in text.splitlines() if line.endswith(" created"))
    refusals = [
        line for line in stderr.splitlines() if line and not line.startswith(("ensure CRDs", "* "))
    ]
    return created, refusals, seconds


def time_demo(repeats: int) -> tuple[float, float, float, int]:
    """Median seconds of `Cluster()`, of applying the demo to a fresh one, and of the
    `advance(SETTLE)` after it (the ReplicaSets' retried pod creations, scheduling, starts);
    and how many pods run after that."""
    build: list[float] = []
    demo: list[float] = []
    settle: list[float] = []
    running = 0
    for _ in range(repeats):
        start = time.perf_counter()
        cluster = Cluster()
        build.append(time.perf_counter() - start)
        start = time.perf_counter()
        cluster.kubectl(f"apply -f {DEMO.relative_to(ROOT)}")
        demo.append(time.perf_counter() - start)
        start = time.perf_counter()
        cluster.advance(SETTLE)
        settle.append(time.perf_counter() - start)
        pods = cluster.list("Pod")
        running = sum(1 for pod in pods if pod.get("status", {}).get("phase") == "Running")
    return statistics.median(build), statistics.median(demo), statistics.median(settle), running


def main(argv: list[str] | None = None) -> None:
    """Print the corpus table, the totals and the demo's cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    print(
        f"corpus benchmark, {date.today()}, Python {platform.python_version()} "
        f"on {platform.machine()}; each entry applied to a fresh Cluster()\n"
    )
    print(f"{'entry (tests/data/corpus/...)':<50}{'objects':>8}{'accepted':>9}{'refused':>8}")
    totals = [0, 0, 0]
    files = 0
    reasons: list[tuple[str, str]] = []
    for entry in entries():
        objects = documents(entry)
        created, refusals, _ = apply_entry(entry)
        refused = objects - created
        name = str(entry.relative_to(CORPUS)) + ("/" if entry.is_dir() else "")
        files += len(list(entry.glob("*.yaml"))) if entry.is_dir() else 1
        print(f"{name:<50}{objects:>8}{created:>9}{refused:>8}")
        for counted, value in zip(range(3), (objects, created, refused), strict=True):
            totals[counted] += value
        reasons += [(name, refusal) for refusal in refusals]
    print(f"{'total: ' + str(files) + ' files':<50}{totals[0]:>8}{totals[1]:>9}{totals[2]:>8}")
    print("\nrefusals (kubectl's first line):")
    for name, refusal in reasons:
        print(f"  {name}: {refusal}")
    build, demo, settle, running = time_demo(args.repeats)
    print(f"\ncost (ms, median of {args.repeats})")
    print(f"{'Cluster() (baseline)':<50}{build * 1e3:>10.1f}")
    print(
        f"{'apply -f microservices-demo (35 objects)':<50}{demo * 1e3:>10.1f}"
        f"{demo / build:>8.2f}x base"
    )
    print(
        f"{f'then advance({SETTLE}): {running} pods Running':<50}{settle * 1e3:>10.1f}"
        f"{settle / build:>8.2f}x base"
    )


if __name__ == "__main__":
    main()
