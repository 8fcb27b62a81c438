"""`kubectl port-forward`: its refusals as the real kubectl printed them, what it prints when it
listens, and connections from the laptop through it.

Sources: kubernetes/kubectl pkg/cmd/portforward/portforward.go @ v0.33.0 and kubernetes/
client-go tools/portforward/portforward.go @ v0.33.0 (`Forwarding from %s -> %d`, net.
JoinHostPort, listeners per address sorted, `Unable to listen on port`, `unable to listen on any
of the requested ports`); the refusals recorded in data/port_forward (data/port_forward/
README.md).
"""

from __future__ import annotations

import pytest
from recorded_logs import recorded, replay, scenario

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError


@pytest.mark.parametrize(
    "case", scenario.cases(scenario.PORT_FORWARD), ids=lambda case: case["name"]
)
def test_refusals_as_recorded(case: dict) -> None:
    assert replay(scenario.PORT_FORWARD, case["args"]) == recorded(scenario.PORT_FORWARD, case)


def _cluster() -> Cluster:
    c = Cluster()
    c.kubectl("create deploy web --image=nginx:1.27.3 --replicas=3 --port=80")
    c.kubectl("expose deploy web --port=8080 --target-port=80")
    return c


def test_it_listens_on_both_loopbacks_and_returns() -> None:
    c = _cluster()
    out = c.kubectl("port-forward svc/web 8080:8080")
    # the Service port 8080 is translated to the pod's target port 80
    assert out == "Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80"
    assert out.exit_code == 0


def test_a_port_alone_is_local_and_remote_and_an_address_can_be_given() -> None:
    c = _cluster()
    assert c.kubectl("port-forward deploy/web 80 --address 0.0.0.0") == (
        "Forwarding from 0.0.0.0:80 -> 80"
    )


def test_a_local_port_of_zero_gets_one_port_for_both_addresses() -> None:
    c = _cluster()
    first, second = c.kubectl("port-forward deploy/web :80").splitlines()
    port = first.split()[2].rpartition(":")[2]
    assert 32768 <= int(port) <= 60999
    assert second == f"Forwarding from [::1]:{port} -> 80"


def test_a_port_taken_twice() -> None:
    c = _cluster()
    c.kubectl("port-forward deploy/web 8080:80")
    out = c.kubectl("port-forward deploy/web 8080:80")
    assert out.exit_code == 1
    assert out == (
        "Unable to listen on port 8080: Listeners failed to create with the following errors: "
        "[unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in "
        "use unable to create listener: Error listen tcp6 [::1]:8080: bind: address already in "
        "use]\nerror: unable to listen on any of the requested ports: [{8080 80}]"
    )


def test_one_free_port_of_two_is_enough() -> None:
    c = _cluster()
    c.kubectl("port-forward deploy/web 8080:80")
    out = c.kubectl("port-forward deploy/web 8080:80 8081:80")
    assert out.exit_code == 0
    assert out.stderr.startswith("Unable to listen on port 8080: ")
    assert "Forwarding from 127.0.0.1:8081 -> 80\n" in out


def test_the_laptop_reaches_one_pod_without_kube_proxy() -> None:
    c = _cluster()
    c.kubectl("port-forward svc/web 8080:8080")
    # kubectl picks one pod when it starts (as kubectl exec would) and keeps it
    backends = {c.trace("localhost", "localhost:8080").backend_name for _ in range(10)}
    assert len(backends) == 1
    t = c.trace("localhost", "localhost:8080")
    assert t.verdict == "delivered"
    assert t.source_seen == "127.0.0.1"
    assert t.endpoint == "127.0.0.1:80"
    assert not [hop for hop in t.hops if hop.stage == "netfilter"]
    assert [hop.stage for hop in t.hops] == [
        "route",
        "forward",
        "forward",
        "deliver",
        "reply",
        "reply",
    ]


def test_ipv6_loopback_and_unknown_ports() -> None:
    c = _cluster()
    c.kubectl("port-forward deploy/web 8080:80")
    assert c.trace("localhost", "[::1]:8080").verdict == "delivered"
    closed = c.trace("localhost", "localhost:9090")
    assert (closed.verdict, closed.reason) == (
        "refused",
        "nothing listens on 127.0.0.1:9090 on the laptop",
    )
    with pytest.raises(KubenetError, match="TCP connections only"):
        c.trace("localhost", "localhost:8080", protocol="UDP")


def test_a_pod_port_nothing_listens_on() -> None:
    c = _cluster()
    c.kubectl("port-forward deploy/web 8080:81")
    t = c.trace("localhost", "localhost:8080")
    assert t.verdict == "refused"
    assert "an error occurred forwarding 8080 -> 81" in t.reason


def test_the_forward_ends_with_its_pod() -> None:
    c = _cluster()
    c.kubectl("port-forward deploy/web 8080:80")
    pod = c.trace("localhost", "localhost:8080").backend_name
    assert pod is not None
    c.delete("pod", pod.split("/")[1], grace_period=0)
    gone = c.trace("localhost", "localhost:8080")
    assert gone.verdict == "refused"
    assert "lost connection to pod" in gone.reason
    # the port is free again
    assert c.kubectl("port-forward deploy/web 8080:80").exit_code == 0


def test_stop_port_forward() -> None:
    c = _cluster()
    c.kubectl("port-forward deploy/web 8080:80 8081:80")
    assert c.stop_port_forward(8080) == 2  # its two listeners, 127.0.0.1 and ::1
    assert c.trace("localhost", "localhost:8080").verdict == "refused"
    assert c.trace("localhost", "localhost:8081").verdict == "delivered"
    assert c.stop_port_forward() == 2
    assert c.trace("localhost", "localhost:8081").verdict == "refused"


def test_forwards_belong_to_their_cluster() -> None:
    a, b = _cluster(), _cluster()
    a.kubectl("port-forward deploy/web 8080:80")
    assert a.trace("localhost", "localhost:8080").verdict == "delivered"
    assert b.trace("localhost", "localhost:8080").verdict == "refused"


def test_refusals_change_nothing() -> None:
    c = _cluster()
    before = c.control_plane.store.resource_version
    for line in ("port-forward svc/web 8080:81", "port-forward nope 80", "port-forward x"):
        with pytest.raises(KubenetError):
            c.kubectl(line)
    assert c.control_plane.store.resource_version == before
    assert c.trace("localhost", "localhost:8080").verdict == "refused"
