"""What a container listens on, from its image and its command, args and env.

Each case cites where the default and the flag or variable come from (repository path @ commit
or tag, as read for kubenet_nb/cluster/images); declared containerPorts play no part for an
image in the table and are the fallback for any other image. The end-to-end cases go through
the public face: kind's own ingress example (kubernetes-sigs/kind
site/static/examples/ingress/usage.yaml @ fed2688) runs agnhost `serve-hostname --http=true
--port=8080` and declares no containerPort.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenet_nb import Cluster
from kubenet_nb.cluster.images import ANY, LOOPBACK, Socket, container_argv, image_sockets
from kubenet_nb.cluster.images.argv import command_lines, container_env, expand, flag_value
from kubenet_nb.cluster.images.listening import IMAGES
from kubenet_nb.cluster.listeners import pod_listeners

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.39"
USAGE = Path(__file__).parents[1] / "data" / "corpus" / "kind-ingress" / "usage.yaml"


def tcp(*ports: int) -> list[Socket]:
    return [Socket(p) for p in ports]


def container(image: str, command=None, args=None, env=None, ports=None) -> dict:
    spec: dict = {"name": "c", "image": image}
    for key, value in (("command", command), ("args", args), ("env", env), ("ports", ports)):
        if value is not None:
            spec[key] = value
    return spec


CASES = [
    # k/k test/images/agnhost/Dockerfile @ 05c351a: ENTRYPOINT ["/agnhost"], CMD ["pause"].
    ("agnhost no command: pause", container(AGNHOST, ports=[{"containerPort": 8080}]), []),
    # agnhost/netexec/netexec.go @ 1c9cf91: --http-port 8080, --udp-port 8081, --sctp-port -1.
    (
        "netexec defaults",
        container(AGNHOST, args=["netexec"]),
        [Socket(8080), Socket(8081, "UDP")],
    ),
    (
        "netexec flags",
        container(AGNHOST, command=["/agnhost", "netexec", "--http-port", "9000", "--udp-port=-1"]),
        tcp(9000),
    ),
    (
        "netexec sctp",
        container(AGNHOST, args=["netexec", "--http-port=80", "--sctp-port=9999"]),
        [Socket(80), Socket(8081, "UDP"), Socket(9999, "SCTP")],
    ),
    # agnhost/serve-hostname/serve_hostname.go @ 6732d91: --port 9376, --http true, --tcp, --udp.
    ("serve-hostname default", container(AGNHOST, args=["serve-hostname"]), tcp(9376)),
    (
        "serve-hostname kind ingress",
        container(AGNHOST, command=["/agnhost", "serve-hostname", "--http=true", "--port=8080"]),
        tcp(8080),
    ),
    (
        "serve-hostname udp",
        container(AGNHOST, args=["serve-hostname", "--http=false", "--udp", "--port=53"]),
        [Socket(53, "UDP")],
    ),
    # agnhost/porter/porter.go @ 4a0608c: SERVE_PORT_<n>, SERVE_UDP_PORT_<n>.
    (
        "porter",
        container(
            AGNHOST,
            args=["porter"],
            env=[
                {"name": "SERVE_PORT_9001", "value": "foo"},
                {"name": "SERVE_UDP_PORT_9002", "value": "bar"},
            ],
        ),
        [Socket(9001), Socket(9002, "UDP")],
    ),
    # agnhost/liveness/server.go @ 245fe85: ListenAndServe(":8080").
    ("liveness", container(AGNHOST, args=["liveness"]), tcp(8080)),
    # hashicorp/http-echo main.go @ 078c807: -listen ":5678" (Go's flag package).
    ("http-echo default", container("hashicorp/http-echo", args=["-text=hi"]), tcp(5678)),
    (
        "http-echo -listen",
        container("hashicorp/http-echo:1.0", args=["-listen=:8080", "-text=hi"]),
        tcp(8080),
    ),
    (
        "http-echo --listen value",
        container("hashicorp/http-echo", args=["--listen", "127.0.0.1:9000", "-text=x"]),
        [Socket(9000, "TCP", LOOPBACK)],
    ),
    # traefik/whoami app.go @ 01018ab: -port, default $WHOAMI_PORT_NUMBER or 80.
    ("whoami default", container("traefik/whoami"), tcp(80)),
    ("whoami flag", container("traefik/whoami", args=["--port", "8081"]), tcp(8081)),
    (
        "whoami env",
        container("traefik/whoami", env=[{"name": "WHOAMI_PORT_NUMBER", "value": "8082"}]),
        tcp(8082),
    ),
    # mccutchen/go-httpbin httpbin/cmd/cmd.go @ 056d0cf: -port 8080, else $PORT.
    ("go-httpbin default", container("docker.io/mccutchen/go-httpbin:v2.15.0"), tcp(8080)),
    (
        "go-httpbin env",
        container("mccutchen/go-httpbin", env=[{"name": "PORT", "value": "9090"}]),
        tcp(9090),
    ),
    # stefanprodan/podinfo cmd/podinfo/main.go: --port 9898, --grpc-port 0, --port-metrics 0.
    ("podinfo default", container("ghcr.io/stefanprodan/podinfo:6.14.1"), tcp(9898)),
    (
        "podinfo grpc",
        container("stefanprodan/podinfo", command=["./podinfo", "--port=9000", "--grpc-port=9999"]),
        tcp(9000, 9999),
    ),
    # nginx: nginxinc/docker-nginx EXPOSE 80 and default.conf; the port is the config's.
    ("nginx ignores declared", container("nginx", ports=[{"containerPort": 8080}]), tcp(80)),
    ("nginx not running", container("nginx", command=["sleep", "infinity"]), []),
    ("nginx-unprivileged", container("nginxinc/nginx-unprivileged"), tcp(8080)),
    # docker-library: EXPOSE 6379 / 3306 33060 / 5432; `-`-args go to the server.
    ("redis", container("redis:7"), tcp(6379)),
    ("redis --port", container("redis", args=["--port", "6380"]), tcp(6380)),
    ("mysql", container("mysql:8.0"), tcp(3306, 33060)),
    (
        "postgres PGPORT",
        container("postgres", env=[{"name": "PGPORT", "value": "5433"}]),
        tcp(5433),
    ),
    # busybox networking/httpd.c: -p [IP:]PORT default 80; nc -l -p PORT.
    ("busybox sleep", container("busybox", command=["sleep", "3600"]), []),
    ("busybox httpd", container("busybox", command=["httpd", "-f", "-p", "8080"]), tcp(8080)),
    (
        "busybox sh -c",
        container("busybox:1.36", command=["sh", "-c", "echo hi > /www/x; exec httpd -f -h /www"]),
        tcp(80),
    ),
    ("busybox nc", container("busybox", command=["nc", "-lk", "-p", "7000"]), tcp(7000)),
    ("netshoot nc", container("nicolaka/netshoot", command=["nc", "-l", "7001"]), tcp(7001)),
    # cpython Lib/http/server.py: port argument, default 8000.
    (
        "python http.server",
        container("python:3.12", args=["python", "-m", "http.server"]),
        tcp(8000),
    ),
    (
        "python http.server port",
        container("python", command=["python3", "-m", "http.server", "-b", "0.0.0.0", "9000"]),
        tcp(9000),
    ),
    # kubernetes/ingress-nginx pkg/flags/flags.go; the webhook only with --validating-webhook.
    (
        "ingress-nginx",
        container(
            "registry.k8s.io/ingress-nginx/controller:v1.12.1",
            args=["/nginx-ingress-controller", "--validating-webhook=:8443"],
        ),
        [*tcp(80, 443, 8181, 10254, 8443), Socket(10246, "TCP", LOOPBACK)],
    ),
    # kubernetes-sigs/metrics-server options.go @ 087ef6b: --secure-port (generic default 443).
    (
        "metrics-server",
        container(
            "registry.k8s.io/metrics-server/metrics-server:v0.7.2", args=["--secure-port=10250"]
        ),
        tcp(10250),
    ),
    # kubernetes/dashboard v2.7.0: TLS on 8443 with certificates, else HTTP on 9090.
    (
        "dashboard certificates",
        container("kubernetesui/dashboard:v2.7.0", args=["--auto-generate-certificates"]),
        tcp(8443),
    ),
    ("dashboard plain", container("kubernetesui/dashboard:v2.7.0"), tcp(9090)),
    # microservices-demo release/kubernetes-manifests.yaml @ 34ffea9: PORT from env.
    (
        "boutique PORT",
        container(
            "us-central1-docker.pkg.dev/google-samples/microservices-demo/frontend:v0.10.2",
            env=[{"name": "PORT", "value": "8081"}],
        ),
        tcp(8081),
    ),
    # istio/istio samples/bookinfo: 9080.
    ("bookinfo", container("docker.io/istio/examples-bookinfo-ratings-v1:1.20.3"), tcp(9080)),
    # kubernetes/website zookeeper.yaml: sh -c "start-zookeeper ... --client_port=2181 ...".
    (
        "zookeeper",
        container(
            "registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10",
            command=["sh", "-c", "start-zookeeper --servers=3 --client_port=2182"],
        ),
        tcp(2182, 2888, 3888),
    ),
    # An image not in the table: its declared ports.
    (
        "unknown image",
        container(
            "example.com/app:1",
            ports=[{"containerPort": 3000}, {"containerPort": 53, "protocol": "UDP"}],
        ),
        None,
    ),
]


@pytest.mark.parametrize(("name", "spec", "expected"), CASES, ids=[c[0] for c in CASES])
def test_sockets(name: str, spec: dict, expected: list[Socket] | None) -> None:
    assert image_sockets(spec) == expected


def test_unknown_image_falls_back_to_declared_ports() -> None:
    pod = {"spec": {"containers": [CASES[-1][1]]}}
    assert [(s.port, s.protocol) for s in pod_listeners(pod)] == [(3000, "TCP"), (53, "UDP")]


def test_every_program_names_a_source() -> None:
    for repository, image in IMAGES.items():
        for program in image.programs:
            assert program.source or program.subcommands, repository
            for sub in program.subcommands.values():
                assert sub.source, repository


def test_kubelet_expansion() -> None:
    # k/k third_party/forked/golang/expansion/expand.go @ v1.33.0 (expand_test.go's cases).
    env = {"VAR_A": "A", "VAR_B": "B"}
    assert expand("$(VAR_A)-$(VAR_B)", env) == "A-B"
    assert expand("$$(VAR_A)", env) == "$(VAR_A)"
    assert expand("$(VAR_C)", env) == "$(VAR_C)"
    assert expand("$(VAR_A", env) == "$(VAR_A"
    assert expand("$VAR_A", env) == "$VAR_A"
    assert expand("$$$$", env) == "$$"
    assert expand("end$", env) == "end$"


def test_env_and_args_expansion() -> None:
    spec = container(
        AGNHOST,
        command=["/agnhost", "netexec", "--http-port=$(HTTP)"],
        env=[
            {"name": "BASE", "value": "90"},
            {"name": "HTTP", "value": "$(BASE)90"},
            {"name": "FROM", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        ],
    )
    assert container_env(spec) == {"BASE": "90", "HTTP": "9090"}
    assert container_argv(spec, IMAGES["e2e-test-images/agnhost"])[2] == "--http-port=9090"
    assert image_sockets(spec) == [Socket(9090), Socket(8081, "UDP")]


def test_flag_forms() -> None:
    # Go's flag package: one or two dashes, `=value` or the next word; last one wins.
    words = ["-port=1", "--port", "2", "-other"]
    assert flag_value(words, ["port"], single_dash=True) == "2"
    # spf13/pflag: a single-dash long name is not the flag.
    assert flag_value(["-port=1"], ["port"], single_dash=False) is None
    assert flag_value(["--", "--port=3"], ["port"], single_dash=True) is None


def test_shell_script_commands() -> None:
    lines = command_lines(["/bin/sh", "-c", "A=1 nc -l -p 80 & exec httpd -p 81\nsleep 1"])
    assert lines == [["nc", "-l", "-p", "80"], ["httpd", "-p", "81"], ["sleep", "1"]]


def test_bind_address_is_kept() -> None:
    spec = container("busybox", command=["httpd", "-f", "-p", "127.0.0.1:8080"])
    assert image_sockets(spec) == [Socket(8080, "TCP", LOOPBACK)]
    assert image_sockets(container("busybox", command=["httpd", "-p", "0.0.0.0:80"])) == [
        Socket(80, "TCP", ANY)
    ]


@pytest.fixture(scope="module")
def ingress_example() -> Cluster:
    c = Cluster()
    c.apply(USAGE.read_text())
    c.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    return c


def test_kind_ingress_example_answers_with_the_hostname(ingress_example: Cluster) -> None:
    c = ingress_example
    assert c.kubectl("exec client -- curl -sS http://foo-service:8080") == "foo-app"
    assert c.kubectl("exec client -- curl -sS http://bar-service:8080/anything") == "bar-app"


def test_kind_ingress_example_trace_is_delivered(ingress_example: Cluster) -> None:
    assert ingress_example.trace("client", "foo-service", 8080).verdict == "delivered"


def test_agnhost_without_a_command_refuses(ingress_example: Cluster) -> None:
    c = ingress_example
    c.kubectl("run idle --image=registry.k8s.io/e2e-test-images/agnhost:2.52 --port=8080")
    ip = c.get("pod", "idle")["status"]["podIP"]
    out = c.kubectl(f"exec client -- curl -sS {ip}:8080")
    assert "Connection refused" in out or "Couldn't connect" in out
