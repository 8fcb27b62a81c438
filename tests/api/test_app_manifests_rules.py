"""A realistic app's manifests apply as a v1.33 API server accepts them, stored with its defaults.

Role + RoleBinding + ServiceAccount + Job + CronJob + HPA + PDB + StatefulSet in one `apply`;
the defaults checked are those of kubernetes/kubernetes pkg/apis/*/v1*/defaults.go @ v1.33.0.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster

MANIFESTS = """
apiVersion: v1
kind: ServiceAccount
metadata: {name: worker}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: worker-reads-pods}
roleRef: {kind: Role, name: pod-reader}
subjects:
- {kind: ServiceAccount, name: worker}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  backoffLimit: 2
  template:
    metadata: {labels: {app: db-migrate}}
    spec:
      serviceAccountName: worker
      restartPolicy: Never
      containers: [{name: migrate, image: "postgres:16", command: [psql, -c, select 1]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly-backup}
spec:
  schedule: "30 2 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: backup, image: "postgres:16"}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: postgres
        image: "postgres:16"
        ports: [{containerPort: 5432, name: pg}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: db}}
"""


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    c = Cluster()
    c.apply(MANIFESTS)
    return c


def test_rbac(cluster: Cluster) -> None:
    binding = cluster.get("RoleBinding", "worker-reads-pods")
    assert binding["roleRef"]["apiGroup"] == "rbac.authorization.k8s.io"
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "worker"}]
    assert cluster.get("Role", "pod-reader")["rules"][0]["verbs"] == ["get", "list", "watch"]


def test_job(cluster: Cluster) -> None:
    job = cluster.get("Job", "migrate")
    spec = job["spec"]
    assert (spec["completions"], spec["parallelism"], spec["backoffLimit"]) == (1, 1, 2)
    assert (spec["completionMode"], spec["suspend"], spec["manualSelector"]) == (
        "NonIndexed",
        False,
        False,
    )
    assert spec["podReplacementPolicy"] == "TerminatingOrFailed"
    assert job["metadata"]["labels"]["app"] == "db-migrate"
    assert job["metadata"]["generation"] == 1
    assert job["status"]["active"] == 1  # the Job controller started its pod


def test_cronjob(cluster: Cluster) -> None:
    spec = cluster.get("CronJob", "nightly-backup")["spec"]
    assert spec["concurrencyPolicy"] == "Forbid"
    assert (spec["successfulJobsHistoryLimit"], spec["failedJobsHistoryLimit"]) == (3, 1)
    assert spec["suspend"] is False


def test_statefulset(cluster: Cluster) -> None:
    sts = cluster.get("StatefulSet", "db")
    spec = sts["spec"]
    assert spec["replicas"] == 3
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["volumeClaimTemplates"][0]["spec"]["volumeMode"] == "Filesystem"
    assert spec["template"]["spec"]["containers"][0]["ports"][0]["protocol"] == "TCP"
    # OrderedReady (stateful_set_control.go): db-0 exists, db-1 waits until db-0 is Ready
    assert sts["status"]["replicas"] == 1


def test_hpa_and_pdb(cluster: Cluster) -> None:
    hpa = cluster.get("HorizontalPodAutoscaler", "web")
    assert hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 80
    pdb = cluster.get("PodDisruptionBudget", "db")
    assert pdb["status"]["disruptionsAllowed"] == 0
    assert pdb["spec"]["maxUnavailable"] == 1
