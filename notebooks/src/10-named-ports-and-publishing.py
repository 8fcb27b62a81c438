# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Named ports and publishNotReadyAddresses: what else an EndpointSlice decides
#
# The previous notebook followed readiness into the EndpointSlice and out to kube-proxy's rules.
# Two more settings decide what a Service's EndpointSlices hold. You will see that:
#
# - a **named** `targetPort` is looked up in each pod, so pods that put the name on different
#   numbers end up in different EndpointSlices, and one Service port reaches both;
# - `publishNotReadyAddresses` makes every endpoint count as ready, whatever its probe says, and
#   where that belongs (peer discovery) and where it does not (a Service clients use).

# %% [markdown]
# ## The same three backends as before
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

c = kubenet_nb.use(Cluster(seed=10))  # %kubectl now talks to this cluster

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

# %% [markdown]
# ## 1. Named target ports, resolved pod by pod
#
# A Service's `targetPort` may be a **name** instead of a number. The EndpointSlice controller
# then looks, in each pod, for a container port with that name (and the Service port's
# protocol), and uses that pod's number. Two versions of a shop put the port named `http` on
# different numbers; one Service selects both:

# %%
# %%kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-v1
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop, version: v1}
  template:
    metadata:
      labels: {app: shop, version: v1}
    spec:
      containers:
      - name: agnhost
        image: registry.k8s.io/e2e-test-images/agnhost:2.52
        args: [netexec, --http-port=8080]
        ports:
        - name: http
          containerPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-v2
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop, version: v2}
  template:
    metadata:
      labels: {app: shop, version: v2}
    spec:
      containers:
      - name: agnhost
        image: registry.k8s.io/e2e-test-images/agnhost:2.52
        args: [netexec, --http-port=9090]
        ports:
        - name: http
          containerPort: 9090
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: {app: shop}
  ports:
  - port: 80
    targetPort: http

# %% [markdown]
# An EndpointSlice has one list of ports for all its endpoints, so pods whose ports resolve to
# different numbers cannot share one: the controller groups pods by their resolved ports and
# writes a slice per group.

# %%
# %kubectl get endpointslices -l kubernetes.io/service-name=shop

# %%
endpoints("shop")

# %% [markdown]
# Each endpoint's rule rewrites the destination to that pod's own port, so one Service port
# reaches both versions:

# %%
rules = c.rules_table("kind-worker", table="nat", service="shop")
rules[rules.target.str.startswith("DNAT")][["chain", "target"]]

# %%
c.send("client", "shop", n=400)

# %% [markdown]
# ## 2. `publishNotReadyAddresses`
#
# Some applications must find their peers before they are ready, for example the members of a
# database cluster that elect a leader before taking requests. A Service with
# `publishNotReadyAddresses: true` tells the EndpointSlice controller to mark **every** endpoint
# `ready: true`; `serving` still tells the truth. Here is a second Service over the same `web`
# pods; then one of them fails its probe:

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: web-all
spec:
  selector: {app: web}
  publishNotReadyAddresses: true
  ports:
  - port: 80
    targetPort: 8080

# %%
web = sorted(pod["metadata"]["name"] for pod in c.list("pods", selector="app=web"))
c.set_ready(web[0], False)
endpoints("web")

# %%
endpoints("web-all")

# %% [markdown]
# kube-proxy trusts `ready`, so `web-all` still sends a third of its connections to the pod whose
# probe fails, while `web` does not:

# %%
c.send("client", "web-all", n=300)

# %% [markdown]
# That is why the setting belongs on headless Services used for peer discovery, where DNS then
# answers with every pod's address, ready or not; a Service that clients use should leave it off.

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: web-peers
spec:
  clusterIP: None
  selector: {app: web}
  publishNotReadyAddresses: true
  ports:
  - port: 8080

# %%
print(c.resolve("web-peers", from_pod="client").addresses)

# %% [markdown]
# ## Exercise: make a Service reach only ready pods
#
# The set-up below creates Deployment `orders` and a Service `orders` for it, and one of its pods
# fails its readiness probe, yet still gets connections. Your task: make the Service send new
# connections to ready pods only. Make your change with `%kubectl` in the empty cell, then run the
# check: it sends traffic and looks where it went.

# %%
from kubenet_nb.exercises import READY_ONLY_TASK as task

task.setup(c)

# %%
# Your change here, for example: %kubectl get service orders -o yaml

# %%
task.check(c)

# %% [markdown]
# Stuck? Run `task.hint()` in a new cell for a hint (again for the next one), `task.solution()`
# for the commands, or `task.solve(c)` to have them run.
#
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("10")
