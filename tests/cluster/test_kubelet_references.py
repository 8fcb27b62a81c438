"""Pods that name a missing ConfigMap or Secret, through the Cluster facade: they wait as on kind.

Upstream: k/k pkg/kubelet/configmap/configmap_manager.go and
pkg/volume/util/operationexecutor/operation_executor.go @ v1.33.0 (FailedMount), and
pkg/kubelet/kubelet_pods.go makeEnvironmentVariables @ v1.33.0 (CreateContainerConfigError).
"""

from __future__ import annotations

import re

import pytest

from kubenet_nb.face.cluster import Cluster

SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""


def pod_with(spec_tail: str, name: str = "app") -> str:
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}, labels: {{app: web}}}}
spec:
  containers:
  - name: app
    image: nginx:1.27
{spec_tail}
"""


VOLUME = pod_with("""    volumeMounts: [{name: config, mountPath: /etc/app}]
  volumes:
  - name: config
    configMap: {name: missing}""")
ENV = pod_with("""    env:
    - name: COLOR
      valueFrom: {configMapKeyRef: {name: app-config, key: color}}""")


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=3)


def status_of(c: Cluster, pod: str) -> tuple[str, str]:
    """(READY, STATUS) of `kubectl get pod`."""
    row = c.kubectl(f"get pod {pod}").splitlines()[1].split()
    return row[1], row[2]


def events(c: Cluster, pod: str) -> list[tuple[str, ...]]:
    """(Type, Reason, From, Message) of the describe Events table; Age dropped."""
    text = c.kubectl(f"describe pod {pod}").split("Events:\n", 1)[1]
    rows = []
    for line in text.splitlines()[2:]:
        match = re.match(r"\s+(\S+)\s+(\S+)\s+\S+(?: \(x\d+ over \S+\))?\s+(\S+)\s+(.*)$", line)
        assert match, line
        rows.append(match.groups())
    return rows


def counts(c: Cluster, pod: str, reason: str) -> list[int]:
    return [
        e["count"]
        for e in c.list("events")
        if e["reason"] == reason and e["involvedObject"]["name"] == pod
    ]


def ready_endpoints(c: Cluster) -> list[str]:
    subsets = c.get("endpoints", "web").get("subsets") or []
    return [a["ip"] for s in subsets for a in s.get("addresses") or ()]


def test_missing_configmap_volume_keeps_the_pod_container_creating(cluster: Cluster) -> None:
    cluster.apply(SERVICE)
    cluster.apply(VOLUME)
    assert status_of(cluster, "app") == ("0/1", "ContainerCreating")
    pod = cluster.get("pod", "app")
    assert pod["spec"]["nodeName"]  # scheduled
    assert "podIP" not in pod["status"]  # no sandbox before the volumes are mounted
    [container] = pod["status"]["containerStatuses"]
    assert container["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert container["image"] == "nginx:1.27"  # the spec's image until the runtime reports one
    message = 'MountVolume.SetUp failed for volume "config" : configmap "missing" not found'
    assert ("Warning", "FailedMount", "kubelet", message) in events(cluster, "app")
    # The reconciler retries with exponentialbackoff: 0.5s doubling, so by 20s the mount
    # failed at 0, 0.5, 1.5, 3.5, 7.5 and 15.5s (pkg/util/goroutinemap/exponentialbackoff).
    cluster.advance(20)
    assert counts(cluster, "app", "FailedMount") == [6]
    assert "(x6 over 20s)" in cluster.kubectl("describe pod app")
    assert ready_endpoints(cluster) == []
    assert not [e for e in events(cluster, "app") if e[1] in ("Pulled", "Started")]


def test_creating_the_configmap_starts_the_pod_on_the_next_mount_retry(cluster: Cluster) -> None:
    cluster.apply(SERVICE)
    cluster.apply(VOLUME)
    cluster.advance(20)
    cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: missing}\ndata: {a: b}\n")
    assert status_of(cluster, "app") == ("0/1", "ContainerCreating")  # next retry at 31.5s
    cluster.advance(11)
    assert status_of(cluster, "app") == ("0/1", "ContainerCreating")
    cluster.advance(1)
    assert status_of(cluster, "app") == ("1/1", "Running")
    assert [e[1] for e in events(cluster, "app")][-4:] == [
        "Pulling",
        "Pulled",
        "Created",
        "Started",
    ]
    assert ready_endpoints(cluster) == [cluster.get("pod", "app")["status"]["podIP"]]
    cluster.advance(300)
    assert counts(cluster, "app", "FailedMount") == [6]  # no more retries once mounted


def test_missing_secret_volume_and_projected_sources(cluster: Cluster) -> None:
    cluster.apply(
        pod_with(
            """  volumes:
  - name: creds
    secret: {secretName: missing}""",
            "secret",
        )
    )
    cluster.apply(
        pod_with(
            """  volumes:
  - name: bundle
    projected:
      sources:
      - configMap: {name: absent}
      - secret: {name: gone}""",
            "projected",
        )
    )
    assert status_of(cluster, "secret") == ("0/1", "ContainerCreating")
    assert (
        "Warning",
        "FailedMount",
        "kubelet",
        'MountVolume.SetUp failed for volume "creds" : secret "missing" not found',
    ) in events(cluster, "secret")
    # projected.go collectData aggregates every source's error (utilerrors.NewAggregate).
    assert (
        "Warning",
        "FailedMount",
        "kubelet",
        'MountVolume.SetUp failed for volume "bundle" : '
        '[configmap "absent" not found, secret "gone" not found]',
    ) in events(cluster, "projected")


def test_optional_references_do_not_block(cluster: Cluster) -> None:
    cluster.apply(
        pod_with("""    env:
    - name: COLOR
      valueFrom: {configMapKeyRef: {name: nope, key: color, optional: true}}
    envFrom:
    - secretRef: {name: nope, optional: true}
  volumes:
  - name: config
    configMap: {name: nope, optional: true}""")
    )
    assert status_of(cluster, "app") == ("1/1", "Running")
    assert not [e for e in events(cluster, "app") if e[0] == "Warning"]


def test_service_account_volume_does_not_wait_for_the_root_ca(cluster: Cluster) -> None:
    cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n")
    cluster.kubectl("run web --image=nginx:1.27 -n team")
    assert status_of(cluster, "web -n team") == ("1/1", "Running")


def test_missing_configmap_in_env_is_a_create_container_config_error(cluster: Cluster) -> None:
    cluster.apply(SERVICE)
    cluster.apply(ENV)
    assert status_of(cluster, "app") == ("0/1", "CreateContainerConfigError")
    [container] = cluster.get("pod", "app")["status"]["containerStatuses"]
    assert container["state"] == {
        "waiting": {
            "reason": "CreateContainerConfigError",
            "message": 'configmap "app-config" not found',
        }
    }
    # kuberuntime_container.go startContainer: the image first, then the config fails.
    rows = events(cluster, "app")
    assert [row[1] for row in rows] == ["Scheduled", "Pulling", "Pulled", "Failed"]
    assert rows[-1] == ("Warning", "Failed", "kubelet", 'Error: configmap "app-config" not found')
    # The pod worker retries after backOffPeriod 10s with jitter 0.5: 4 or 5 syncs in 45s.
    cluster.advance(45)
    assert counts(cluster, "app", "Failed")[0] in (4, 5)
    assert ready_endpoints(cluster) == []


def test_missing_key_then_the_key_starts_the_container(cluster: Cluster) -> None:
    cluster.apply(SERVICE)
    cluster.apply(ENV)
    cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config}\ndata: {c: x}\n")
    cluster.advance(16)
    message = "couldn't find key color in ConfigMap default/app-config"
    [container] = cluster.get("pod", "app")["status"]["containerStatuses"]
    assert container["state"]["waiting"]["message"] == message
    assert ("Warning", "Failed", "kubelet", f"Error: {message}") in events(cluster, "app")
    cluster.apply(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config}\ndata: {color: blue}\n"
    )
    cluster.advance(16)
    assert status_of(cluster, "app") == ("1/1", "Running")
    assert ready_endpoints(cluster) == [cluster.get("pod", "app")["status"]["podIP"]]


def test_missing_secret_key_wording(cluster: Cluster) -> None:
    cluster.apply("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: b}\n")
    cluster.apply(
        pod_with("""    env:
    - name: K
      valueFrom: {secretKeyRef: {name: s, key: k}}""")
    )
    [container] = cluster.get("pod", "app")["status"]["containerStatuses"]
    assert container["state"]["waiting"]["message"] == "couldn't find key k in Secret default/s"


def test_envfrom_missing_secret(cluster: Cluster) -> None:
    cluster.apply(
        pod_with("""    envFrom:
    - secretRef: {name: db}""")
    )
    assert status_of(cluster, "app") == ("0/1", "CreateContainerConfigError")
    assert ("Warning", "Failed", "kubelet", 'Error: secret "db" not found') in events(
        cluster, "app"
    )


def test_deleting_a_waiting_pod_stops_its_retries(cluster: Cluster) -> None:
    cluster.apply(VOLUME)
    cluster.advance(5)
    cluster.delete("pod", "app")
    cluster.advance(5)
    with pytest.raises(Exception, match="not found"):
        cluster.get("pod", "app")
    cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: missing}\n")
    cluster.advance(200)
    assert cluster.list("pods") == []
