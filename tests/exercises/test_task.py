"""The task machinery: set-up steps run as typed, hints in order, checks that never raise."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import NotFound
from kubenet_nb.exercises import Feedback
from kubenet_nb.exercises.task import Call, Command, Notice, Task, Transcript

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx
    readinessProbe:
      httpGet: {path: /, port: 80}
"""


def _has_web(cluster: Cluster) -> Feedback:
    pod = cluster.get("pod", "web")
    return Feedback(True, f"{pod['metadata']['name']} is there.", "")


def make_task() -> Task:
    return Task(
        title="Make pod web",
        goal="Create pod <web>.",
        setup=[
            Command(
                "run client --image=nicolaka/netshoot -- sleep infinity", unless=("pod", "client")
            ),
            Command("delete pod web", only_if=("pod", "web")),
        ],
        judge=_has_web,
        hints=["First <hint>.", "Second hint."],
        solution=[Command("apply -f -\n" + POD)],
    )


def test_a_command_with_standard_input_shows_as_a_here_document() -> None:
    assert Command("get pods").shown() == "$ kubectl get pods"
    assert Command("apply -f -\n" + POD).shown() == f"$ kubectl apply -f - <<EOF\n{POD}EOF"


def test_setup_runs_only_the_steps_needed() -> None:
    task, c = make_task(), Cluster(seed=1)
    first = task.setup(c)
    assert first.entries == (
        ("$ kubectl run client --image=nicolaka/netshoot -- sleep infinity", "pod/client created"),
    )
    c.kubectl("apply -f -\n" + POD)
    again = task.setup(c)  # the client exists: not run again; the pod is deleted
    assert again.entries == (("$ kubectl delete pod web", 'pod "web" deleted'),)


def test_a_call_is_shown_as_written_and_run() -> None:
    c = Cluster(seed=1)
    c.kubectl("apply -f -\n" + POD)
    call = Call(
        code=lambda cluster: 'c.set_ready("web", False)',
        act=lambda cluster: cluster.set_ready("web", False),
    )
    assert call.shown(c) == '>>> c.set_ready("web", False)'
    assert call.run(c) == ""
    ready = next(x for x in c.get("pod", "web")["status"]["conditions"] if x["type"] == "Ready")
    assert ready["status"] == "False"


def test_check_reads_the_cluster_and_turns_refusals_into_feedback() -> None:
    task, c = make_task(), Cluster(seed=1)
    missing = task.check(c)  # the judge's get raises NotFound: feedback, no traceback
    assert missing.correct is False
    assert str(NotFound("pods", "web")) in missing.explanation
    assert "set-up" in missing.explanation
    task.solve(c)
    assert task.check(c).correct is True


def test_hints_come_in_order_then_the_last_one_stays() -> None:
    task = make_task()
    assert str(task.hint()) == "Hint 1 of 2: First <hint>."
    last = "Hint 2 of 2: Second hint. (That was the last hint: the solution shows the commands.)"
    assert str(task.hint()) == last
    assert str(task.hint()) == last
    assert str(make_task().hint()).startswith("Hint 1 of 2")  # a fresh task starts over


def test_a_task_needs_a_hint() -> None:
    with pytest.raises(ValueError, match="at least one hint"):
        Task("t", "g", [], _has_web, [], [])


def test_the_solution_shows_commands_and_runs_nothing() -> None:
    task, c = make_task(), Cluster(seed=1)
    shown = task.solution()
    assert str(shown) == f"Solution of Make pod web\n$ kubectl apply -f - <<EOF\n{POD}EOF"
    assert [p["metadata"]["name"] for p in c.list("pods")] == []
    applied = task.solve(c)
    assert applied.entries[0][1] == "pod/web created"


def test_text_and_html_are_escaped_and_fixed() -> None:
    task = make_task()
    assert str(task) == "Make pod web: Create pod <web>."
    assert repr(task) == str(task)  # left last in a cell, a task shows what to do
    assert task._repr_html_() == task.statement()._repr_html_()
    assert "&lt;web&gt;" in task.statement()._repr_html_()
    assert "<web>" not in task.statement()._repr_html_()
    assert "&lt;hint&gt;" in task.hint()._repr_html_()
    transcript = Transcript("T <1>", (("$ kubectl get pods", "No resources found in <x>"),))
    assert str(transcript) == "T <1>\n$ kubectl get pods\nNo resources found in <x>"
    assert repr(transcript) == str(transcript)
    assert transcript._repr_html_() == (
        '<div class="kubenet-transcript"><b>T &lt;1&gt;</b><pre style="margin:4px 0">'
        "$ kubectl get pods\nNo resources found in &lt;x&gt;</pre></div>"
    )
    assert repr(Notice("a", "b")) == "a: b"
