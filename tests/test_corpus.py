"""Real manifests, applied as pasted: every object a kind v1.33 cluster accepts is accepted.

The corpus (tests/data/corpus, sources and licenses in SOURCES.md) is what people paste from
upstream projects: the microservices demo, guestbook, bookinfo, podinfo, metrics-server, the
Kubernetes docs' examples, kind's own examples, the dashboard, an operator's CRD and a custom
resource. Each entry is applied with `kubectl apply -f` to a fresh `Cluster()`; the expected
answer is kind v1.33's: `<resource>/<name> created` for what it accepts, kubectl's own message
for what it refuses. A second `apply -f` of the same file sends kubectl's three-way strategic
merge patch (k8s.io/kubectl pkg/cmd/apply/patcher.go @ v0.33.1) and reports `unchanged` for an
empty patch, `configured` otherwise; the few objects a real cluster reports `configured` are
named, with the upstream rule. What this engine does not do yet is marked xfail(strict=True).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError

CORPUS = Path(__file__).parent / "data" / "corpus"

# `kubectl apply` prints `<resource>.<group>/<name>`; the group is left out for the core group.
RESOURCE = {
    "APIService": "apiservice.apiregistration.k8s.io",
    "ClusterRole": "clusterrole.rbac.authorization.k8s.io",
    "ClusterRoleBinding": "clusterrolebinding.rbac.authorization.k8s.io",
    "ConfigMap": "configmap",
    "CustomResourceDefinition": "customresourcedefinition.apiextensions.k8s.io",
    "Deployment": "deployment.apps",
    "HorizontalPodAutoscaler": "horizontalpodautoscaler.autoscaling",
    "IPAddressPool": "ipaddresspool.metallb.io",
    "Ingress": "ingress.networking.k8s.io",
    "IngressClass": "ingressclass.networking.k8s.io",
    "Job": "job.batch",
    "Namespace": "namespace",
    "NetworkPolicy": "networkpolicy.networking.k8s.io",
    "PersistentVolumeClaim": "persistentvolumeclaim",
    "Pod": "pod",
    "PodDisruptionBudget": "poddisruptionbudget.policy",
    "ReplicationController": "replicationcontroller",
    "Role": "role.rbac.authorization.k8s.io",
    "RoleBinding": "rolebinding.rbac.authorization.k8s.io",
    "Secret": "secret",
    "Service": "service",
    "ServiceAccount": "serviceaccount",
    "StatefulSet": "statefulset.apps",
    "StorageClass": "storageclass.storage.k8s.io",
    "ValidatingWebhookConfiguration": (
        "validatingwebhookconfiguration.admissionregistration.k8s.io"
    ),
}


def no_match(path: str, name: str, namespace: str, kind: str, version: str) -> str:
    """The resource builder's error for a kind the server does not serve (a CRD not installed
    or not established yet, or an API version removed): k8s.io/cli-runtime
    pkg/resource/mapper.go infoForData @ v0.33.1."""
    return (
        f'resource mapping not found for name: "{name}" namespace: "{namespace}" from '
        f'"{CORPUS / path}": no matches for kind "{kind}" in version "{version}"\n'
        "ensure CRDs are installed first"
    )


@dataclass(frozen=True)
class Case:
    """One corpus entry (a file, or a directory applied with `-f dir`) and kind's answer."""

    path: str
    refused: tuple[str, ...] = ()  # `Kind/name` of the documents kind refuses
    errors: str = ""  # what kubectl prints for them, once every object was tried
    configured: tuple[str, ...] = ()  # `Kind/name` a re-apply reports `configured`
    reapply_bug: str = ""  # why this engine's re-apply differs from kind's, if it does

    def documents(self) -> list[dict]:
        """The entry's documents in the order kubectl reads them (a directory: by file name)."""
        target = CORPUS / self.path
        files = sorted(target.iterdir()) if target.is_dir() else [target]
        return [doc for file in files for doc in yaml.safe_load_all(file.read_text()) if doc]


SELECTOR_PATCH_REPLACE = (
    "policy/v1 PodDisruptionBudgetSpec.selector is patchStrategy=replace, and strategicpatch "
    "handleMapDiff puts a replace-strategy map in the patch whether or not it changed"
)
CLAIM_TEMPLATES_ATOMIC = (
    "StatefulSetSpec.volumeClaimTemplates has no patch strategy (atomic), and the live "
    "templates carry the server's apiVersion/kind/volumeMode/status.phase, so the whole list "
    "is sent (kubernetes/kubernetes#66450)"
)
WEBHOOK_RULES_ATOMIC = (
    "ValidatingWebhook.rules is atomic and the server defaults each rule's scope to '*', so "
    "the whole list is sent"
)

# checkErr (k8s.io/kubectl pkg/cmd/util/helpers.go @ v0.33.1): one error is printed with an
# "error: " prefix, several (an Aggregate) one after the other without it.
CASES = [
    Case("microservices-demo/kubernetes-manifests.yaml"),
    Case("microservices-demo/network-policies"),
    Case("guestbook/guestbook-all-in-one.yaml"),
    Case("guestbook/redis-master-controller.yaml"),
    Case("cassandra/cassandra-service.yaml"),
    Case("cassandra/cassandra-statefulset.yaml", configured=("StatefulSet/cassandra",)),
    Case("bookinfo/bookinfo.yaml"),
    Case(
        "bookinfo/bookinfo-gateway.yaml",
        refused=("Gateway/bookinfo-gateway", "VirtualService/bookinfo"),
        errors=no_match(
            "bookinfo/bookinfo-gateway.yaml",
            "bookinfo-gateway",
            "",
            "Gateway",
            "networking.istio.io/v1",
        )
        + "\n"
        + no_match(
            "bookinfo/bookinfo-gateway.yaml",
            "bookinfo",
            "",
            "VirtualService",
            "networking.istio.io/v1",
        ),
    ),
    Case("istio-samples/helloworld.yaml"),
    Case("istio-samples/httpbin.yaml"),
    Case("istio-samples/curl.yaml"),
    # kind re-applies as configured: the API server stores Quantity.String() (cpu 2000m is
    # stored as "2"), which differs from the manifest's text.
    Case("podinfo/deployment.yaml", configured=("Deployment/podinfo",)),
    Case("podinfo/service.yaml"),
    Case("podinfo/hpa.yaml"),
    Case("metrics-server/rbac.yaml"),
    Case("metrics-server/service.yaml"),
    Case(
        "metrics-server/deployment.yaml",
        refused=("Deployment/metrics-server",),
        # ValidateDeploymentSpec: no selector is Required, and LabelSelectorAsSelector(nil) is
        # labels.Nothing(), which is not Empty() and matches no template labels.
        errors='The Deployment "metrics-server" is invalid: \n'
        "* spec.selector: Required value\n"
        "* spec.template.metadata.labels: Invalid value: map[string]string(nil): "
        "`selector` does not match template `labels`",
    ),
    Case("metrics-server/apiservice.yaml"),
    Case(
        "metrics-server-v0.3.7/metrics-apiservice.yaml",
        refused=("APIService/v1beta1.metrics.k8s.io",),
        errors="error: "
        + no_match(
            "metrics-server-v0.3.7/metrics-apiservice.yaml",
            "v1beta1.metrics.k8s.io",
            "",
            "APIService",
            "apiregistration.k8s.io/v1beta1",
        ),
    ),
    Case("dashboard/recommended.yaml"),
    # The controller's ConfigMap is written `data: null`: an explicit null the live object does
    # not have is always in the patch (diffMaps adds every key of `modified` missing from
    # `current`, k8s.io/apimachinery pkg/util/strategicpatch/patch.go @ v0.33.0), so kind
    # re-applies it as configured each time.
    Case(
        "kind-ingress/deploy-ingress-nginx.yaml",
        configured=(
            "ConfigMap/ingress-nginx-controller",
            "ValidatingWebhookConfiguration/ingress-nginx-admission",
        ),
    ),
    Case("kind-ingress/usage.yaml"),
    Case("kind-loadbalancer/usage.yaml"),
    Case("metallb/metallb.io_ipaddresspools.yaml"),
    Case(
        "metallb/ipaddresspool_simple.yaml",
        refused=("IPAddressPool/example",),
        errors="error: "
        + no_match(
            "metallb/ipaddresspool_simple.yaml",
            "example",
            "metallb-system",
            "IPAddressPool",
            "metallb.io/v1beta1",
        ),
    ),
    Case("k8s-docs/mysql-deployment.yaml"),
    Case("k8s-docs/wordpress-deployment.yaml"),
    Case("k8s-docs/zookeeper.yaml", configured=("PodDisruptionBudget/zk-pdb", "StatefulSet/zk")),
    Case("k8s-docs/networkpolicy.yaml"),
    Case("k8s-docs/minimal-ingress.yaml"),
    Case(
        "k8s-docs/gateway.yaml",
        refused=("Gateway/example-gateway",),
        errors="error: "
        + no_match(
            "k8s-docs/gateway.yaml",
            "example-gateway",
            "example-namespace",
            "Gateway",
            "gateway.networking.k8s.io/v1",
        ),
    ),
]

# Why each re-apply reports `configured` on kind (the upstream rule), for the record.
CONFIGURED_BECAUSE = {
    "cassandra/cassandra-statefulset.yaml": CLAIM_TEMPLATES_ATOMIC,
    "podinfo/deployment.yaml": "cpu limit 2000m is stored as '2' (kubernetes/kubernetes#66450)",
    "kind-ingress/deploy-ingress-nginx.yaml": WEBHOOK_RULES_ATOMIC,
    "k8s-docs/zookeeper.yaml": f"{SELECTOR_PATCH_REPLACE}; {CLAIM_TEMPLATES_ATOMIC}",
}


def apply(cluster: Cluster, path: Path) -> tuple[list[str], str, int]:
    """`kubectl apply -f path`: the lines printed (stdout, then stderr), stderr, exit status."""
    try:
        out = cluster.kubectl(f"apply -f {path}")
    except KubenetError as error:  # every document failed
        return str(error).splitlines(), str(error), 1
    return str(out).splitlines(), out.stderr.removesuffix("\n"), out.exit_code


def expected(case: Case, verb: str, configured: tuple[str, ...] = ()) -> tuple[list[str], int]:
    """The lines kind's kubectl prints for the entry, and its exit status."""
    lines = []
    for doc in case.documents():
        key = f"{doc['kind']}/{doc['metadata']['name']}"
        if key not in case.refused:
            shown = "configured" if key in configured else verb
            lines.append(f"{RESOURCE[doc['kind']]}/{doc['metadata']['name']} {shown}")
    return lines + case.errors.splitlines(), 1 if case.refused else 0


def test_the_corpus_is_what_the_report_says() -> None:
    """Every corpus file is an entry, and the corpus holds 150 objects or more."""
    entries = {case.path for case in CASES}
    files = {
        str(path.relative_to(CORPUS))
        for path in CORPUS.rglob("*.yaml")
        if path.parent.name != "network-policies"
    }
    assert files | {"microservices-demo/network-policies"} == entries
    assert sum(len(case.documents()) for case in CASES) >= 150
    assert set(CONFIGURED_BECAUSE) == {case.path for case in CASES if case.configured}


@pytest.mark.parametrize("case", CASES, ids=[case.path for case in CASES])
def test_apply_as_pasted(case: Case) -> None:
    """The first `apply -f`: kind's `created` lines and refusals, in document order."""
    lines, stderr, exit_code = apply(Cluster(), CORPUS / case.path)
    want, want_code = expected(case, "created")
    assert lines == want
    assert stderr == case.errors
    assert exit_code == want_code


def _reapply_param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.reapply_bug)] if case.reapply_bug else []
    return pytest.param(case, id=case.path, marks=marks)


@pytest.mark.parametrize("case", [_reapply_param(case) for case in CASES])
def test_reapply_is_unchanged(case: Case) -> None:
    """A second `apply -f` sends an empty patch (`unchanged`) but where kind's does not."""
    cluster = Cluster()
    apply(cluster, CORPUS / case.path)
    lines, stderr, exit_code = apply(cluster, CORPUS / case.path)
    want, want_code = expected(case, "unchanged", case.configured)
    assert lines == want
    assert stderr == case.errors
    assert exit_code == want_code


CRD_DIR = "metallb"
CR_PATH = CORPUS / CRD_DIR / "ipaddresspool_simple.yaml"
CRD_LINE = "customresourcedefinition.apiextensions.k8s.io/ipaddresspools.metallb.io"


def test_crd_and_custom_resource_in_one_apply() -> None:
    """`apply -f metallb/` maps every document before it sends any: the CRD is not there yet
    when the custom resource is mapped, so the CR fails and the CRD is created."""
    lines, stderr, exit_code = apply(Cluster(), CORPUS / CRD_DIR)
    error = "error: " + no_match(
        "metallb/ipaddresspool_simple.yaml",
        "example",
        "metallb-system",
        "IPAddressPool",
        "metallb.io/v1beta1",
    )
    assert lines == [f"{CRD_LINE} created", *error.splitlines()]
    assert (stderr, exit_code) == (error, 1)


def test_crd_then_custom_resource_second_apply() -> None:
    """Applied again, the CRD is established and its kind is mapped: the CR reaches the API
    server, which refuses it for its missing namespace; once that exists, it is created."""
    cluster = Cluster()
    apply(cluster, CORPUS / CRD_DIR)
    lines, stderr, exit_code = apply(cluster, CORPUS / CRD_DIR)
    error = (
        f'Error from server (NotFound): error when creating "{CR_PATH}": '
        'namespaces "metallb-system" not found'
    )
    assert lines == [f"{CRD_LINE} unchanged", error]
    assert (stderr, exit_code) == (error, 1)
    cluster.kubectl("create namespace metallb-system")
    lines, stderr, exit_code = apply(cluster, CORPUS / CRD_DIR)
    # apply prints each object as it is applied, in file order: ipaddresspool_simple.yaml sorts
    # before metallb.io_ipaddresspools.yaml (only the errors are collected and printed last).
    assert lines == ["ipaddresspool.metallb.io/example created", f"{CRD_LINE} unchanged"]
    assert (stderr, exit_code) == ("", 0)


def test_stored_quantities_are_canonical() -> None:
    """The API server decodes a resource.Quantity and encodes its String(): podinfo's cpu
    limit `2000m` is stored as `2`, zookeeper's cpu request `0.5` as `500m`."""
    cluster = Cluster()
    apply(cluster, CORPUS / "podinfo/deployment.yaml")
    apply(cluster, CORPUS / "k8s-docs/zookeeper.yaml")
    podinfo = cluster.kubectl("get deployment podinfo -o yaml")
    zookeeper = cluster.kubectl("get statefulset zk -o yaml")
    limits = yaml.safe_load(podinfo)["spec"]["template"]["spec"]["containers"][0]["resources"]
    requests = yaml.safe_load(zookeeper)["spec"]["template"]["spec"]["containers"][0]
    assert limits["limits"]["cpu"] == "2"
    assert requests["resources"]["requests"]["cpu"] == "500m"
