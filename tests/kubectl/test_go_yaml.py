"""`-o yaml` as kubectl writes it (sigs.k8s.io/yaml over go-yaml v2)."""

from __future__ import annotations

import pytest

from kubenet_nb.kubectl.printers.go_yaml import to_yaml


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("80", '"80"'),
        ("true", '"true"'),
        ("yes", '"yes"'),
        ("", '""'),
        ("2025-01-01T00:00:00Z", '"2025-01-01T00:00:00Z"'),
        ("1e3", '"1e3"'),
        ("0x1F", '"0x1F"'),
        ("1:20", '"1:20"'),
        ("*", "'*'"),
        ("a: b", "'a: b'"),
        ("trailing ", "'trailing '"),
        ("<none>", "<none>"),
        ("10.96.0.1", "10.96.0.1"),
        ("web-1", "web-1"),
    ],
)
def test_yaml_string_quoting_is_go_yamls(value: str, shown: str) -> None:
    # go-yaml v2 encode.go stringv: double quotes when the plain scalar would resolve to a
    # non-string, the emitter's single quotes when a plain scalar is not allowed. Checked
    # against `kubectl create configmap --from-literal=... --dry-run=client -o yaml`.
    assert to_yaml({"k": value}) == f"k: {shown}\n"


def test_yaml_layout() -> None:
    obj = {
        "spec": {"ports": [{"port": 80, "name": "http"}], "selector": {}},
        "items": [],
        "metadata": {"creationTimestamp": None},
        "data": {"x": "a\nb\n"},
    }
    assert to_yaml(obj) == (
        "data:\n  x: |\n    a\n    b\nitems: []\nmetadata:\n  creationTimestamp: null\n"
        "spec:\n  ports:\n  - name: http\n    port: 80\n  selector: {}\n"
    )


def test_yaml_key_order_is_go_yamls_natural_order() -> None:
    # go-yaml v2 sorter.go: digit runs compare as numbers, non-letters sort before letters.
    keys = ["web-10", "web-9", "a_b", "aB", "a.b", "Z", "0", "10", "9"]
    shown = [line.split(":")[0].strip('"') for line in to_yaml(dict.fromkeys(keys, 1)).splitlines()]
    assert shown == ["0", "9", "10", "Z", "a.b", "a_b", "aB", "web-9", "web-10"]


def test_yaml_folds_long_plain_strings_past_80_columns() -> None:
    # go-yaml's emitter (best_width 80) breaks at the first space past column 80; this is what
    # kubectl printed for the same annotation (data/printing/get-svc-yaml.txt).
    note = "a long note that goes on and on and on and on and on and on and on and on and on and on"
    assert to_yaml({"metadata": {"annotations": {"note": note}}}) == (
        "metadata:\n  annotations:\n"
        "    note: a long note that goes on and on and on and on and on and on and on and on\n"
        "      and on and on\n"
    )
