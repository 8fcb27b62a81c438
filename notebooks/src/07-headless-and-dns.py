# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Headless Services and cluster DNS
#
# Every Service gets a name in the cluster DNS. This notebook looks at what that name resolves to,
# and at how a pod's resolver turns a short name into a query. You will learn:
#
# - what `clusterIP: None` (a **headless** Service) changes: one DNS record per ready pod, no
#   virtual IP, and no kube-proxy rules;
# - the **SRV** records CoreDNS serves for named ports;
# - how a pod with `hostname` and `subdomain` gets a stable name of its own;
# - the **search path** and **`ndots:5`** in a pod's `/etc/resolv.conf`, and how many queries a
#   name costs;
# - **ExternalName** Services, which are DNS aliases (CNAME records) and nothing else.

# %%
# %load_ext kubenet_nb
import pandas as pd

import kubenet_nb
from kubenet_nb import Cluster

pd.set_option("display.max_colwidth", None)  # show DNS names whole
c = Cluster(seed=7)  # the seed fixes every generated name, IP and random choice
kubenet_nb.use(c)  # %kubectl and %%kubectl act on this cluster

# %%
# %kubectl run client --image=nicolaka/netshoot -- sleep infinity

# %% [markdown]
# The pods behind the Services: what `kubectl create deployment web --image=nginx --replicas=3
# --port=80` makes, plus a **readiness probe** (the kubelet asks each nginx for `/` on port 80,
# and only a container that answers counts as ready). `kubectl create deployment` has no flag
# for probes, so the Deployment is written out:

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
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet: {path: /, port: 80}

# %% [markdown]
# ## Two Services in front of the same pods
#
# Both select `app=web` and name their port `http`. The first is an ordinary ClusterIP Service;
# the second says `clusterIP: None`, which makes it headless.

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web-headless
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - name: http
    port: 80

# %%
c.services_table()

# %% [markdown]
# Both get an EndpointSlice listing the same three pods: the EndpointSlice controller treats them
# alike.

# %%
# %kubectl get endpointslices -o wide

# %% [markdown]
# In the picture of the cluster, `web` is a virtual IP with an arrow to each pod (arrows that
# kube-proxy's rules will follow); `web-headless` is drawn as a name only, whose dotted lines
# are the A records DNS hands out.

# %%
c.topology(namespace="default")

# %% [markdown]
# The difference is in what DNS says. The ordinary Service's name gives one address, its
# ClusterIP; the headless Service's name gives the address of every ready pod behind it.

# %%
# %kubectl exec client -- nslookup web

# %%
# %kubectl exec client -- nslookup web-headless

# %% [markdown]
# Only **ready** pods are published. Make one pod fail its readiness probe (`c.set_ready(pod,
# False)` plays nginx starting to answer with errors) and ask again: its record is gone. Make it
# ready again and the record comes back.

# %%
pods = [p["metadata"]["name"] for p in c.list("pods", selector="app=web")]
c.set_ready(pods[0], False)
print(pods[0], "not ready:", c.resolve("web-headless", from_pod="client").addresses)
c.set_ready(pods[0], True)
print(pods[0], "ready again:", c.resolve("web-headless", from_pod="client").addresses)

# %% [markdown]
# ### No virtual IP, so no rules
#
# kube-proxy skips headless Services: there is no address to translate. The rules that mention
# `web` on a node fill a table; the rules that mention `web-headless` fill none, and
# `KUBE-SERVICES` has no entry for it.

# %%
print("rules for web:         ", len(c.rules_table("kind-worker", service="web")))
print("rules for web-headless:", len(c.rules_table("kind-worker", service="web-headless")))
c.rules_table("kind-worker", table="nat", chain="KUBE-SERVICES")[["position", "target", "comment"]]

# %% [markdown]
# A client of a headless Service therefore talks to a pod address directly. Trace one connection
# to each Service: the name `web` leads to the ClusterIP, which `KUBE-SERVICES` sends on to the
# Service's chain (and from there to a pod); the name `web-headless` leads straight to a pod's IP,
# which `KUBE-SERVICES` lets through untouched.

# %%
for destination in ["web:80", "web-headless:80"]:
    t = c.trace("client", destination)
    hops = t.to_frame()
    first = hops[(hops["table"] == "nat") & (hops["chain"] == "KUBE-SERVICES")].iloc[0]
    print(f"{destination:16} to {t.target}")
    print(f"{'':16} KUBE-SERVICES on {first['node']}: {first['action']}")

# %% [markdown]
# ## SRV records for named ports
#
# For each **named** port CoreDNS also serves an SRV record, `_<port name>._<protocol>.<service>`.
# It carries the port number, so a client can find the port as well as the host. For the
# headless Service there is one SRV record per pod, each pointing at a per-pod name:

# %%
# %kubectl exec client -- nslookup -type=srv _http._tcp.web-headless.default.svc.cluster.local

# %% [markdown]
# For the ordinary Service there is a single SRV record, pointing at the Service's own name.
# `c.resolve` returns the same answer as a Python object, asked from the pod `client`; `.tried`
# lists every query its resolver sent.

# %%
srv = c.resolve("_http._tcp.web.default.svc.cluster.local", qtype="SRV", from_pod="client")
print(srv.rcode, srv.tried)
for record in srv.records:
    print(record)

# %% [markdown]
# ## Stable names for pods: `hostname` and `subdomain`
#
# The per-pod names above (`10-244-…`) are made from the pod IP, so they change when the pod is
# replaced. A pod can ask for a name of its own: `hostname` sets its host name, and `subdomain`
# names a headless Service in the same namespace. When the two match, the endpoint carries the
# hostname and DNS serves `<hostname>.<subdomain>.<namespace>.svc.cluster.local`.

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - name: postgres
    port: 5432
---
apiVersion: v1
kind: Pod
metadata:
  name: db-primary
  labels:
    app: db
spec:
  hostname: primary
  subdomain: db
  containers:
  - name: postgres
    image: postgres
    ports:
    - containerPort: 5432
---
apiVersion: v1
kind: Pod
metadata:
  name: db-stray
  labels:
    app: db
spec:
  hostname: stray
  subdomain: not-db
  containers:
  - name: postgres
    image: postgres
    ports:
    - containerPort: 5432

# %% [markdown]
# `db-primary`'s subdomain matches the Service, so its endpoint gets a hostname; `db-stray`'s does
# not, so it is named by its IP like any other pod:

# %%
(slice_,) = c.list("endpointslices", selector="kubernetes.io/service-name=db")
for endpoint in slice_["endpoints"]:
    print(endpoint["targetRef"]["name"], endpoint["addresses"], endpoint.get("hostname"))

# %%
c.dns_table(service="db")

# %%
# %kubectl exec client -- nslookup primary.db

# %% [markdown]
# Inside the pod, `hostname` is its host name, and the kubelet writes the full name into the
# pod's `/etc/hosts`:

# %%
# %%kubectl
exec db-primary -- hostname
exec db-primary -- cat /etc/hosts

# %% [markdown]
# ## The search path and `ndots:5`
#
# Why did `nslookup web` work with a bare name? Look at the pod's resolver configuration:

# %%
# %%kubectl
exec client -- cat /etc/resolv.conf
get service kube-dns -n kube-system

# %% [markdown]
# The nameserver is the `kube-dns` Service. The `search` line lists domains to append to a name,
# starting with the pod's own namespace. `ndots:5` says when: a name with **fewer than five
# dots** is tried with each search domain first, and as written only at the end; a name ending
# with a dot is complete, and tried only as written. A name with five or more dots is tried as
# written first, and what happens if that fails depends on the C library of the program asking:
# glibc (Debian-based images such as `nginx`) goes on with the search list, musl (Alpine-based
# images such as `nicolaka/netshoot`, which `client` runs) stops there. The SRV name above has
# six dots: one query either way.
#
# A program such as curl, wget or nginx asks through `getaddrinfo`, which wants IPv4 and IPv6
# addresses alike: for every name it tries, it sends **two queries**, an A and an AAAA, at the
# same time. It moves on to the next name only when the answers say the name does not exist
# (NXDOMAIN). An answer "the name exists, with no address of this type" (NODATA, the AAAA of an
# IPv4 Service) still counts as found when the other query has the address.
#
# To see the other namespaces, add one with a Service of its own, `cart` in `shop`:

# %%
# %%kubectl
create namespace shop
create deployment cart -n shop --image=nginx --port=80
expose deployment cart -n shop --port=80

# %% [markdown]
# Now resolve a few names from `client` (in `default`) and count the queries each costs.
# `c.resolve` asks as `client`'s `getaddrinfo` would, and `.tried` lists every query, A and AAAA:

# %%
names = [
    "web",
    "web.default",
    "web.shop",
    "cart",
    "web.default.svc.cluster.local",
    "web.default.svc.cluster.local.",
    "example.com",
]
for name in names:
    answer = c.resolve(name, from_pod="client")
    print(f"{name}  ->  {answer.rcode} {answer.addresses}")
    for query, qtype, rcode in answer.tried:
        print(f"    {qtype:4} {query:56} {rcode}")

# %% [markdown]
# What the list shows:
#
# - `web` is found on the first try, in the pod's own namespace: `web.default.svc.cluster.local`,
#   two queries (the A query brings the ClusterIP, the AAAA query an empty NOERROR).
# - `web.default` first becomes `web.default.default.svc.cluster.local` (no such name), then
#   `web.default.svc.cluster.local`: four queries.
# - `web.shop` fails everywhere: there is no Service `web` in `shop`. A short name always means
#   the pod's namespace first; another namespace has to be named.
# - `cart` fails from `default` for the same reason, although `cart.shop` would work.
# - The full name `web.default.svc.cluster.local` has only four dots, fewer than five, so the
#   resolver still tries the three search domains before asking it as written: eight queries.
#   With a trailing dot it is two.
# - `example.com` costs eight queries: six that the cluster zone answers NXDOMAIN, then the real
#   name, which CoreDNS forwards to its upstream, Docker's DNS on the kind node. This workbook's
#   cluster has no internet connection: Docker's DNS gets no answer from the resolvers beyond it,
#   and after waiting for them it answers **SERVFAIL** ("server failure"), which CoreDNS passes
#   on. A program waits seconds for that answer, and gets "try again later" rather than "no such
#   name". The failures of `web.shop` and `cart` end the same way: their last query, the name as
#   written, leaves the cluster too.
#
# Docker's DNS does know the names of the node containers, though:

# %%
answer = c.resolve("kind-worker", from_pod="client")
print(answer.addresses, list(dict.fromkeys(query for query, _type, _rcode in answer.tried)))

# %% [markdown]
# ## ExternalName: an alias in DNS
#
# An ExternalName Service has no ClusterIP and no endpoints. CoreDNS answers its name with a
# **CNAME** record pointing at `spec.externalName`. A typical use is a stable name in one
# namespace for something that lives elsewhere: here `store` in `default`
# stands for `cart` in `shop`, and `payments` for a host outside the cluster.

# %%
# %%kubectl
create service externalname store --external-name=cart.shop.svc.cluster.local
create service externalname payments --external-name=payments.example.com
get svc store payments
get endpointslices -l kubernetes.io/service-name=store

# %%
for name in ["store", "payments"]:
    answer = c.resolve(name, from_pod="client")
    print(name, answer.rcode)
    for record in answer.records:
        print("   ", record)

# %% [markdown]
# `store` comes back as the CNAME and, because the target is in the cluster zone, CoreDNS adds
# its A record in the same answer. `payments` comes back as the CNAME alone: CoreDNS asked its
# upstream for `payments.example.com` as well, but without an internet connection that lookup
# failed. `nslookup` shows both steps, and the SERVFAIL of the second:

# %%
# %kubectl exec client -- nslookup payments

# %% [markdown]
# kube-proxy ignores ExternalName Services just as it ignores headless ones: there are no rules
# for `store`. A connection to `store:80` goes to whatever the alias resolves to, here the
# ClusterIP of `cart`, whose rules then pick a pod:

# %%
print("rules for store:", len(c.rules_table("kind-worker", service="store")))
t = c.trace("client", "store:80")
print(t.target)
print(t.summary())

# %% [markdown]
# ## Every record at once
#
# `c.dns_table()` lists every record CoreDNS serves for the Services: A records, SRV records for
# named ports, CNAMEs, per-pod names of headless Services, and the reverse (PTR) records. Here are
# the forward records of namespace `default`:

# %%
c.dns_table(namespace="default").query("type != 'PTR'")

# %% [markdown]
# ## Exercise
#
# A program in pod `client` (namespace `default`) connects to `cart.shop`. How many DNS queries
# does its resolver send before it has an address? Work it out from the search path above
# (remember that each name tried costs an A and an AAAA query), then put your number in place
# of `...` and run the cell.

# %%
from kubenet_nb.exercises.dns import SEARCH_QUERIES

answer = ...  # a number of queries, e.g. 7
SEARCH_QUERIES.check(c, answer)

# %% [markdown]
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("07")
