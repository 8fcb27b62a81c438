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
# connection or a name that does not resolve. This notebook and the next break a working Service
# in the five ways that cause most of these reports, and find each cause with the workbook's
# tools:
#
# - `c.endpoints_table(service=...)`: is anything behind the Service, and if not, why not;
# - `c.trace(client, name)`: where one connection stops, hop by hop;
# - `c.resolve(name, from_pod=...)`: which names the client's resolver tried;
# - `kubectl get` and `describe`, as on a real cluster.
#
# Here the first three: a selector that matches no pod, a `targetPort` nothing listens on, and
# no ready pod. The next notebook has the other two, a named `targetPort` that the pods do not
# define and a name looked up from the wrong namespace, a checklist that puts the steps in
# order, and an exercise.

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
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("11")
