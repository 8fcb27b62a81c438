"""`kubectl get -o jsonpath|custom-columns`, `--sort-by`, `-L` and `-w` on a live cluster: what
the recorded cases (test_get.py, data/printing/cases.yaml) cannot show."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.main import run_kubectl
from kubenet_nb.kubectl.printers.sorting import is_less, sort_objects


def _out(c: Cluster, line: str) -> str:
    return str(run_kubectl(c.control_plane, line))


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    c = Cluster()
    for i, cpu in enumerate(("1500m", "100m", "1", "250m")):
        c.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": f"p{i}", "labels": {"tier": "web" if i % 2 else "db"}},
                "spec": {
                    "containers": [
                        {"name": "c", "image": "nginx", "resources": {"requests": {"cpu": cpu}}}
                    ]
                },
            }
        )
    return c


def test_sort_by_quantity_strings(cluster: Cluster) -> None:
    # kubectl pkg/cmd/get/sorter.go @ v0.33.0 isLess: two strings that parse as quantities
    # compare as quantities (100m < 250m < 1 < 1500m), not byte-wise.
    out = _out(
        cluster,
        "get pods --sort-by=.spec.containers[0].resources.requests.cpu "
        "-o custom-columns=NAME:.metadata.name,CPU:.spec.containers[0].resources.requests.cpu",
    )
    assert out == "NAME   CPU\np1     100m\np3     250m\np2     1\np0     1500m\n"


def test_label_columns_and_jsonpath_range(cluster: Cluster) -> None:
    assert _out(cluster, "get pods -L tier -o name") == "pod/p0\npod/p1\npod/p2\npod/p3\n"
    # Quoted as a shell quotes it.
    out = _out(
        cluster, """get pods -o jsonpath='{range .items[*]}{.metadata.labels.tier}{"\\n"}{end}'"""
    )
    assert out == "db\nweb\ndb\nweb\n"


def test_template_files(cluster: Cluster, tmp_path: Path) -> None:
    # cli-runtime jsonpath_flags.go and kubectl customcolumn_flags.go @ v0.33.0.
    template = tmp_path / "names.jsonpath"
    template.write_text("{.items[*].metadata.name}")
    assert _out(cluster, f"get pods -o jsonpath-file={template}") == "p0 p1 p2 p3"
    columns = tmp_path / "columns.txt"
    columns.write_text("NAME   TIER\n.metadata.name   {.metadata.labels.tier}\n")
    out = _out(cluster, f"get pods -l tier=web -o custom-columns-file={columns}")
    assert out == "NAME   TIER\np1     web\np3     web\n"
    columns.write_text("NAME TIER\n.metadata.name\n")
    with pytest.raises(KubectlError) as error:
        _out(cluster, f"get pods -o custom-columns-file={columns}")
    assert str(error.value) == (
        "error: number of headers (2) and field specifications (1) don't match"
    )
    missing = tmp_path / "nope"
    with pytest.raises(KubectlError) as error:
        _out(cluster, f"get pods -o jsonpath-file={missing}")
    assert str(error.value) == (
        f"error: error reading --template {missing}, open {missing}: no such file or directory"
    )


def test_watch_is_one_snapshot(cluster: Cluster) -> None:
    # A notebook cell cannot wait for watch events: `-w` prints the initial list only.
    assert _out(cluster, "get pods -w") == _out(cluster, "get pods")
    assert _out(cluster, "get pods --watch-only") == ""
    yaml_docs = _out(cluster, "get pods -l tier=web -w -o yaml")
    assert yaml_docs.count("---\n") == 1
    assert yaml_docs.count("kind: Pod\n") == 2


def test_unsortable_values_stop_kubectl(cluster: Cluster) -> None:
    # sorter.go isLess: maps cannot be compared (klog.Exitf in kubectl).
    with pytest.raises(KubectlError, match="unsortable type: map"):
        _out(cluster, "get pods -o name --sort-by=.metadata.labels")


def test_missing_values_sort_first_in_insertion_order() -> None:
    # sorter.go Less: a missing value is less than anything, even another missing one, so Go's
    # insertion sort (sort.Sort below 13 elements) moves each one to the front.
    objects = [{"v": "b"}, {}, {"v": "a"}, {}]
    assert sort_objects(objects, "{.v}") == [3, 1, 2, 0]


def test_is_less_rules() -> None:
    assert is_less("10", "9") is False  # both quantities: 10 > 9
    assert is_less("a10", "a9") is True  # not quantities: byte-wise
    assert is_less("2025-01-01T00:00:09Z", "2025-01-01T00:00:10Z") is True
    assert is_less(1.5, 2.5) is True
    with pytest.raises(TypeError, match=r"^unsortable interface: interface$"):
        is_less(1, "a")
    with pytest.raises(TypeError, match=r"^unsortable type: bool$"):
        is_less(True, False)
