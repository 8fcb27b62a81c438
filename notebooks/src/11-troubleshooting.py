# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Troubleshooting: "my Service does not route"
#
# A Service that answers nothing looks the same from the client whatever the cause: a refused
# connection or a name that does not resolve. This notebook breaks a working Service in the five
# ways that cause most of these reports, and finds each cause with the workbook's tools:
#
# - `c.endpoints_table(service=...)`: is anything behind the Service, and if not, why not;
# - `c.trace(client, name)`: where one connection stops, hop by hop;
# - `c.resolve(name, from_pod=...)`: which names the client's resolver tried;
# - `kubectl get` and `describe`, as on a real cluster.
#
# The five causes: a selector that matches no pod, a `targetPort` nothing listens on, no ready
# pod, a named `targetPort` that the pods do not define, and a name looked up from the wrong
# namespace. A checklist at the end puts the steps in order.

# %%
# %load_ext kubenet_nb
import pandas as pd

import kubenet_nb
from kubenet_nb import Cluster

pd.set_option("display.max_colwidth", None)
c = kubenet_nb.use(Cluster(seed=10))

# %% [markdown]
# The application: two nginx pods labelled `app=shop`, listening on port 80, each with a
# readiness probe (the kubelet asks nginx for `/` on port 80). A `client` pod (netshoot, a
# toolbox image) plays the caller; it asks `curl` for the HTTP status only.

# %%
# %%kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels: {app: shop}
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet: {path: /, port: 80}

# %%
# %%kubectl
run client --image=nicolaka/netshoot -- sleep infinity
get pods -o wide --show-labels


# %% [markdown]
# A small helper shows the columns of the endpoints table that matter here.

# %%
def endpoints(service="shop", namespace="default"):
    columns = ["port", "target_port", "endpoint_ip", "endpoint_port", "pod", "ready", "note"]
    return c.endpoints_table(namespace, service, wide=True)[columns]


# %% [markdown]
# ## 1. The selector matches no pod
#
# A Service picks its pods by labels, and a pod must carry **every** label of the selector.

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: {app: shop, tier: frontend}
  ports:
  - port: 80

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop

# %% [markdown]
# Refused. Is anything behind the Service?

# %%
endpoints()

# %% [markdown]
# Nothing: the table says why. Compare the selector with the pods' labels (above): the pods
# have `app=shop` but no `tier` label. `kubectl get pods -l` with the selector asks the same
# question:

# %%
# %kubectl get pods -l app=shop,tier=frontend

# %% [markdown]
# The fix is to make the two agree: here, drop `tier` from the selector (labelling the pods
# would do too). `kubectl apply` removes it, since it was in the last applied manifest.

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: {app: shop}
  ports:
  - port: 80

# %%
endpoints()

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop

# %% [markdown]
# ## 2. The targetPort is not where the container listens
#
# `targetPort` is the port **on the pod** that traffic goes to. Here it says 8080, while nginx
# listens on 80:

# %%
# %%kubectl
delete service shop
expose deployment shop --port=80 --target-port=8080

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop

# %% [markdown]
# The same refusal as before, but the endpoints table looks healthy: two ready endpoints. The
# EndpointSlice controller does not check that anything listens on a numeric `targetPort`.

# %%
endpoints()

# %% [markdown]
# A trace shows where the connection stops. Its last hops: kube-proxy's rule rewrote the
# destination to a pod on port 8080, the packet reached the pod, and the pod's kernel answered
# with a TCP reset, since no process listens there.

# %%
t = c.trace("client", "shop")
print(t.summary())
t.to_frame().tail(4)[["stage", "node", "action"]]

# %% [markdown]
# The picture draws the same path, with the Service's `80 → 8080` on the edge to each pod:

# %%
c.topology(namespace="default", highlight=t, selector="app=shop")

# %% [markdown]
# The fix: `targetPort` must be the container's port, 80 (or leave it out: it then defaults to
# `port`).

# %%
# %%kubectl
delete service shop
expose deployment shop --port=80 --target-port=80

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop

# %% [markdown]
# ## 3. No pod is ready
#
# Pods whose readiness probe fails stay in the EndpointSlice but get no traffic (notebook 09).
# When **none** is ready, kube-proxy has nothing to send to. `c.set_ready(pod, False)` plays a
# failing probe on both pods:

# %%
shop = sorted(p["metadata"]["name"] for p in c.list("pods", selector="app=shop"))
for pod in shop:
    c.set_ready(pod, False)

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop

# %%
endpoints()

# %% [markdown]
# Both endpoints are listed, neither is ready. For a Service without usable endpoints kube-proxy
# writes a `REJECT` rule in the filter table, on every node, instead of the usual NAT rules, and
# the trace stops there: the client gets an ICMP "port unreachable", which it reports as
# "connection refused", without any pod being involved.

# %%
c.rules_table("kind-worker", service="shop")[["table", "chain", "target", "comment"]]

# %%
print(c.trace("client", "shop").summary())

# %% [markdown]
# Why the pods are not ready is the pods' story: `READY 0/1`, and the kubelet's events.

# %%
# %kubectl get pods -l app=shop

# %%
described = c.kubectl(f"describe pod {shop[0]}")
print(described[described.index("Conditions:") : described.index("Volumes:")])
print(described[described.index("Events:") :])

# %% [markdown]
# On a real cluster the fix is in the application or in its probe. Here the probe passes again:

# %%
for pod in shop:
    c.set_ready(pod, True)

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop

# %% [markdown]
# ## 4. A named targetPort the pods do not define
#
# A `targetPort` may be a name, looked up among each pod's container ports. The Deployment
# created above declares port 80 **without** a name, and this Service asks for `http`:

# %%
# %%kubectl
delete service shop
apply -f -
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: {app: shop}
  ports:
  - name: web
    port: 80
    targetPort: http

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop

# %%
endpoints()

# %% [markdown]
# The pods are matched, but the name resolves in none of them. The EndpointSlice then lists the
# pods with **no** port at all, which kube-proxy cannot use for the Service's port `web`:

# %%
# %kubectl get endpointslices -l kubernetes.io/service-name=shop

# %%
print(c.trace("client", "shop").summary())

# %% [markdown]
# The fix: name the container port `http` in the pod template (or use the number in the
# Service). A changed template rolls out new pods, whose port now resolves:

# %%
deployment = c.get("deployment", "shop")
deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["name"] = "http"
c.update(deployment)
c.advance(1)  # the old pods finish terminating
endpoints()

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop

# %% [markdown]
# ## 5. The name is looked up in the wrong namespace
#
# A pod's resolver completes a short name with its **own** namespace first
# (`search default.svc.cluster.local svc.cluster.local cluster.local`). A Service in another
# namespace is therefore not found by its bare name. A database in namespace `backend`:

# %%
# %%kubectl
create namespace backend
create deployment db --image=nginx --port=80 -n backend
expose deployment db --port=80 -n backend
get services -A


# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://db

# %% [markdown]
# curl's exit code 6 means "could not resolve host": no connection was even tried. The resolver
# shows the names it asked, in order, A and AAAA for each: the cluster's zone answers `NXDOMAIN`
# (no such name) for every search domain; the bare name `db.` goes on to CoreDNS's upstream,
# which has no internet here and answers `SERVFAIL` (with internet, the real DNS would say
# `NXDOMAIN`):

# %%
def tried(name):
    answer = c.resolve(name, from_pod="client")
    for query, qtype, rcode in answer.tried:
        print(f"{query:40} {qtype:5} {rcode}")
    print("->", answer.addresses or answer.rcode)


tried("db")

# %% [markdown]
# None of them is `db.backend.svc.cluster.local`. Adding the namespace, `db.backend`, makes the
# second search domain fit (`db.backend` + `svc.cluster.local`):

# %%
tried("db.backend")

# %%
# %kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://db.backend

# %% [markdown]
# ## A checklist
#
# When a Service does not answer, from the client's side inward:
#
# 1. **Does the name resolve, from the client's namespace?** `c.resolve(name, from_pod=...)`
#    (or `nslookup` in the pod). `NXDOMAIN` for every search domain: the Service is in another
#    namespace (use `name.namespace`) or the name is misspelt.
# 2. **Does the Service have endpoints?** `c.endpoints_table(service=...)`, or
#    `kubectl get endpointslices -l kubernetes.io/service-name=NAME`.
#    - "no pods match the selector": compare the selector with `kubectl get pods --show-labels`;
#      a pod needs every label of the selector.
#    - "no container port named ...": name the port in the pod template, or use a number.
#    - endpoints listed, none ready: `kubectl get pods` and `kubectl describe pod` (events,
#      readiness probe).
# 3. **Endpoints are ready, the connection is still refused?** `c.trace(client, name)`: a reset
#    from the pod means nothing listens on the `targetPort`; use the port the container really
#    listens on.
#
# How the client fails tells the layer: curl's "could not resolve host" is DNS (step 1); a
# refusal by kube-proxy's `REJECT` rule, an ICMP "port unreachable", means no usable endpoint
# (step 2); a TCP reset from a pod means the wrong port (step 3). The trace tells the last two
# apart.

# %% [markdown]
# ## Exercise: two faults to fix
#
# The set-up below deploys `checkout` and a Service for it, and the client gets no answer from
# `http://checkout`. Two things are wrong. Find them with the checklist, fix them with `%kubectl`
# in the empty cell, and run the check: it names the first fault it still finds.

# %%
from kubenet_nb.exercises import TWO_FAULTS_TASK as task

task.setup(c)

# %%
# Your change here, for example: %kubectl get endpointslices -l kubernetes.io/service-name=checkout

# %%
task.check(c)

# %% [markdown]
# Stuck? Run `task.hint()` in a new cell for a hint (again for the next one), `task.solution()`
# for the commands, or `task.solve(c)` to have them run.
#
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("11")
