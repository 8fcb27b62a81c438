"""The world of upstream's netpol e2e suite, for the tests and the benchmark that use it.

kubernetes/kubernetes test/e2e/network/netpol @ v1.33.0: `initializeResources(ctx, f,
protocols, ports)` makes namespaces x, y, z with pods a, b, c (model.go: a container per port
and protocol, `cont-<port>-<proto>` serving the named port `serve-<port>-<proto>`, label
`pod: <name>`, and one Service `s-<ns>-<pod>` per pod; kubemanager.go: namespaces with no labels
but `kubernetes.io/metadata.name`).
"""

from __future__ import annotations

from collections.abc import Iterable

from kubenet_nb import Cluster

__all__ = ["AGNHOST", "ALL", "NAMESPACES", "PODS", "e2e_world"]

NAMESPACES = ("x", "y", "z")
PODS = ("a", "b", "c")
ALL = [f"{ns}/{pod}" for ns in NAMESPACES for pod in PODS]
AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.53"


def _container(port: int, protocol: str) -> dict:
    """model.go's Container.Spec: one agnhost server for one port and protocol."""
    proto = protocol.lower()
    env: list[dict] = []
    if protocol == "SCTP":
        env = [{"name": f"SERVE_SCTP_PORT_{port}", "value": "foo"}]
        command = ["/agnhost", "porter"]
    else:
        command = ["/agnhost", "serve-hostname", f"--{proto}", "--http=false", "--port", str(port)]
    return {
        "name": f"cont-{port}-{proto}",
        "image": AGNHOST,
        "imagePullPolicy": "IfNotPresent",
        "command": command,
        "env": env,
        "securityContext": {},
        "ports": [{"containerPort": port, "name": f"serve-{port}-{proto}", "protocol": protocol}],
    }


def e2e_world(protocols: Iterable[str] = ("TCP",), ports: Iterable[int] = (80,)) -> Cluster:
    """`initializeResources(ctx, f, protocols, ports)`: x, y, z with pods a, b, c and Services."""
    protocols, ports = tuple(protocols), tuple(ports)
    c = Cluster()
    for ns in NAMESPACES:
        c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        for pod in PODS:
            containers = [_container(port, proto) for port in ports for proto in protocols]
            c.create(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": pod, "namespace": ns, "labels": {"pod": pod}},
                    "spec": {"terminationGracePeriodSeconds": 0, "containers": containers},
                }
            )
            service_ports = [
                {"name": f"service-port-{proto.lower()}-{port}", "protocol": proto, "port": port}
                for port in ports
                for proto in protocols
            ]
            c.create(
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": {"name": f"s-{ns}-{pod}", "namespace": ns},
                    "spec": {"selector": {"pod": pod}, "ports": service_ports},
                }
            )
    return c
