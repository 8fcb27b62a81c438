"""The workbench log: new Events in time order, endpoint and rule changes, escaped HTML."""

from __future__ import annotations

import html
from collections import Counter
from datetime import datetime, timezone

import pandas as pd

from kubenet_nb.views.workbench.log import (
    Entry,
    History,
    Snapshot,
    _endpoint_rows,
    changes,
    says_html,
)

NOW = datetime(2025, 1, 1, 0, 5, tzinfo=timezone.utc)
HOSTILE = "<script>alert(1)</script>\n{}:\\ \"'"


def event(name: str, reason: str = "Started", message: str = "ok", at: str = "00:05") -> dict:
    """A hand-built core/v1 Event (any text, as the API would never check it)."""
    stamp = f"2025-01-01T00:{at}Z"
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": stamp},
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": name.split(".")[0]},
        "reason": reason,
        "message": message,
        "firstTimestamp": stamp,
        "lastTimestamp": stamp,
        "count": 1,
        "type": "Normal",
    }


def snapshot(
    events: list[dict], endpoints: dict | None = None, rules: dict | None = None
) -> Snapshot:
    keyed = {(e["metadata"]["namespace"], e["metadata"]["name"]): e for e in events}
    return Snapshot(keyed, endpoints or {}, rules or {})


def test_new_events_only_in_the_order_they_happened() -> None:
    old = event("a.0000000000000001")
    late = event("a.0000000000000003", "Late")
    early = event("b.0000000000000002", "Early")
    entry = changes(Entry("x"), snapshot([old]), snapshot([old, late, early]))
    assert [e["reason"] for e in entry.events] == ["Early", "Late"]


def test_an_event_counted_again_is_new_again() -> None:
    once = event("a.0000000000000001")
    twice = {**once, "count": 2}
    assert changes(Entry("x"), snapshot([once]), snapshot([twice])).events == [twice]


def test_endpoint_changes_in_words() -> None:
    key = ("default", "web", 80, "TCP", "10.244.1.2", 8080)
    ready = ("web-1", "kind-worker", True, True, False)
    gone = ("web-1", "kind-worker", False, True, True)
    other = ("default", "web", 80, "TCP", "10.244.2.2", 8080)
    entry = changes(
        Entry("x"),
        snapshot([], {key: ready, other: ready}),
        snapshot([], {key: gone}),
    )
    assert entry.endpoints == [
        "endpoint changed: default/web 80/TCP → 10.244.1.2:8080 (pod web-1 on kind-worker), "
        "ready → terminating, serving",
        "endpoint removed: default/web 80/TCP → 10.244.2.2:8080 (pod web-1 on kind-worker)",
    ]


def test_rule_changes_grouped_by_node() -> None:
    same = Counter({"nat -A KUBE-SERVICES -j KUBE-SVC-X": 1})
    before = snapshot([], rules={"a": Counter(), "b": Counter(), "c": same})
    after = snapshot([], rules={"a": same, "b": same, "c": same})
    assert changes(Entry("x"), before, after).rules == [
        ("a, b", ["+ nat -A KUBE-SERVICES -j KUBE-SVC-X"])
    ]


def test_entry_html_escapes_everything() -> None:
    endpoint = ("default", HOSTILE, 80, "TCP", "10.244.1.2", 80)
    entry = changes(
        Entry(f"$ kubectl {HOSTILE}", output=HOSTILE, error=HOSTILE),
        snapshot([], rules={"n": Counter()}),
        snapshot(
            [event(f"{HOSTILE}.0000000000000001", HOSTILE, HOSTILE)],
            {endpoint: (HOSTILE, HOSTILE, True, True, False)},
            {"n": Counter({f"nat -A {HOSTILE}": 1})},
        ),
    )
    markup = entry.html(NOW)
    assert "<script" not in markup
    assert markup.count(html.escape("<script>alert(1)</script>")) >= 6
    assert "ready" in markup


def test_entry_without_changes_says_so() -> None:
    assert "no change in events, endpoints or rules" in Entry("x").html(NOW)
    assert "no change" not in Entry("x", error="refused").html(NOW)


def test_history_keeps_the_newest_first_and_drops_the_oldest() -> None:
    history = History(size=2)
    assert "Nothing done yet" in history.html()
    for says in ("one", "two", "three"):
        history.add(Entry(says), NOW)
    assert [entry.says for entry, _ in history.entries] == ["three", "two"]
    assert history.html().index("three") < history.html().index("two")


def test_the_table_may_lack_endpoint_columns() -> None:
    assert _endpoint_rows(pd.DataFrame({"service": ["web"]})) == {}


def test_a_here_document_is_folded_under_its_command_line() -> None:
    assert says_html("$ kubectl get <x>") == "<pre><b>$ kubectl get &lt;x&gt;</b></pre>"
    folded = says_html("$ kubectl create -f - <<EOF\nkind: <Service>\nname: a\nEOF")
    assert folded == (
        "<pre><b>$ kubectl create -f - &lt;&lt;EOF</b></pre><details><summary>standard input: "
        "2 lines</summary><pre>kind: &lt;Service&gt;\nname: a\nEOF</pre></details>"
    )
    entry = Entry("$ kubectl create -f - <<EOF\nkind: Service\nEOF", output="service/a created")
    assert entry.html(NOW).startswith(f"<div>{says_html(entry.says)}<pre>service/a created")
