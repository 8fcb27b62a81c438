"""The diagnosis behind the tasks of 04 and 11: each of the five failures, from the cluster."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.troubleshooting import diagnose

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"
SHOP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet: {path: /, port: 80}
"""


def service(name: str, selector: dict, port: dict, namespace: str = "default") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"selector": selector, "ports": [port]},
    }


@pytest.fixture
def cluster() -> Cluster:
    """A client pod and two nginx pods `app=shop` listening on 80, with a readinessProbe that
    `set_ready` can fail (no Service yet)."""
    c = Cluster(seed=10)
    c.kubectl("apply -f -\n" + SHOP)
    c.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    return c


def test_a_working_service_has_no_cause(cluster: Cluster) -> None:
    cluster.kubectl("expose deployment shop --port=80")
    found = diagnose(cluster, "client", "shop")
    assert found.cause is None
    assert found.evidence.startswith("It works now: delivered to default/shop-")


def test_selector_matching_no_pod(cluster: Cluster) -> None:
    # A Service's pods are those whose labels contain the whole selector (core/v1 ServiceSpec).
    cluster.apply(service("shop", {"app": "shop", "tier": "frontend"}, {"port": 80}))
    found = diagnose(cluster, "client", "shop")
    assert found.cause == "selector"
    assert found.evidence == (
        "Service shop selects app=shop,tier=frontend, and no pod in namespace default carries "
        "all of these labels."
    )


def test_target_port_nothing_listens_on(cluster: Cluster) -> None:
    # The endpoint controller does not check numeric target ports (endpointslice utils.go
    # findPort returns them as they are); the pod's kernel then resets the connection.
    cluster.kubectl("expose deployment shop --port=80 --target-port=8080")
    found = diagnose(cluster, "client", "shop")
    assert found.cause == "target port"
    assert found.evidence.startswith("The connection reached pod default/shop-")
    assert found.evidence.endswith(
        ":8080, where nothing listens: targetPort 8080 is not a port the container serves "
        "(it declares 80/TCP)."
    )


def test_no_ready_pod(cluster: Cluster) -> None:
    cluster.kubectl("expose deployment shop --port=80")
    for pod in cluster.list("pods", selector="app=shop"):
        cluster.set_ready(pod["metadata"]["name"], False)
    found = diagnose(cluster, "client", "shop")
    assert found.cause == "not ready"
    assert "none of them is ready" in found.evidence


def test_one_ready_pod_is_enough(cluster: Cluster) -> None:
    cluster.kubectl("expose deployment shop --port=80")
    cluster.set_ready(cluster.list("pods", selector="app=shop")[0]["metadata"]["name"], False)
    assert diagnose(cluster, "client", "shop").cause is None


def test_named_port_the_pods_lack(cluster: Cluster) -> None:
    # endpointslice utils.go findPort: a named targetPort is looked up among the pod's
    # container ports by name and protocol; no match, no port for that pod.
    port = {"name": "web", "port": 80, "targetPort": "http"}
    cluster.apply(service("shop", {"app": "shop"}, port))
    found = diagnose(cluster, "client", "shop")
    assert found.cause == "named port"
    assert found.evidence.startswith("Service shop's targetPort is the name 'http', and none")
    assert found.evidence.endswith("has a TCP container port of that name.")


def test_named_port_once_the_pods_define_it(cluster: Cluster) -> None:
    cluster.apply(service("shop", {"app": "shop"}, {"port": 80, "targetPort": "http"}))
    deployment = cluster.get("deployment", "shop")
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["name"] = "http"
    cluster.update(deployment)
    assert diagnose(cluster, "client", "shop").cause is None


def test_service_in_another_namespace(cluster: Cluster) -> None:
    # The pod's search list starts with its own namespace (DNS spec 1.1.0, resolv.conf search).
    cluster.kubectl("create namespace backend")
    cluster.kubectl("create deployment db --image=nginx --port=80 -n backend")
    cluster.kubectl("expose deployment db --port=80 -n backend")
    found = diagnose(cluster, "client", "db")
    assert found.cause == "namespace"
    assert found.evidence == (
        "db does not resolve from namespace default: the resolver asked "
        "db.default.svc.cluster.local., db.svc.cluster.local., db.cluster.local., db.. "
        "Service db lives in namespace backend: ask for db.backend."
    )
    assert diagnose(cluster, "client", "db.backend").cause is None


def test_a_name_that_exists_nowhere_is_another_cause(cluster: Cluster) -> None:
    found = diagnose(cluster, "client", "nowhere")
    assert found.cause == "other"
    assert found.evidence.endswith("no Service is named nowhere in any namespace.")


def test_a_missing_client() -> None:
    found = diagnose(Cluster(seed=10), "client", "shop")
    assert (found.cause, found.evidence) == (
        "other",
        "There is no pod client in namespace default.",
    )


def test_a_target_port_left_out_defaults_to_the_port(cluster: Cluster) -> None:
    cluster.kubectl(
        f"create deployment cart --image={AGNHOST} --port=8080 -- /agnhost netexec --http-port=8080"
    )
    cluster.apply(service("cart", {"app": "cart"}, {"port": 80}))
    found = diagnose(cluster, "client", "cart")
    assert found.cause == "target port"
    assert found.evidence.startswith("The connection reached pod default/cart-")
    # core/v1 defaults.go SetDefaults_Service: an unset targetPort takes the port's value.
    assert found.evidence.endswith(
        ":80, where nothing listens: targetPort 80 is not a port the container serves "
        "(it declares 8080/TCP); left out, targetPort defaults to the Service's port."
    )
