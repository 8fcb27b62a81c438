# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Troubleshooting, continued: named ports, namespaces and a checklist
#
# The previous notebook found three of the five causes of "my Service does not route". The
# same application again, on a fresh cluster, and the other two: a named `targetPort` that the
# pods do not define, and a name looked up from the wrong namespace. Then a checklist that puts
# the steps in order, and a Service with two faults to repair.

# %%
# %load_ext kubenet_nb
import pandas as pd

import kubenet_nb
from kubenet_nb import Cluster

pd.set_option("display.max_colwidth", None)
c = kubenet_nb.use(Cluster(seed=12))

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
# ## 4. A named targetPort the pods do not define
#
# A `targetPort` may be a name, looked up among each pod's container ports. The Deployment
# created above declares port 80 **without** a name, and this Service asks for `http`:

# %%
# %%kubectl apply -f -
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
# %%kubectl
patch deployment shop --type=json \
    -p '[{"op": "add", "path": "/spec/template/spec/containers/0/ports/0/name", "value": "http"}]'

# %%
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

# %% [markdown]
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("12")
