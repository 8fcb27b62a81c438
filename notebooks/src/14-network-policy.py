# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # NetworkPolicy: who may talk to whom
#
# Until now every pod could open a connection to every other pod. A NetworkPolicy narrows that:
# it selects pods of its namespace and lists which connections may reach them (ingress) or leave
# them (egress). kind enforces policies with its own network plugin, kindnetd, which embeds
# kube-network-policies. In this notebook you will:
#
# - draw the matrix of who may connect to whom, before and after each policy;
# - shut a namespace with a default-deny policy, and see how a blocked connection fails: it
#   times out, it is never refused;
# - meet the indentation trap of `from` (one item or two), the Service port that a policy never
#   sees, named ports, and why a pod's IP makes a poor `ipBlock`;
# - deny egress and lose DNS with it;
# - fix two namespaces yourself, checked against the cluster.

# %%
# %load_ext kubenet_nb
import re

import kubenet_nb
from kubenet_nb import Cluster
from kubenet_nb.views.tables.style import ticks

c = kubenet_nb.use(Cluster(seed=14))  # %kubectl now talks to this cluster

# %% [markdown]
# ## A shop and its visitors
#
# Namespace `shop` runs three Deployments, `frontend`, `backend` and `db`, one pod each, every
# one agnhost's `netexec` listening on 8080, each behind a Service of its own name on port 80.
# Namespace `other` holds two toolbox pods (netshoot): `client` and `bot`.

# %%
# %%kubectl
create namespace shop
create namespace other
create deployment frontend -n shop --image=registry.k8s.io/e2e-test-images/agnhost:2.52 \
    --port=8080 -- /agnhost netexec --http-port=8080
create deployment backend -n shop --image=registry.k8s.io/e2e-test-images/agnhost:2.52 \
    --port=8080 -- /agnhost netexec --http-port=8080
create deployment db -n shop --image=registry.k8s.io/e2e-test-images/agnhost:2.52 \
    --port=8080 -- /agnhost netexec --http-port=8080
expose deployment frontend -n shop --port=80 --target-port=8080
expose deployment backend -n shop --port=80 --target-port=8080
expose deployment db -n shop --port=80 --target-port=8080
run client -n other --image=nicolaka/netshoot -- sleep infinity
run bot -n other --image=nicolaka/netshoot -- sleep infinity
get pods -n shop -o wide --show-labels

# %% [markdown]
# `c.reachability(port=8080)` asks the policies about every pair of pods: may a new TCP
# connection from the row's pod reach the column's pod on 8080? It judges policies only (no
# Service, no route). A small helper keeps the pods of `shop` and `other`, shortens the pods'
# names to their Deployment's, and shows ✔ and ✘ (each table with an id of its own):

# %%
def matrix(uuid, port=8080):
    frame = c.reachability(port=port)
    keep = [name for name in frame.index if name.split("/")[0] in ("shop", "other")]
    short = {name: re.sub(r"-[a-z0-9]+-[a-z0-9]{5}$", "", name) for name in keep}
    return ticks(frame.loc[keep, keep].rename(index=short, columns=short), uuid)


# %% [markdown]
# ## Before any policy, everything is allowed
#
# A fresh kind cluster has no NetworkPolicy at all, and the matrix is all ✔:

# %%
# %kubectl get netpol -A
matrix("open")

# %% [markdown]
# A NetworkPolicy never denies anything by itself: a pod is **isolated** for
# ingress (or egress) only once some policy selects it and lists that direction; until then
# everything may reach it. Policies only ever add what they allow, and the union of all the
# policies selecting a pod is what gets through.
#
# ## Default deny: nothing gets in any more
#
# The smallest policy: `podSelector: {}` selects every pod of its namespace, `policyTypes:
# [Ingress]` isolates them for ingress, and no `ingress` rule allows anything.

# %%
# %%kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]

# %%
# %kubectl describe netpol default-deny-ingress -n shop
matrix("deny-ingress")

# %% [markdown]
# Every column of `shop` is ✘, even for the shop's own pods: the frontend can no longer reach
# its backend. Only the diagonal stays ✔ (a pod reaching its own IP never leaves it), and the
# pods of `other` still reach each other, since nothing selects them. What the client sees:

# %%
# %kubectl exec -n other client -- curl -sS -m 2 http://frontend.shop/hostname

# %% [markdown]
# **Timed out**, after the 2 seconds `-m 2` allowed, exit code 28. kind drops a packet that no
# policy allows and answers nothing, so the client can only wait (without `-m`, until the
# kernel gives up on its SYN, more than two minutes). Compare a connection that is *refused*:
# the bot runs no server, so its kernel answers the client's SYN with a TCP reset at once:

# %%
bot_ip = c.get("pod", "bot", "other")["status"]["podIP"]
print(c.kubectl(f"exec -n other client -- curl -sS -m 2 http://{bot_ip}:8080"))

# %% [markdown]
# "Couldn't connect", exit code 7, after 0 ms: an answer, meaning that nothing listens there
# (kube-proxy's reject for a Service without endpoints looks the same). A policy never refuses.
# The trace of the blocked connection names the hop that dropped it, and why:

# %%
trace = c.trace("other/client", "frontend.shop", seed=1)
print(trace.summary())

# %% [markdown]
# ## From a namespace, from pods, or both
#
# Let the client of `other` reach the frontend, and nothing else of `other`. A rule's `from`
# lists peers; this one peer names the namespace **and** the pods in it (namespaces are picked
# by labels, and every namespace carries `kubernetes.io/metadata.name`):

# %%
# %%kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-from-client
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: frontend}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: other}
      podSelector:
        matchLabels: {run: client}

# %%
matrix("one-item")

# %% [markdown]
# Only `other/client` → `shop/frontend` turned ✔. The picture says the same: a thick border
# marks each pod a policy isolates, and `flows=8080` draws an arrow for every connection the
# policies allow on that port (the pods of `other`, which nothing isolates, still reach each
# other):

# %%
c.topology(flows=8080)

# %% [markdown]
# Now the same policy with one dash more, in front of `podSelector`:

# %%
# %%kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-from-client
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: frontend}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: other}
    - podSelector:
        matchLabels: {run: client}

# %%
# %kubectl describe netpol frontend-from-client -n shop
matrix("two-items")

# %% [markdown]
# Now `bot` gets in too. The dash made two peers, and peers are ORed: "any pod of namespace
# `other`" **or** "pods labelled `run=client` in the policy's own namespace" (a podSelector
# alone never looks beyond it). Selectors in one peer are ANDed. In the YAML the difference is
# a single dash; `kubectl describe netpol`, above, makes it plain: two `From:` blocks, where the
# first policy had one listing both selectors.

# %% [markdown]
# ## Policies see pods, not Services
#
# The client connects to the Service, `frontend.shop` on port 80. kube-proxy's DNAT rewrites
# that to a frontend pod's IP and port 8080 before the packet reaches the policy, so a policy
# never sees a ClusterIP or a Service's port. Here is the first policy again (one peer), with
# the port the client typed:

# %%
# %%kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-from-client
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: frontend}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: other}
      podSelector:
        matchLabels: {run: client}
    ports:
    - port: 80

# %%
# %kubectl exec -n other client -- curl -sS -m 2 http://frontend.shop/hostname

# %%
trace = c.trace("other/client", "frontend.shop", seed=1)
for step in trace.steps().splitlines():
    if step.startswith(("netfilter", "policy")):
        print(step)

# %% [markdown]
# The DNAT comes first, the policy hop after it, on the pod's IP and port 8080, where the rule
# allows only 80. For the same reason an `ipBlock` holding the Service's ClusterIP matches
# nothing: by the time the policy looks, the address is a pod's.
#
# ## Named ports
#
# A rule's port may also be a name, looked up among the container ports of the **destination**
# pod, so that one rule follows pods that listen on different numbers. The frontend's port has
# no name yet; name it `http` in the pod template (a new pod rolls out), then allow it by name:

# %%
# %%kubectl
patch deployment frontend -n shop --type=json \
    -p '[{"op": "add", "path": "/spec/template/spec/containers/0/ports/0/name", "value": "http"}]'

# %%
# %%kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-from-client
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: frontend}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: other}
      podSelector:
        matchLabels: {run: client}
    ports:
    - port: http

# %%
c.advance(1)  # the old frontend pod finishes terminating
# %kubectl exec -n other client -- curl -sS -m 2 http://frontend.shop/hostname

# %% [markdown]
# The name resolves on the new pod to 8080, and the connection passes. (The name must exist on
# the destination pod with the same protocol; a name no pod defines matches nothing.)
#
# ## ipBlock, and why a pod's IP makes a poor one
#
# An `ipBlock` peer matches addresses: it is meant for clients and servers outside the cluster.
# kind matches pod IPs with it too, which makes it tempting to allow "that pod" by its IP. Let
# the bot into the backend by its current IP, `bot_ip` from above:

# %%
print(
    c.kubectl(f"""apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-from-bot-ip
  namespace: shop
spec:
  podSelector:
    matchLabels: {{app: backend}}
  ingress:
  - from:
    - ipBlock: {{cidr: {bot_ip}/32}}
""")
)
matrix("bot-ip")

# %% [markdown]
# `other/bot` → `shop/backend` is ✔. Now the bot is replaced, as a pod is whenever it is
# deleted, evicted or rolled out:

# %%
# %%kubectl
delete pod bot -n other
run bot -n other --image=nicolaka/netshoot -- sleep infinity
get pods -n other -o wide

# %%
matrix("bot-replaced")

# %% [markdown]
# The new bot has a new IP, and the rule still names the old one. Worse, that old IP will be
# handed to some other pod later, which then gets in. Labels move with pods; IPs do not. Keep
# `ipBlock` for addresses outside the cluster.
#
# ## Default deny egress: even DNS
#
# Egress isolation works the same way, for the connections a pod opens:

# %%
# %%kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]

# %%
# %kubectl exec -n shop deploy/frontend -- nslookup backend

# %%
# %kubectl exec -n shop deploy/frontend -- curl -sS http://backend/hostname

# %% [markdown]
# The frontend cannot even look the name up. A lookup is a connection like any other: UDP to
# the kube-dns Service, 10.96.0.10 port 53, which kube-proxy rewrites to a CoreDNS pod, and the
# egress policy drops it. nslookup says "timed out" for each try, then gives up; curl reports
# the failed lookup, `Could not resolve host` (exit code 6), after the resolver's own timeouts.
# Again nothing is refused. The trace:

# %%
frontend = c.list("pods", "shop", "app=frontend")[0]["metadata"]["name"]
print(c.trace(f"shop/{frontend}", "backend", seed=1).steps())

# %% [markdown]
# To give DNS back, an egress rule must allow the CoreDNS pods themselves (namespace
# `kube-system`, label `k8s-app=kube-dns`; an `ipBlock` of 10.96.0.10 matches nothing, as
# above), on UDP 53 and TCP 53: a port without `protocol` means TCP, and a resolver falls back
# to TCP when an answer is too large for UDP. That is the second exercise.
#
# ## Exercise: only the frontend reaches the backend
#
# The set-up below starts `shop` over with one policy, `default-deny-ingress`. Write a second
# policy so that the frontend reaches the backend and nothing else gets in; apply it in the
# empty cell and run the check. Stuck? Run `task.hint()` in a new cell for a hint (again for the
# next one), `task.solution()` for the policy, or `task.solve(c)` to have it applied.

# %%
from kubenet_nb.exercises import FRONTEND_ONLY_TASK as task

task.setup(c)

# %%
# Your NetworkPolicy here: %%kubectl apply -f - on the first line, then the YAML

# %%
task.check(c)

# %% [markdown]
# ## Exercise: DNS for the frontend
#
# This set-up starts `shop` over with `default-deny-egress` only. Let the frontend's lookups
# through, and nothing else; hints and solution as before.

# %%
from kubenet_nb.exercises import DNS_EGRESS_TASK as task

task.setup(c)

# %%
# Your NetworkPolicy here

# %%
task.check(c)

# %% [markdown]
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("14")
