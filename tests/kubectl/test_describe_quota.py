"""`kubectl describe` for ResourceQuotas, LimitRanges and their Namespace sections
(describe/quota.py, describe/network.py)."""

from __future__ import annotations

from kubenet_nb import Cluster

LIMIT_RANGE = """
apiVersion: v1
kind: LimitRange
metadata: {name: mylr, namespace: foo}
spec:
  limits:
  - type: Pod
    max: {cpu: 100m, memory: 10000Mi}
    min: {cpu: 5m, memory: 100Mi}
    maxLimitRequestRatio: {cpu: "10"}
  - type: Container
    max: {cpu: 100m, memory: 10000Mi}
    min: {cpu: 5m, memory: 100Mi}
    default: {cpu: 50m, memory: 500Mi}
    defaultRequest: {cpu: 10m, memory: 200Mi}
    maxLimitRequestRatio: {cpu: "10"}
  - type: PersistentVolumeClaim
    max: {storage: 10Gi}
    min: {storage: 5Gi}
"""
# TestDescribeResourceQuota's status, as the resource quota controller would write it.
QUOTA_STATUS = {
    "hard": {
        "cpu": "1",
        "limits.cpu": "2",
        "limits.memory": "2G",
        "memory": "1G",
        "requests.cpu": "1",
        "requests.memory": "1G",
    },
    "used": {
        "cpu": "0",
        "limits.cpu": "0",
        "limits.memory": "0G",
        "memory": "0G",
        "requests.cpu": "0",
        "requests.memory": "1000Ki",
    },
}


def _cluster() -> Cluster:
    c = Cluster()
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"}})
    return c


def _quota(c: Cluster, scopes: list[str] | None = None) -> None:
    spec: dict = {"hard": QUOTA_STATUS["hard"]}
    if scopes:
        spec["scopes"] = scopes
    c.create(
        {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "bar", "namespace": "foo"},
            "spec": spec,
        }
    )
    # No quota controller runs here: write its status through the /status subresource.
    c.control_plane.api.set_status(c.get("resourcequota", "bar", "foo"), QUOTA_STATUS)


def test_resource_quota() -> None:
    # kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeResourceQuota: a
    # used quantity whose format differs from the hard one prints in the hard one's (1000Ki as
    # 1024k beside 1G).
    c = _cluster()
    _quota(c)
    assert c.kubectl("describe quota bar -n foo") == (
        "Name:            bar\n"
        "Namespace:       foo\n"
        "Resource         Used   Hard\n"
        "--------         ----   ----\n"
        "cpu              0      1\n"
        "limits.cpu       0      2\n"
        "limits.memory    0      2G\n"
        "memory           0      1G\n"
        "requests.cpu     0      1\n"
        "requests.memory  1024k  1G"
    )


def test_resource_quota_scopes() -> None:
    # describe.go describeQuota: scopes sorted, each known one with its help text (a line
    # without a tab, so the table below aligns on its own).
    c = _cluster()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "bar", "namespace": "foo"},
            "spec": {"hard": {"pods": "10"}, "scopes": ["NotTerminating", "BestEffort"]},
        }
    )
    assert c.kubectl("describe quota bar -n foo") == (
        "Name:       bar\n"
        "Namespace:  foo\n"
        "Scopes:     BestEffort, NotTerminating\n"
        " * Matches all pods that do not have resource requirements set. These pods have a best "
        "effort quality of service.\n"
        " * Matches all pods that do not have an active deadline. These pods usually include long "
        "running pods whose container command is not expected to terminate.\n"
        "Resource  Used  Hard\n"
        "--------  ----  ----"
    )


def test_limit_range() -> None:
    # kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeLimitRange. Within
    # an item kubectl walks a Go map (no fixed order); here the resources print sorted.
    c = _cluster()
    c.apply(LIMIT_RANGE)
    assert c.kubectl("describe limitrange mylr -n foo") == (
        "Name:                  mylr\n"
        "Namespace:             foo\n"
        "Type                   Resource  Min    Max      Default Request  Default Limit  "
        "Max Limit/Request Ratio\n"
        "----                   --------  ---    ---      ---------------  -------------  "
        "-----------------------\n"
        "Pod                    cpu       5m     100m     -                -              10\n"
        "Pod                    memory    100Mi  10000Mi  -                -              -\n"
        "Container              cpu       5m     100m     10m              50m            10\n"
        "Container              memory    100Mi  10000Mi  200Mi            500Mi          -\n"
        "PersistentVolumeClaim  storage   5Gi    10Gi     -                -              -"
    )


def test_namespace_without_quotas_or_limits() -> None:
    # kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeNamespace, "no
    # quotas or limit ranges".
    c = _cluster()
    assert c.kubectl("describe namespace foo") == (
        "Name:         foo\n"
        "Labels:       kubernetes.io/metadata.name=foo\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource."
    )


def test_namespace_lists_quotas_and_limits() -> None:
    # describe.go DescribeResourceQuotas (indented, `---` rules, used as stored) and
    # DescribeLimitRanges (every item of every LimitRange, one space in).
    # The help line has no tab: it ends the Name/Scopes alignment block.
    c = _cluster()
    _quota(c, ["NotBestEffort"])
    c.apply(LIMIT_RANGE)
    assert c.kubectl("describe ns foo") == (
        "Name:         foo\n"
        "Labels:       kubernetes.io/metadata.name=foo\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "Resource Quotas\n"
        "  Name:    bar\n"
        "  Scopes:  NotBestEffort\n"
        "  * Matches all pods that have at least one resource requirement set. These pods have "
        "a burstable or guaranteed quality of service.\n"
        "  Resource         Used    Hard\n"
        "  --------         ---     ---\n"
        "  cpu              0       1\n"
        "  limits.cpu       0       2\n"
        "  limits.memory    0       2G\n"
        "  memory           0       1G\n"
        "  requests.cpu     0       1\n"
        "  requests.memory  1000Ki  1G\n"
        "\n"
        "Resource Limits\n"
        " Type                   Resource  Min    Max      Default Request  Default Limit  "
        "Max Limit/Request Ratio\n"
        " ----                   --------  ---    ---      ---------------  -------------  "
        "-----------------------\n"
        " Pod                    cpu       5m     100m     -                -              10\n"
        " Pod                    memory    100Mi  10000Mi  -                -              -\n"
        " Container              cpu       5m     100m     10m              50m            10\n"
        " Container              memory    100Mi  10000Mi  200Mi            500Mi          -\n"
        " PersistentVolumeClaim  storage   5Gi    10Gi     -                -              -"
    )
