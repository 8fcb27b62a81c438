"""`kubectl debug POD --image=...`: an ephemeral container in the pod's network namespace.

Sources: kubernetes/kubectl pkg/cmd/debug/debug.go and profiles.go, pkg/cmd/attach/attach.go
@ v0.33.0 (messages, their streams and order, the container kubectl builds); kubernetes/
kubernetes pkg/apis/core/validation/validation.go @ v1.33.0 (ValidatePodEphemeralContainers-
Update); the refusals recorded from the real kubectl in data/debug (data/debug/cases.yaml,
recorded by data/logs/record_logs.py).
"""

from __future__ import annotations

import pytest
from recorded_logs import recorded, replay, scenario

from kubenet_nb import Cluster
from kubenet_nb.api.errors import Invalid

LEGACY = (
    "--profile=legacy is deprecated and will be removed in the future. It is recommended to "
    'explicitly specify a profile, for example "--profile=general".'
)


@pytest.mark.parametrize("case", scenario.cases(scenario.DEBUG), ids=lambda case: case["name"])
def test_refusals_as_recorded(case: dict) -> None:
    assert replay(scenario.DEBUG, case["args"]) == recorded(scenario.DEBUG, case)


def _cluster() -> Cluster:
    c = Cluster()
    c.kubectl("create deploy web --image=nginx:1.27.3 --replicas=2")
    c.kubectl("expose deploy web --port=80")
    c.kubectl("run app --image=nginx:1.27.3")
    return c


def _debugger(out: str) -> str:
    line = next(line for line in out.splitlines() if line.startswith("Defaulting debug"))
    return line.removeprefix("Defaulting debug container name to ").removesuffix(".")


def test_it_attaches_and_shows_the_command_output() -> None:
    c = _cluster()
    out = c.kubectl("debug app -it --image=busybox -- wget -qO- web")
    name = _debugger(out)
    assert name.startswith("debugger-")
    assert len(name) == len("debugger-") + 5
    assert out.stderr == (
        f"{LEGACY}\n"
        "Unable to use a TTY - input is not a terminal or the right kind of file\n"
        "If you don't see a command prompt, try pressing enter.\n"
    )
    assert "<title>Welcome to nginx!</title>" in out
    # stdout holds the name, then what the command wrote
    assert out.splitlines()[1] == f"Defaulting debug container name to {name}."


def test_without_stdin_it_does_not_attach_and_the_output_is_the_log() -> None:
    c = _cluster()
    out = c.kubectl("debug app --image=busybox --profile=general -- wget -qO- web")
    name = _debugger(out)
    assert out == f"Defaulting debug container name to {name}."
    assert "<title>Welcome to nginx!</title>" in c.kubectl(f"logs app -c {name}")


def test_the_ephemeral_container_is_in_the_pod_spec_and_status() -> None:
    c = _cluster()
    out = c.kubectl("debug app -i --image=busybox:1.36 --target=app --profile=netadmin -- true")
    name = _debugger(out)
    pod = c.get("pod", "app")
    assert pod["spec"]["ephemeralContainers"] == [
        {
            "name": name,
            "image": "busybox:1.36",
            "command": ["true"],
            "stdin": True,
            "terminationMessagePolicy": "File",
            "targetContainerName": "app",
            "securityContext": {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}},
            "imagePullPolicy": "IfNotPresent",
            "terminationMessagePath": "/dev/termination-log",
            "resources": {},
        }
    ]
    (status,) = pod["status"]["ephemeralContainerStatuses"]
    assert status["name"] == name
    assert status["state"]["terminated"]["exitCode"] == 0
    assert status["state"]["terminated"]["reason"] == "Completed"
    yaml = c.kubectl("get pod app -o yaml")
    assert "ephemeralContainers:" in yaml
    assert "ephemeralContainerStatuses:" in yaml


def test_it_runs_in_the_pods_network_namespace() -> None:
    c = _cluster()
    c.kubectl("debug app --image=busybox --profile=general -- wget -qO- web")
    app_ip = c.get("pod", "app")["status"]["podIP"]
    logged = [
        line
        for pod in c.list("pods", selector="app=web")
        for line in c.kubectl(f"logs {pod['metadata']['name']}").splitlines()
        if '"GET / HTTP/1.1"' in line
    ]
    # the nginx behind the Service saw the request come from the debugged pod's address
    assert len(logged) == 1
    assert logged[0].startswith(f"{app_ip} - - ")
    assert logged[0].endswith('"Wget" "-"')


def test_a_failing_command_ends_the_container_with_its_status() -> None:
    c = _cluster()
    out = c.kubectl("debug app --image=busybox --profile=general -- wget -qO- nope")
    status = c.get("pod", "app")["status"]["ephemeralContainerStatuses"][0]
    assert status["state"]["terminated"]["exitCode"] == 1
    assert status["state"]["terminated"]["reason"] == "Error"
    assert c.kubectl(f"logs app -c {_debugger(out)}") == "wget: bad address 'nope'"


def test_logs_of_the_pod_count_the_ephemeral_container() -> None:
    c = _cluster()
    name = _debugger(c.kubectl("debug app --image=busybox --profile=general -- true"))
    out = c.kubectl("logs app --tail=0")
    assert out.stderr == f'Defaulted container "app" out of: app, {name} (ephem)\n'


def test_names_are_deterministic_and_new() -> None:
    first, second = _cluster(), _cluster()
    line = "debug app --image=busybox --profile=general -- true"
    names = [_debugger(first.kubectl(line)), _debugger(first.kubectl(line))]
    assert names[0] != names[1]
    assert _debugger(second.kubectl(line)) == names[0]


def test_the_server_refuses_a_name_in_use_and_an_unknown_target() -> None:
    c = _cluster()
    before = c.control_plane.store.resource_version
    with pytest.raises(Invalid) as raised:
        c.kubectl("debug app --image=busybox --profile=general -c app")
    assert str(raised.value) == (
        'The Pod "app" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "app"'
    )
    out = c.kubectl("debug app --image=busybox --profile=general --target=nope")
    assert out.exit_code == 1
    assert out.endswith(
        'The Pod "app" is invalid: spec.ephemeralContainers[0].targetContainerName: '
        'Not found: "nope"'
    )
    assert c.control_plane.store.resource_version == before
    assert "ephemeralContainers" not in c.get("pod", "app")["spec"]


def test_an_unscheduled_pod_gets_the_container_but_nothing_runs() -> None:
    c = Cluster()
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "stuck"},
        "spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "a", "image": "nginx"}]},
    }
    c.apply(pod)
    c.kubectl("debug stuck --image=busybox --profile=general -- true")
    stored = c.get("pod", "stuck")
    assert len(stored["spec"]["ephemeralContainers"]) == 1
    assert "ephemeralContainerStatuses" not in stored["status"]
