"""`kubectl describe` for StatefulSets, DaemonSets and ReplicationControllers (describe/apps.py)."""

from __future__ import annotations

from kubenet_nb import Cluster

TEMPLATE_TAIL = (
    "  Containers:\n"
    "   c:\n"
    "    Image:         mytest-image:latest\n"
    "    Port:          <none>\n"
    "    Host Port:     <none>\n"
    "    Environment:   <none>\n"
    "    Mounts:        <none>\n"
    "  Volumes:         <none>\n"
    "  Node-Selectors:  <none>\n"
    "  Tolerations:     <none>\n"
)


def _cluster() -> Cluster:
    c = Cluster()
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"}})
    c.advance(1)
    return c


def test_statefulset_partition() -> None:
    # kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeStatefulSet: a
    # RollingUpdate partition of 2672 (there an empty selector, which the API server refuses for
    # a StatefulSet, so one label here).
    c = _cluster()
    c.apply(
        """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: bar, namespace: foo}
spec:
  replicas: 1
  selector: {matchLabels: {app: bar}}
  template:
    metadata: {labels: {app: bar}}
    spec:
      containers: [{name: c, image: "mytest-image:latest"}]
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {partition: 2672}
"""
    )
    assert c.kubectl("describe statefulset bar -n foo") == (
        "Name:               bar\n"
        "Namespace:          foo\n"
        "CreationTimestamp:  Wed, 01 Jan 2025 00:05:01 +0000\n"
        "Selector:           app=bar\n"
        "Labels:             <none>\n"
        "Annotations:        <none>\n"
        "Replicas:           1 desired | 1 total\n"
        "Update Strategy:    RollingUpdate\n"
        "  Partition:        2672\n"
        "Pods Status:        1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=bar\n" + TEMPLATE_TAIL + "Volume Claims:     <none>\n"
        "Events:\n"
        "  Type    Reason            Age   From                    Message\n"
        "  ----    ------            ----  ----                    -------\n"
        "  Normal  SuccessfulCreate  0s    statefulset-controller  "
        "create Pod bar-0 in StatefulSet bar successful"
    )


def test_statefulset_volume_claim_templates() -> None:
    # describe.go describeVolumeClaimTemplates: class, labels and annotations as key=value,
    # the requested storage, and the access modes as a Go slice.
    c = _cluster()
    c.apply(
        """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: foo}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: "mytest-image:latest"}]
  volumeClaimTemplates:
  - metadata: {name: www, labels: {tier: data}, annotations: {note: fast}}
    spec:
      storageClassName: standard
      accessModes: [ReadWriteOnce, ReadOnlyMany]
      resources: {requests: {storage: 1Gi}}
  - metadata: {name: scratch}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {limits: {storage: 1Gi}}
"""
    )
    text = c.kubectl("describe sts web -n foo --show-events=false")
    assert text.endswith(
        "Volume Claims:\n"
        "  Name:          www\n"
        "  StorageClass:  standard\n"
        "  Labels:        tier=data\n"
        "  Annotations:   note=fast\n"
        "  Capacity:      1Gi\n"
        "  Access Modes:  [ReadWriteOnce ReadOnlyMany]\n"
        "  Name:          scratch\n"
        "  StorageClass:  \n"
        "  Labels:        <none>\n"
        "  Annotations:   <none>\n"
        "  Capacity:      <default>\n"
        "  Access Modes:  [ReadWriteOnce]"
    )


def test_daemonset() -> None:
    # kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeDaemonSet: the
    # selector node-role.kubernetes.io/control-plane=true (the template carries the label, as the
    # API server requires). The counts lines have no tab, so they split the alignment blocks.
    c = _cluster()
    c.apply(
        """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: bar, namespace: foo}
spec:
  selector: {matchLabels: {node-role.kubernetes.io/control-plane: "true"}}
  template:
    metadata: {labels: {node-role.kubernetes.io/control-plane: "true"}}
    spec:
      containers: [{name: c, image: "mytest-image:latest"}]
"""
    )
    text = c.kubectl("describe daemonset bar -n foo --show-events=false")
    assert text.startswith(
        "Name:           bar\n"
        "Namespace:      foo\n"
        "Selector:       node-role.kubernetes.io/control-plane=true\n"
        "Node-Selector:  <none>\n"
        "Labels:         <none>\n"
        "Annotations:    <none>\n"
        "Desired Number of Nodes Scheduled: "
    )
    assert "Number of Nodes Misscheduled: 0\nPods Status:  " in text
    labels = "  Labels:  node-role.kubernetes.io/control-plane=true\n"
    assert text.endswith(labels + TEMPLATE_TAIL.removesuffix("\n"))


def test_daemonset_counts_its_pods() -> None:
    # kind's kube-proxy DaemonSet: one Running pod per node (getPodStatusForController).
    c = Cluster()
    text = c.kubectl("describe ds kube-proxy -n kube-system")
    assert (
        "Desired Number of Nodes Scheduled: 3\n"
        "Current Number of Nodes Scheduled: 3\n"
        "Number of Nodes Scheduled with Up-to-date Pods: 3\n"
        "Number of Nodes Scheduled with Available Pods: 3\n"
        "Number of Nodes Misscheduled: 0\n"
        "Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
    ) in text


def test_replication_controller() -> None:
    # describe.go describeReplicationController: the map selector through labels.FormatLabels;
    # the API server copies the template's labels onto the controller.
    c = Cluster()
    c.apply(
        """
apiVersion: v1
kind: ReplicationController
metadata: {name: nginx}
spec:
  replicas: 2
  selector: {app: nginx}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
"""
    )
    assert c.kubectl("describe rc nginx") == (
        "Name:         nginx\n"
        "Namespace:    default\n"
        "Selector:     app=nginx\n"
        "Labels:       app=nginx\n"
        "Annotations:  <none>\n"
        "Replicas:     0 current / 2 desired\n"
        "Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:            <none>"
    )
