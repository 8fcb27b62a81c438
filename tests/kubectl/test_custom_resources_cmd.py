"""kubectl with custom resources: the docs' CronTab walk-through, printer columns, discovery.

kubernetes/website content/en/docs/tasks/extend-kubernetes/custom-resources/
custom-resource-definitions.md (the `crontabs.stable.example.com` CRD and its CronTab);
kubectl's outputs as k8s.io/kubectl @ v0.33.1 prints them (cli-runtime's NamePrinter lowers the
kind; `kubectl get` of a custom resource prints the server's table: NAME, AGE without printer
columns, k8s.io/apiextensions-apiserver pkg/apiserver/helpers.go serveDefaultColumnsIfEmpty).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError, KubenetError

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  # name must match the spec fields below, and be in the form: <plural>.<group>
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec:
                  type: string
                image:
                  type: string
                replicas:
                  type: integer
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames:
    - ct
"""
CRONTAB = """\
apiVersion: "stable.example.com/v1"
kind: CronTab
metadata:
  name: my-new-cron-object
spec:
  cronSpec: "* * * * */5"
  image: my-awesome-cron-image
"""
COLUMNS = """\
      additionalPrinterColumns:
      - name: Spec
        type: string
        jsonPath: .spec.cronSpec
      - name: Replicas
        type: integer
        jsonPath: .spec.replicas
      - name: Age
        type: date
        jsonPath: .metadata.creationTimestamp
      - name: Image
        type: string
        priority: 1
        jsonPath: .spec.image
"""
METALLB = Path(__file__).parents[1] / "data" / "corpus" / "metallb"


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster(workers=0, system_pods=False)
    c.kubectl("apply -f -\n" + CRD)
    return c


def test_the_docs_walk_through(cluster: Cluster) -> None:
    assert cluster.kubectl("apply -f -\n" + CRONTAB) == (
        "crontab.stable.example.com/my-new-cron-object created"
    )
    assert cluster.kubectl("apply -f -\n" + CRONTAB) == (
        "crontab.stable.example.com/my-new-cron-object unchanged"
    )
    assert cluster.kubectl("get crontab") == "NAME                 AGE\nmy-new-cron-object   0s"
    assert cluster.kubectl("get ct") == cluster.kubectl("get crontabs.stable.example.com")
    assert cluster.kubectl("get ct -o name") == "crontab.stable.example.com/my-new-cron-object"
    shown = cluster.kubectl("get ct my-new-cron-object -o yaml")
    assert shown.startswith("apiVersion: stable.example.com/v1\nkind: CronTab\n")
    assert "  cronSpec: '* * * * */5'\n  image: my-awesome-cron-image" in shown
    described = cluster.kubectl("describe ct my-new-cron-object")
    assert "API Version:  stable.example.com/v1\nKind:         CronTab\n" in described
    assert "Spec:\n  Cron Spec:  * * * * */5\n  Image:      my-awesome-cron-image" in described
    assert cluster.kubectl("delete crd crontabs.stable.example.com") == (
        'customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted'
    )
    with pytest.raises(KubectlError) as error:
        cluster.kubectl("get crontabs")
    assert str(error.value) == 'error: the server doesn\'t have a resource type "crontabs"'


def test_apply_configures_a_changed_custom_resource(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -\n" + CRONTAB)
    changed = CRONTAB.replace("my-awesome-cron-image", "other")
    assert cluster.kubectl("apply -f -\n" + changed) == (
        "crontab.stable.example.com/my-new-cron-object configured"
    )
    assert cluster.get("ct", "my-new-cron-object")["spec"]["image"] == "other"


def test_crd_table_and_the_api_resources_row(cluster: Cluster) -> None:
    assert cluster.kubectl("get crd") == (
        "NAME                          CREATED AT\n"
        "crontabs.stable.example.com   2025-01-01T00:05:00Z"
    )
    # apiresources.go sorts by group: stable.example.com between scheduling.k8s.io and storage.
    rows = [" ".join(r.split()) for r in cluster.kubectl("api-resources").splitlines()]
    at = rows.index("crontabs ct stable.example.com/v1 true CronTab")
    assert rows[at - 1].startswith("priorityclasses ")
    assert rows[at + 1].startswith("csidrivers ")
    assert "crontabs.stable.example.com" in cluster.kubectl("api-resources -o name")


def test_printer_columns(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -\n" + CRD.replace("      schema:\n", COLUMNS + "      schema:\n"))
    cluster.kubectl("apply -f -\n" + CRONTAB.replace("image:", "replicas: 3\n  image:"))
    assert cluster.kubectl("get ct") == (
        "NAME                 SPEC          REPLICAS   AGE\n"
        "my-new-cron-object   * * * * */5   3          0s"
    )
    assert cluster.kubectl("get ct -o wide") == (
        "NAME                 SPEC          REPLICAS   AGE   IMAGE\n"
        "my-new-cron-object   * * * * */5   3          0s    my-awesome-cron-image"
    )


def test_metallb_columns() -> None:
    cluster = Cluster(workers=0, system_pods=False)
    cluster.kubectl("create namespace metallb-system")
    cluster.kubectl(f"apply -f {METALLB / 'metallb.io_ipaddresspools.yaml'}")
    cluster.kubectl(f"apply -f {METALLB / 'ipaddresspool_simple.yaml'}")
    assert cluster.kubectl("get ipaddresspools -n metallb-system").splitlines() == [
        "NAME      AUTO ASSIGN   AVOID BUGGY IPS   ADDRESSES",
        'example   true          false             ["192.168.10.0/24","192.168.9.1-192.168.9.5",'
        '"fc00:f853:0ccd:e799::/124"]',
    ]


def test_a_custom_resource_before_its_crd_is_not_mapped() -> None:
    with pytest.raises(KubectlError) as error:
        Cluster(workers=0, system_pods=False).kubectl("apply -f -\n" + CRONTAB)
    assert str(error.value) == (
        'error: resource mapping not found for name: "my-new-cron-object" namespace: "" from '
        '"STDIN": no matches for kind "CronTab" in version "stable.example.com/v1"\n'
        "ensure CRDs are installed first"
    )


def test_strict_validation_of_a_custom_resource(cluster: Cluster) -> None:
    bogus = CRONTAB + "  bogus: 1\n"
    with pytest.raises(KubenetError) as error:
        cluster.kubectl("apply -f -\n" + bogus)
    assert str(error.value) == (
        'Error from server (BadRequest): error when creating "STDIN": CronTab in version "v1" '
        'cannot be handled as a CronTab: strict decoding error: unknown field "spec.bogus"'
    )
    out = cluster.kubectl("apply --validate=warn -f -\n" + bogus)
    assert out == (
        'Warning: unknown field "spec.bogus"\ncrontab.stable.example.com/my-new-cron-object created'
    )
