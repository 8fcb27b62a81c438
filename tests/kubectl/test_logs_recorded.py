"""`kubectl logs` against what the real kubectl v1.32.4 client printed for the same cluster.

Source: data/logs/record_logs.py ran /usr/bin/kubectl against data/logs/scenario.py's objects served
by a fake API server whose pods/log answers are kubenet-nb's own; each `<case>.txt` holds the
exit status, stdout and stderr. They pin kubectl's client side (kubernetes/kubectl
pkg/cmd/logs/logs.go and pkg/polymorphichelpers/logsforobject.go @ v0.33.0, unchanged in
these respects since v0.32): arguments, flag checks, the NotFound rewrap, the pod and container
chosen and the notes on stderr, `--prefix`, and the server's errors as printed.
"""

from __future__ import annotations

import pytest
from recorded_logs import recorded, replay, scenario


@pytest.mark.parametrize("case", scenario.cases(), ids=lambda case: case["name"])
def test_logs_as_recorded(case: dict) -> None:
    folder = scenario.HERE
    assert replay(folder, case["args"]) == recorded(folder, case)
