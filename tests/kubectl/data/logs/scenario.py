"""The cluster behind the recorded `kubectl logs` output, built the same way by record_logs.py and
the tests: nginx pods that served a few requests, pods with several containers, pods that never
started, and the commands run against them."""

from __future__ import annotations

from pathlib import Path

import yaml

from kubenet_nb import Cluster

HERE = Path(__file__).parent

SCENARIO = r"""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.27.3", ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: bare}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - {name: client, image: "curlimages/curl:8.11.1", command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata: {name: two, labels: {app: two}}
spec:
  containers:
  - {name: a, image: "nginx:1.27.3"}
  - {name: b, image: busybox, command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata:
  name: annotated
  annotations: {kubectl.kubernetes.io/default-container: b}
spec:
  containers:
  - {name: a, image: "nginx:1.27.3"}
  - {name: b, image: busybox, command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata:
  name: misannotated
  annotations: {kubectl.kubernetes.io/default-container: gone}
spec:
  containers:
  - {name: a, image: "nginx:1.27.3"}
---
apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  containers:
  - {name: never, image: "nginx:1.25.5", imagePullPolicy: Never}
---
apiVersion: v1
kind: Pod
metadata: {name: stuck}
spec:
  nodeSelector: {disk: ssd}
  containers:
  - {name: stuck, image: "nginx:1.27.3"}
---
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: web}
  ports: [{name: dns, port: 53, protocol: UDP}, {name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: named}
spec:
  selector: {app: web}
  ports: [{name: web, port: 80, targetPort: http}]
"""

TRAFFIC = (
    "exec client -- curl -s web",
    "exec client -- curl -s web/missing",
    "exec client -- curl -sI web",
    "exec client -- curl -s -A probe/1.0 -H X-Forwarded-For:203.0.113.7 {two}",
    "exec two -c b -- wget -qO- localhost",
)


def build() -> Cluster:
    """The scenario's cluster after its traffic."""
    c = Cluster()
    c.apply(SCENARIO)
    two = c.get("pod", "two")["status"]["podIP"]
    for command in TRAFFIC:
        c.kubectl(command.format(two=two))
    return c


PORT_FORWARD = HERE.parent / "port_forward"
"""Where the recorded `kubectl port-forward` refusals are (the same cluster)."""
DEBUG = HERE.parent / "debug"
"""Where the recorded `kubectl debug` refusals are (the same cluster)."""


def cases(folder: Path = HERE) -> list[dict]:
    """The commands record_logs.py ran (`args` after `kubectl`, split on spaces)."""
    return yaml.safe_load((folder / "cases.yaml").read_text())
