# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Readiness and EndpointSlices: which pods get the traffic
#
# A Service routes only to pods that are ready to answer. This notebook follows pods through the
# states that matter and shows, at each step, what the EndpointSlice says and what kube-proxy
# does with it. You will see that:
#
# - a pod whose readiness probe fails **stays** in the EndpointSlice, marked `ready: false`, and
#   kube-proxy leaves it out of its rules;
# - a pod being deleted is **terminating**: not ready, still `serving`, and kube-proxy uses such
#   endpoints only when no endpoint at all is ready;
# - a rolling update swaps ReplicaSets under an unchanged Service, and its endpoints follow.
#
# The next notebook goes on with what else decides an EndpointSlice's contents: named target
# ports and `publishNotReadyAddresses`.

# %% [markdown]
# ## A Service with three backends
#
# The backends run `agnhost netexec`, a small test server from the Kubernetes project that
# answers `/hostname` with the pod's name: handy to see who answered. A `client` pod (netshoot,
# a toolbox image) sends the requests.

# %%
# %load_ext kubenet_nb
import pandas as pd

import kubenet_nb
from kubenet_nb import Cluster

pd.set_option("display.max_colwidth", None)  # show iptables matches in full

c = kubenet_nb.use(Cluster(seed=9))  # %kubectl now talks to this cluster

# %% [markdown]
# The Deployment is what `kubectl create deployment web --image=... --replicas=3 --port=8080 --
# /agnhost netexec --http-port=8080` makes, plus a **readiness probe**: the kubelet sends
# `GET /healthz` (agnhost's health endpoint) to port 8080 of each container every 10 seconds,
# and only a container that answers 200-399 counts as ready. `kubectl create deployment` has no
# flag for probes, so it is written out:

# %%
# %%kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: agnhost
        image: registry.k8s.io/e2e-test-images/agnhost:2.52
        command: [/agnhost, netexec, --http-port=8080]
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet: {path: /healthz, port: 8080}

# %%
# %%kubectl
expose deployment web --port=80 --target-port=8080
run client --image=nicolaka/netshoot -- sleep infinity
get pods -o wide


# %% [markdown]
# Two small helpers keep the outputs short: the endpoints of a Service as kube-proxy reads them
# (one row per endpoint, with its three conditions and a note), and the rules of the Service's
# `KUBE-SVC` chain that pick an endpoint on `kind-worker`.

# %%
def endpoints(service="web"):
    columns = ["endpoint_ip", "endpoint_port", "pod", "ready", "serving", "terminating", "note"]
    return c.endpoints_table(service=service, wide=True)[columns]


def picks(service="web", node="kind-worker"):
    rules = c.rules_table(node, table="nat", service=service)
    jumps = rules.chain.str.startswith("KUBE-SVC-") & rules.target.str.startswith("KUBE-SEP-")
    return rules[jumps][["comment", "matches"]]


endpoints()

# %%
picks()

# %% [markdown]
# ## 1. A pod that is not ready
#
# Readiness is the pod's own answer to "can I take requests now?", given by its readiness probe.
# `c.set_ready(pod, False)` makes the application start failing its probe (here `/healthz`
# answers 503); the kubelet records why, in an `Unhealthy` event. (A pod without a readiness
# probe has nothing to fail: the kubelet calls a running container ready. Only its exit,
# `c.kill(pod)`, makes it unready until it is restarted.)

# %%
web = sorted(pod["metadata"]["name"] for pod in c.list("pods", selector="app=web"))
sick = web[0]
c.set_ready(sick, False)

# %%
# %kubectl get pods -l app=web -o wide

# %%
print([e["message"] for e in c.list("events") if e["reason"] == "Unhealthy"])

# %% [markdown]
# The pod is still `Running` but `0/1` ready. It has **not** left the EndpointSlice: the
# EndpointSlice controller lists every pod the selector matches, as long as it has an IP and has
# not finished, and records its state in three conditions. Here is the slice's list of
# endpoints:

# %%
slices = c.kubectl("get endpointslices -l kubernetes.io/service-name=web -o yaml")
print(slices[slices.index("  endpoints:") : slices.index("  kind: EndpointSlice")])

# %% [markdown]
# For the sick pod `ready` and `serving` are both `false` (`serving` is the pod's readiness;
# `ready` is "serving and not terminating"). kube-proxy writes rules for ready endpoints only, so
# the `KUBE-SVC` chain now picks between two endpoints, one half each:

# %%
endpoints()

# %%
picks()

# %%
c.send("client", "web", n=300)

# %% [markdown]
# In the picture the not-ready pod and its dashed edge from the Service stand out:

# %%
c.topology(namespace="default", selector="app=web")

# %% [markdown]
# When the probe passes again, the same endpoint turns ready and gets its share back; nothing was
# created or deleted.

# %%
c.set_ready(sick, True)
picks()

# %% [markdown]
# ## 2. A pod that is terminating
#
# Deleting a pod does not remove it at once: the API server sets its `deletionTimestamp` and the
# kubelet stops its containers, which has up to `terminationGracePeriodSeconds` (30 s by default).
# Look right after the delete, before letting simulated time pass with `c.advance(...)`:

# %%
leaving = web[1]
deleted = c.delete("pod", leaving)
print(deleted["metadata"]["deletionTimestamp"], deleted["metadata"]["deletionGracePeriodSeconds"])

# %%
# %kubectl get pods -l app=web -o wide

# %% [markdown]
# The `deletionTimestamp` is the deadline, 30 seconds from now. The ReplicaSet already made a
# replacement (it does not count a terminating pod), and the leaving pod shows `Terminating`.
# Its endpoint says so:

# %%
endpoints()

# %% [markdown]
# `terminating: true`, `ready: false`, but `serving: true`: its process still answers (a server
# usually finishes its open requests after SIGTERM). Since three other endpoints are ready,
# kube-proxy sends new connections only to them:

# %%
picks()

# %%
c.topology(namespace="default", selector="app=web")

# %% [markdown]
# This simulation's containers exit one second after SIGTERM; then the kubelet reports the pod
# gone and its endpoint leaves the slice.

# %%
c.advance(1)
endpoints()

# %% [markdown]
# ### When nothing else is ready
#
# Terminating endpoints that still serve are kube-proxy's fallback: when **no** endpoint is
# ready, it routes to those rather than refuse connections. Scale the Deployment to zero and look
# before the pods are gone:

# %%
# %kubectl scale deployment web --replicas=0

# %%
endpoints()

# %%
picks()

# %%
print(c.trace("client", "web").summary())

# %% [markdown]
# Once they are gone, the Service has no endpoints: kube-proxy replaces the `KUBE-SVC` jump with
# a `REJECT` in the filter table, and the client's connection is refused at once.

# %%
c.advance(1)
print(c.trace("client", "web").summary())

# %%
# %kubectl scale deployment web --replicas=3

# %% [markdown]
# ## 3. Rolling out a new version
#
# A Deployment keeps one ReplicaSet per version of its pod template. Changing the template (here
# the image) makes a new ReplicaSet and moves the replicas over to it. The Service selects
# `app=web`, which both versions carry, so it never changes: only its endpoints do.

# %%
# %kubectl get replicasets -o wide


# %% [markdown]
# `kubectl set image` changes the container's image in the template, which starts the rollout:

# %%
def scaling_events():
    events = c.list("events")
    return [e["message"] for e in events if e["reason"] == "ScalingReplicaSet"]


before = scaling_events()

# %%
# %%kubectl
set image deployment/web agnhost=registry.k8s.io/e2e-test-images/agnhost:2.53
get replicasets -o wide

# %% [markdown]
# The Deployment controller's events of this update tell the steps it took. With 3 replicas,
# `maxSurge: 25%` rounds up to one extra pod and `maxUnavailable: 25%` rounds down to zero, so
# it goes one pod at a time: start a new one, and once it is available stop an old one.
# Simulated pods are ready the moment they start, so all the steps happened within this one
# update.

# %%
print("\n".join(scaling_events()[len(before) :]))

# %% [markdown]
# Right now the three old pods are terminating and the three new ones are ready: the new ones
# get every new connection.

# %%
endpoints()

# %%
c.send("client", "web", n=300)

# %%
c.advance(1)

# %%
# %kubectl get pods -l app=web

# %% [markdown]
# ## Exercise
#
# The cell below makes the probes of two `web` pods fail and deletes the third. Which pods get new connections to `web` afterwards? Look with the tools
# above (`endpoints()`, `picks()`, `%kubectl get pods`), then put your answer, a set of pod
# names, in place of the `...` and run the check.

# %%
first, second, third = sorted(p["metadata"]["name"] for p in c.list("pods", selector="app=web"))
c.set_ready(first, False)
c.set_ready(second, False)
c.delete("pod", third)

# %%
# %kubectl get pods -l app=web

# %%
from kubenet_nb.exercises.readiness import TRAFFIC_PODS

answer = ...  # for example {"web-…", "web-…"}
TRAFFIC_PODS.check(c, answer)

# %% [markdown]
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("09")
