"""`kubectl get` for every kind with a server-side printer: columns and cells as the API server's
table printers make them, kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0
(`AddHandlers` and each `print<Kind>`); kinds without one use k8s.io/apiserver
pkg/registry/rest/table.go @ v0.33.0 (NAME, CREATED AT in RFC 3339 UTC).

The first part applies realistic objects to a Cluster and reads them back through kubectl; the
second feeds objects with the status a controller would have written straight to the table
printer, as printers_test.go does, for cells that depend on that status.
"""

# ruff: noqa: E501 - expected kubectl lines are kept whole

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import StatusError
from kubenet_nb.kubectl.printers import print_table
from kubenet_nb.kubectl.printers.columns import table_for

OBJECTS = """apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {a: "1", b: "2"}
binaryData: {c: aGk=}
---
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {user: admin, password: s3cret}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-a}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath: {path: /data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: standard
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits: [{type: Container, default: {cpu: 500m}}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q}
spec:
  hard: {pods: "2", limits.cpu: "1", requests.memory: 1Gi}
---
apiVersion: v1
kind: PodTemplate
metadata: {name: tmpl}
template:
  metadata: {labels: {app: web}}
  spec:
    containers: [{name: nginx, image: nginx:1.27}]
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  replicas: 2
  selector: {app: rc}
  template:
    metadata: {labels: {app: rc}}
    spec:
      containers: [{name: nginx, image: nginx}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: hello}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: hello, image: busybox, command: [date]}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: robot, namespace: default}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: my-lease}
spec: {holderIdentity: worker-1}
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: hostpath.csi.k8s.io}
spec:
  podInfoOnMount: true
  volumeLifecycleModes: [Persistent, Ephemeral]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicas-binding}
spec:
  policyName: replicas
  validationActions: [Deny]
"""


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    cluster = Cluster()
    cluster.apply(OBJECTS)
    cluster.advance(300)
    return cluster


CASES = {
    # printConfigMap: DATA counts data and binaryData.
    "cm app-config": "NAME         DATA   AGE\napp-config   3      5m\n",
    # printSecret: stringData is folded into data before it is stored.
    "secret db": "NAME   TYPE     DATA   AGE\ndb     Opaque   2      5m\n",
    # printServiceAccount: no token Secrets since v1.24.
    "sa robot": "NAME    SECRETS   AGE\nrobot   0         5m\n",
    # printPersistentVolumeClaim: VOLUME, CAPACITY, ACCESS MODES stay empty until bound.
    "pvc data": (
        "NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
        "data   Pending                                      standard       <unset>                 5m\n"
    ),
    "pvc data -o wide": (
        "NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE   VOLUMEMODE\n"
        "data   Pending                                      standard       <unset>                 5m    Filesystem\n"
    ),
    # No printer for LimitRange: the default table convertor.
    "limits": "NAME     CREATED AT\nlimits   2025-01-01T00:05:00Z\n",
    # printPodTemplate: no AGE column.
    "podtemplates": "NAME   CONTAINERS   IMAGES       POD LABELS\ntmpl   nginx        nginx:1.27   app=web\n",
    # printReplicationController: the selector is a plain label map (labels.FormatLabels).
    "rc rc -o wide": (
        "NAME   DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES   SELECTOR\n"
        "rc     2         0         0       5m    nginx        nginx    app=rc\n"
    ),
    # printCronJob: TIMEZONE <none>, SUSPEND printBoolPtr of the defaulted false.
    "cj -o wide": (
        "NAME    SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE   CONTAINERS   IMAGES    SELECTOR\n"
        "hello   */1 * * * *   <none>     False     0        60s             5m    hello        busybox   <none>\n"
    ),
    # printPodDisruptionBudget: the unset bound is N/A.
    "pdb": (
        "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n"
        "web    2               N/A               0                     5m\n"
    ),
    # printHorizontalPodAutoscaler / formatHPAMetrics before the first sync.
    "hpa": (
        "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\n"
        "web    Deployment/web   cpu: <unknown>/50%   1         5         0          5m\n"
    ),
    # printIngress: CLASS <none> when unset, PORTS 80 without TLS.
    "ing": (
        "NAME   CLASS    HOSTS         ADDRESS   PORTS   AGE\n"
        "web    <none>   example.com             80      5m\n"
    ),
    "ingressclass": (
        "NAME    CONTROLLER             PARAMETERS   AGE\n"
        "nginx   k8s.io/ingress-nginx   <none>       5m\n"
    ),
    # printNetworkPolicy: metav1.FormatLabelSelector of {} is <none>.
    "netpol": "NAME   POD-SELECTOR   AGE\ndeny   <none>         5m\n",
    # Roles: the default table convertor (pkg/registry/rbac/role/storage).
    "roles": "NAME         CREATED AT\npod-reader   2025-01-01T00:05:00Z\n",
    # printRoleBinding with SubjectsStrings under -o wide.
    "rolebinding -o wide": (
        "NAME        ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS\n"
        "read-pods   Role/pod-reader   5m    jane             default/robot\n"
    ),
    # printPriorityClass: PREEMPTIONPOLICY is not wide-only and the server always builds wide.
    "pc high": (
        "NAME   VALUE   GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n"
        "high   1000    false            5m    PreemptLowerPriority\n"
    ),
    "runtimeclass": "NAME     HANDLER   AGE\ngvisor   runsc     5m\n",
    "lease my-lease": "NAME       HOLDER     AGE\nmy-lease   worker-1   5m\n",
    # printCSIDriver: attachRequired defaults to true, storageCapacity to false.
    "csidriver": (
        "NAME                  ATTACHREQUIRED   PODINFOONMOUNT   STORAGECAPACITY   TOKENREQUESTS   REQUIRESREPUBLISH   MODES                  AGE\n"
        "hostpath.csi.k8s.io   true             true             false             <unset>         false               Persistent,Ephemeral   5m\n"
    ),
    "validatingadmissionpolicy": (
        "NAME       VALIDATIONS   PARAMKIND   AGE\nreplicas   1             <unset>     5m\n"
    ),
    "validatingadmissionpolicybinding": (
        "NAME               POLICYNAME   PARAMREF   AGE\n"
        "replicas-binding   replicas     <unset>    5m\n"
    ),
    # A fresh kind v1.33 cluster's objects (the observed shape of freelensapp/freelens#650):
    # printIPAddress has no Age column, printServiceCIDR joins the CIDRs.
    "ipaddress": (
        "NAME         PARENTREF\n"
        "10.96.0.1    services/default/kubernetes\n"
        "10.96.0.10   services/kube-system/kube-dns\n"
    ),
    "servicecidr": "NAME         CIDRS          AGE\nkubernetes   10.96.0.0/16   10m\n",
    # printStorageClass: ` (default)`; an unset allowVolumeExpansion prints false.
    "sc": (
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"
        "standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  10m\n"
    ),
    "clusterrolebinding kindnet -o wide": (
        "NAME      ROLE                  AGE   USERS   GROUPS   SERVICEACCOUNTS\n"
        "kindnet   ClusterRole/kindnet   10m                    kube-system/kindnet\n"
    ),
}


@pytest.mark.parametrize("args", list(CASES))
def test_get_prints_the_servers_table(cluster: Cluster, args: str) -> None:
    # Cluster.kubectl returns the text without kubectl's final newline.
    assert cluster.kubectl(f"kubectl get {args}") + "\n" == CASES[args]


def test_componentstatuses_are_computed_and_deprecated(cluster: Cluster) -> None:
    # pkg/registry/core/componentstatus/rest.go computes them on each read; printComponentStatus
    # has no AGE. The deprecation warning comes first, on stderr.
    assert cluster.kubectl("kubectl get cs") + "\n" == (
        "Warning: v1 ComponentStatus is deprecated in v1.19+\n"
        "NAME                 STATUS    MESSAGE   ERROR\n"
        "scheduler            Healthy   ok        \n"
        "controller-manager   Healthy   ok        \n"
        "etcd-0               Healthy   ok        \n"
    )


@pytest.mark.parametrize(
    "resource", ["tokenreviews", "bindings", "selfsubjectreviews", "subjectaccessreviews"]
)
def test_create_only_resources_cannot_be_read(cluster: Cluster, resource: str) -> None:
    # No GET route: go-restful's 405, worded by apimachinery pkg/api/errors
    # NewGenericServerResponse @ v0.33.0.
    with pytest.raises(StatusError) as error:
        cluster.kubectl(f"kubectl get {resource}")
    assert str(error.value) == (
        "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource"
    )


NOW = datetime(2025, 1, 1, 1, 0, 0, tzinfo=timezone.utc)


def printed(kind: str, *objects: dict, wide: bool = False) -> str:
    """The table kubectl prints for these objects, created an hour before NOW."""
    stamped = [
        {**obj, "metadata": {"creationTimestamp": "2025-01-01T00:00:00Z", **obj["metadata"]}}
        for obj in objects
    ]
    return print_table(table_for(kind, stamped, NOW), wide=wide)


def test_bound_volume_and_claim() -> None:
    # printPersistentVolume: CLAIM namespace/name, capacity as Quantity.String().
    pv = {
        "metadata": {"name": "pvc-1"},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Delete",
            "storageClassName": "standard",
            "claimRef": {"namespace": "default", "name": "www-web-0"},
            "volumeMode": "Filesystem",
        },
        "status": {"phase": "Bound"},
    }
    assert printed("PersistentVolume", pv, wide=True) == (
        "NAME    CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM               STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE   VOLUMEMODE\n"
        "pvc-1   1Gi        RWO            Delete           Bound    default/www-web-0   standard       <unset>                          60m   Filesystem\n"
    )
    pvc = {
        "metadata": {"name": "www-web-0"},
        "spec": {"volumeName": "pvc-1", "storageClassName": "standard"},
        "status": {
            "phase": "Bound",
            "accessModes": ["ReadWriteOnce"],
            "capacity": {"storage": "1Gi"},
        },
    }
    assert printed("PersistentVolumeClaim", pvc) == (
        "NAME        STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
        "www-web-0   Bound    pvc-1    1Gi        RWO            standard       <unset>                 60m\n"
    )


def test_jobs() -> None:
    # printJob: STATUS from conditions; COMPLETIONS; DURATION completion - start.
    done = {
        "metadata": {"name": "pi"},
        "spec": {
            "completions": 1,
            "template": {"spec": {"containers": [{"name": "pi", "image": "perl:5.34"}]}},
        },
        "status": {
            "succeeded": 1,
            "startTime": "2025-01-01T00:00:00Z",
            "completionTime": "2025-01-01T00:00:12Z",
            "conditions": [{"type": "Complete", "status": "True"}],
        },
    }
    running = {
        "metadata": {"name": "batch"},
        "spec": {"parallelism": 3, "template": {"spec": {"containers": []}}},
        "status": {"startTime": "2025-01-01T00:58:00Z"},
    }
    assert printed("Job", done, running) == (
        "NAME    STATUS     COMPLETIONS   DURATION   AGE\n"
        "pi      Complete   1/1           12s        60m\n"
        "batch   Running    0/1 of 3      2m         60m\n"
    )


def test_quota_lists_used_of_hard() -> None:
    # printResourceQuota: status.hard sorted, limits.* under LIMIT.
    quota = {
        "metadata": {"name": "q"},
        "status": {
            "hard": {"pods": "2", "limits.cpu": "1", "requests.memory": "1Gi"},
            "used": {"pods": "1", "limits.cpu": "500m", "requests.memory": "0"},
        },
    }
    assert printed("ResourceQuota", quota) == (
        "NAME   REQUEST                             LIMIT                AGE\n"
        "q      pods: 1/2, requests.memory: 0/1Gi   limits.cpu: 500m/1   60m\n"
    )


def test_certificate_signing_request() -> None:
    # printCertificateSigningRequest / extractCSRStatus.
    csr = {
        "metadata": {"name": "csr-8z4xq"},
        "spec": {
            "signerName": "kubernetes.io/kube-apiserver-client-kubelet",
            "username": "system:bootstrap:abcdef",
        },
        "status": {"conditions": [{"type": "Approved", "status": "True"}], "certificate": "LS0t"},
    }
    assert printed("CertificateSigningRequest", csr) == (
        "NAME        AGE   SIGNERNAME                                    REQUESTOR                 REQUESTEDDURATION   CONDITION\n"
        "csr-8z4xq   60m   kubernetes.io/kube-apiserver-client-kubelet   system:bootstrap:abcdef   <none>              Approved,Issued\n"
    )


def test_flow_control_and_apiservices() -> None:
    # printFlowSchemaList sorts by matching precedence, then name.
    schemas = [
        {
            "metadata": {"name": name},
            "spec": {
                "priorityLevelConfiguration": {"name": level},
                "matchingPrecedence": precedence,
                **({"distinguisherMethod": {"type": "ByUser"}} if by_user else {}),
            },
            "status": {"conditions": [{"type": "Dangling", "status": "False"}]},
        }
        for name, level, precedence, by_user in (
            ("global-default", "global-default", 9900, True),
            ("exempt", "exempt", 1, False),
        )
    ]
    assert printed("FlowSchema", *schemas) == (
        "NAME             PRIORITYLEVEL    MATCHINGPRECEDENCE   DISTINGUISHERMETHOD   AGE   MISSINGPL\n"
        "exempt           exempt           1                    <none>                60m   False\n"
        "global-default   global-default   9900                 ByUser                60m   False\n"
    )
    levels = [
        {"metadata": {"name": "exempt"}, "spec": {"type": "Exempt", "exempt": {}}},
        {
            "metadata": {"name": "workload-low"},
            "spec": {
                "type": "Limited",
                "limited": {
                    "nominalConcurrencyShares": 100,
                    "limitResponse": {
                        "type": "Queue",
                        "queuing": {"queues": 128, "handSize": 6, "queueLengthLimit": 50},
                    },
                },
            },
        },
    ]
    assert printed("PriorityLevelConfiguration", *levels) == (
        "NAME           TYPE      NOMINALCONCURRENCYSHARES   QUEUES   HANDSIZE   QUEUELENGTHLIMIT   AGE\n"
        "exempt         Exempt    <none>                     <none>   <none>     <none>             60m\n"
        "workload-low   Limited   100                        128      6          50                 60m\n"
    )
    # kube-aggregator pkg/registry/apiservice/etcd/etcd.go ConvertToTable.
    services = [
        {
            "metadata": {"name": "v1.apps"},
            "status": {"conditions": [{"type": "Available", "status": "True"}]},
        },
        {
            "metadata": {"name": "v1beta1.metrics.k8s.io"},
            "spec": {"service": {"namespace": "kube-system", "name": "metrics-server"}},
            "status": {
                "conditions": [
                    {"type": "Available", "status": "False", "reason": "MissingEndpoints"}
                ]
            },
        },
    ]
    assert printed("APIService", *services) == (
        "NAME                     SERVICE                      AVAILABLE                  AGE\n"
        "v1.apps                  Local                        True                       60m\n"
        "v1beta1.metrics.k8s.io   kube-system/metrics-server   False (MissingEndpoints)   60m\n"
    )


def test_controller_revision_and_statefulset() -> None:
    # printControllerRevision: CONTROLLER is `kind.group/name` lower-cased.
    revision = {
        "metadata": {
            "name": "web-6d4b8c7f9",
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "controller": True}
            ],
        },
        "revision": 1,
    }
    assert printed("ControllerRevision", revision) == (
        "NAME            CONTROLLER             REVISION   AGE\n"
        "web-6d4b8c7f9   statefulset.apps/web   1          60m\n"
    )
    sts = {
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 3,
            "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx"}]}},
        },
        "status": {"readyReplicas": 2},
    }
    assert printed("StatefulSet", sts, wide=True) == (
        "NAME   READY   AGE   CONTAINERS   IMAGES\nweb    2/3     60m   nginx        nginx\n"
    )


def test_webhooks_and_storage_extras() -> None:
    webhook = {
        "metadata": {"name": "policy"},
        "webhooks": [{"name": "a.example.com"}, {"name": "b.example.com"}],
    }
    assert printed("MutatingWebhookConfiguration", webhook) == (
        "NAME     WEBHOOKS   AGE\npolicy   2          60m\n"
    )
    attachment = {
        "metadata": {"name": "csi-123"},
        "spec": {
            "attacher": "hostpath.csi.k8s.io",
            "nodeName": "kind-worker",
            "source": {"persistentVolumeName": "pv-a"},
        },
        "status": {"attached": True},
    }
    assert printed("VolumeAttachment", attachment) == (
        "NAME      ATTACHER              PV     NODE          ATTACHED   AGE\n"
        "csi-123   hostpath.csi.k8s.io   pv-a   kind-worker   true       60m\n"
    )
    capacity = {
        "metadata": {"name": "csisc-abc"},
        "storageClassName": "standard",
        "capacity": "100Gi",
    }
    assert printed("CSIStorageCapacity", capacity) == (
        "NAME        STORAGECLASSNAME   CAPACITY\ncsisc-abc   standard           100Gi\n"
    )
    node = {
        "metadata": {"name": "kind-worker"},
        "spec": {"drivers": [{"name": "hostpath.csi.k8s.io"}]},
    }
    assert printed("CSINode", node) == "NAME          DRIVERS   AGE\nkind-worker   1         60m\n"


def test_ingress_hosts_and_hpa_metrics() -> None:
    # formatHosts: three hosts, then `+ N more...` counting rules.
    rules = [{"host": f"h{i}.example.com"} for i in range(5)]
    ingress = {
        "metadata": {"name": "many"},
        "spec": {
            "ingressClassName": "nginx",
            "rules": rules,
            "tls": [{"hosts": ["h0.example.com"]}],
        },
        "status": {"loadBalancer": {"ingress": [{"ip": "172.18.0.5"}]}},
    }
    assert printed("Ingress", ingress) == (
        "NAME   CLASS   HOSTS                                                      ADDRESS      PORTS     AGE\n"
        "many   nginx   h0.example.com,h1.example.com,h2.example.com + 2 more...   172.18.0.5   80, 443   60m\n"
    )
    # formatHPAMetrics: at most two metrics, then `+ N more...`.
    metrics = [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 60},
            },
        },
        {
            "type": "Resource",
            "resource": {
                "name": "memory",
                "target": {"type": "AverageValue", "averageValue": "500Mi"},
            },
        },
        {
            "type": "Pods",
            "pods": {
                "metric": {"name": "qps"},
                "target": {"type": "AverageValue", "averageValue": "10"},
            },
        },
    ]
    current = [
        {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 40}}}
    ]
    hpa = {
        "metadata": {"name": "web"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "maxReplicas": 10,
            "metrics": metrics,
        },
        "status": {"currentReplicas": 2, "currentMetrics": current},
    }
    assert printed("HorizontalPodAutoscaler", hpa) == (
        "NAME   REFERENCE        TARGETS                                             MINPODS   MAXPODS   REPLICAS   AGE\n"
        "web    Deployment/web   cpu: 40%/60%, memory: <unknown>/500Mi + 1 more...   <unset>   10        2          60m\n"
    )
