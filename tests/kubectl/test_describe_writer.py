"""The pieces every describe output shares: alignment blocks, annotations, the Events table."""

from __future__ import annotations

from datetime import datetime, timezone

from kubenet_nb.kubectl.describe.writer import Writer, describe_events, print_annotations

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


def test_events_table_counts_and_sorting() -> None:
    w = Writer()
    w.write(0, "Name:\tweb\n")
    later = {
        "type": "Warning",
        "reason": "Unhealthy",
        "message": "Readiness probe failed \n",
        "source": {"component": "kubelet"},
        "count": 7,
        "firstTimestamp": "2025-01-01T11:00:00Z",
        "lastTimestamp": "2025-01-01T11:59:00Z",
    }
    first = {
        "type": "Normal",
        "reason": "Scheduled",
        "message": "ok",
        "reportingComponent": "default-scheduler",
        "count": 1,
        "firstTimestamp": "2025-01-01T10:00:00Z",
        "lastTimestamp": "2025-01-01T10:00:00Z",
    }
    describe_events(w, [later, first], NOW)
    # Events are flushed into their own alignment block (describe.go DescribeEvents).
    assert w.text() == (
        "Name:  web\n"
        "Events:\n"
        "  Type     Reason     Age                From               Message\n"
        "  ----     ------     ----               ----               -------\n"
        "  Normal   Scheduled  120m               default-scheduler  ok\n"
        "  Warning  Unhealthy  60s (x7 over 60m)  kubelet            Readiness probe failed\n"
    )


def test_annotations_fold_long_and_multiline_values() -> None:
    w = Writer()
    print_annotations(
        w,
        "Annotations",
        {
            "kubectl.kubernetes.io/last-applied-configuration": "{}",
            "a": "x" * 200,
            "b": "one\ntwo\n",
        },
    )
    lines = w.text().splitlines()
    # maxAnnotationLen is 140; folded lines are cut at 138 characters plus "...".
    assert lines[0] == "Annotations:  a:"
    assert lines[1] == "                " + "x" * 138 + "..."
    assert lines[2:] == ["              b:", "                one", "                two"]
