# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # kube-proxy under the hood
#
# A ClusterIP is not on any interface. It works because kube-proxy, on every node, writes NAT
# rules into the kernel (here in its `iptables` mode). This notebook reads those rules for one
# Service, rule by rule. You will learn:
#
# - the path of a new connection through `KUBE-SERVICES` → `KUBE-SVC-…` → `KUBE-SEP-…`, and
#   where the address is rewritten (DNAT);
# - why the `--probability` values read 1/4, 1/3, 1/2 for four endpoints, and why that gives
#   each endpoint the same share;
# - the load distribution they produce over many connections;
# - how `sessionAffinity: ClientIP` pins a client to one backend with the `recent` match.

# %%
import re
from fractions import Fraction

import pandas as pd

import kubenet_nb
from kubenet_nb import Cluster

# %load_ext kubenet_nb
pd.set_option("display.max_colwidth", None)  # show rules whole
c = kubenet_nb.use(Cluster(seed=8))  # the seed fixes every name, IP and random choice

# %% [markdown]
# kubectl drives the cluster (`%kubectl` runs one command line, `%%kubectl` one per line); Python
# reads the rules kube-proxy wrote, as tables (`c.rules_table`) or as `iptables-save` prints them.

# %%
# %%kubectl
create deployment web --image=registry.k8s.io/e2e-test-images/agnhost:2.52 --replicas=4 \
    --port=8080 -- /agnhost netexec --http-port=8080
expose deployment web --port=80 --target-port=8080
run client --image=nicolaka/netshoot -- sleep infinity
get pods -o wide

# %% [markdown]
# `web` has four endpoints, one per pod, and a ClusterIP:

# %%
# %%kubectl
get service web
get endpointslices -l kubernetes.io/service-name=web -o wide

# %% [markdown]
# ## Step 1: `KUBE-SERVICES`, one entry per Service port
#
# The nat table sees the first packet of every connection. Whether it comes from a pod
# (`PREROUTING`) or from a program on the node itself (`OUTPUT`), kube-proxy sends it to its
# `KUBE-SERVICES` chain. These are the rules of the node `client` runs on:

# %%
node = c.get("pod", "client")["spec"]["nodeName"]  # client's packets meet this node's rules
print(node)
nat = c.rules_table(node, table="nat")
nat[nat["target"] == "KUBE-SERVICES"][["chain", "rule"]]

# %% [markdown]
# `KUBE-SERVICES` holds one rule per ClusterIP and port: a packet for `web`'s ClusterIP on port
# 80 jumps to `web`'s own chain. The last rule sends packets addressed to the node itself to the
# NodePort chain.

# %%
columns = ["position", "matches", "target", "comment"]
c.rules_table(node, table="nat", chain="KUBE-SERVICES")[columns]

# %% [markdown]
# ## Step 2: `KUBE-SVC-…`, the Service's chain
#
# The chain is named `KUBE-SVC-` plus a hash of the Service port. Its first rule sends packets
# whose source is outside the pod network (`! -s 10.244.0.0/16`, a node's own for example) to
# `KUBE-MARK-MASQ`. Then comes one rule per endpoint, each a jump to that endpoint's chain, all
# but the last with a random `statistic` match:

# %%
rules = c.rules_table(node, table="nat", service="web")
svc = rules[rules["chain"].str.startswith("KUBE-SVC-")]
svc[columns]

# %% [markdown]
# ## Step 3: `KUBE-SEP-…`, one chain per endpoint
#
# Each endpoint chain does two things. Its first rule marks a packet for masquerading when the
# endpoint is talking to itself through the Service (a "hairpin": source and destination would
# otherwise be the same pod). Its second rule is the **DNAT**: the destination becomes the pod's
# IP and target port.

# %%
sep = rules[rules["chain"].str.startswith("KUBE-SEP-")]
sep[["chain", "position", "matches", "target"]]

# %% [markdown]
# `KUBE-MARK-MASQ` only sets a bit (`0x4000`) in the packet's mark. After routing,
# `KUBE-POSTROUTING` returns at once for a packet without that bit; for a marked one it clears the
# bit and masquerades the packet: its source becomes the address of the node's outgoing
# interface, so the reply comes back through this node.

# %%
masq = nat[nat["chain"].isin(["KUBE-MARK-MASQ", "KUBE-POSTROUTING"])]
masq[["chain", "position", "matches", "target"]]

# %% [markdown]
# ## One connection, hop by hop
#
# `c.trace` walks a new connection from `client` through these very rules. Here are the hops on
# the client's node that go through the Service's chains, each with the rule that matched, then
# the way back and the verdict. The trace draws a random number at each `statistic` rule, as the
# kernel does, so another connection may take another branch.

# %%
t = c.trace("client", "web")
hops = t.to_frame()
kube = hops[(hops["node"] == node) & hops["chain"].str.startswith(("KUBE-SVC-", "KUBE-SEP-"))]
for hop in kube.itertuples():
    print(f"{hop.chain}: {hop.action}")
    print(f"    {hop.rule}")
for hop in hops[hops["stage"] == "reply"].itertuples():
    print(f"reply on {hop.node}: {hop.action}")
print(t.summary())

# %% [markdown]
# The same connection on the map of the cluster: the request to the ClusterIP, then the DNAT to
# the chosen pod.

# %%
c.topology(namespace="default", highlight=t)

# %% [markdown]
# Between the DNAT and the reply, the packet, now addressed to the pod, is routed (to another
# node if the pod lives there) and passes the filter table; the reply comes back through
# conntrack, which undoes the DNAT so that `client` sees the answer come from the ClusterIP.
# `print(t)` shows every hop.
#
# ## Why 1/4, 1/3, 1/2 is fair
#
# The rules in `KUBE-SVC-…` are tried in order, and the first whose random draw succeeds wins.
# The probabilities are **conditional**: the second jump is only tried when the first one's draw
# failed, and so on. With `n` endpoints, jump `i` carries `1/(n-i+1)`: 1/4, 1/3, 1/2 and, last,
# no draw at all.
#
# The cell below reads the probabilities from the rules themselves (as `iptables-save` prints
# them: kube-proxy writes 1/3 as `0.3333333333`, the kernel keeps it as a 31-bit fraction, and
# it comes back as `0.33333333349`), then works out the chance that a connection *reaches* each
# rule and the chance that the rule *picks* it:

# %%
print(f"1/3 as the kernel keeps it: {round(0x80000000 * 0.3333333333) / 0x80000000:.11f}")

# %%
rows = []
reached = 1.0  # the chance that a new connection gets as far as this rule
for jump, rule in enumerate(svc[svc["target"].str.startswith("KUBE-SEP-")].itertuples(), start=1):
    found = re.search(r"--probability (\S+)", rule.matches)
    p = float(found.group(1)) if found else 1.0  # the last rule has no draw: always taken
    rows.append(
        {
            "jump": jump,
            "endpoint": rule.comment.split(" -> ")[1],
            "--probability": p,
            "as a fraction": str(Fraction(p).limit_denominator(100)),
            "reached": round(reached, 6),
            "picked": round(reached * p, 6),
        }
    )
    reached *= 1 - p
pd.DataFrame(rows)

# %% [markdown]
# The first jump picks a quarter of all connections. The other three quarters reach the second,
# which takes a third of them: again a quarter of the total. The third takes half of the
# remaining half, and the fourth takes whatever is left. Every endpoint gets 1/4. The same holds
# for any `n`: jump `i` is reached with chance `(n-1)/n · (n-2)/(n-1) · … = (n-i+1)/n` (the
# product telescopes) and taken with `1/(n-i+1)`, which makes `1/n` for every `i`.
#
# ## The load it gives
#
# `c.send` opens many new connections through the same rules and counts where each landed. With
# 10,000 connections each pod gets close to a quarter, and no pod is favoured:

# %%
load = c.send("client", "web", n=10_000)
load

# %%
for row in load.itertuples():
    bar = "█" * round(row.share * 100)
    print(f"{row.pod}  {bar} {row.count}")

# %% [markdown]
# Each connection is a fresh draw, so the split is only even on average: over a handful of
# connections it can look lopsided. Ask the pods themselves; agnhost's `/hostname` answers with
# the pod's name:

# %%
# %%kubectl
exec client -- curl -s http://web/hostname
exec client -- curl -s http://web/hostname
exec client -- curl -s http://web/hostname
exec client -- curl -s http://web/hostname

# %% [markdown]
# ## Session affinity: `ClientIP`
#
# Some applications want every connection from one client to reach the same pod.
# `sessionAffinity: ClientIP` asks kube-proxy for that. Expose the same pods a second time, with
# affinity:

# %%
# %%kubectl
expose deployment web --name=sticky --port=80 --target-port=8080 \
    --session-affinity=ClientIP

# %%
# %kubectl get service sticky -o jsonpath='{.spec.sessionAffinityConfig}'

# %% [markdown]
# The API server filled in the default timeout, 10800 seconds (three hours). The rules change in
# two places. In `KUBE-SVC-…`, before the random rules, there is one `recent --rcheck` rule per
# endpoint: "if this source address is on the list named after this endpoint, seen within the
# last 10800 seconds, go there". In each `KUBE-SEP-…`, the DNAT rule gains `recent --set`, which
# puts the client's address on that endpoint's list.

# %%
sticky = c.rules_table(node, table="nat", service="sticky")
sticky[sticky["chain"].str.startswith("KUBE-SVC-")][["position", "matches", "target"]]

# %%
sticky_sep = sticky[sticky["chain"].str.startswith("KUBE-SEP-")]
sticky_sep[sticky_sep["target"].str.startswith("DNAT")][["chain", "matches", "target"]]

# %% [markdown]
# The first connection from `client` goes through the random rules and lands somewhere; from
# then on the `--rcheck` rule for that endpoint matches first. Every one of 1,000 connections
# reaches the same pod:

# %%
c.send("client", "sticky", n=1000)

# %% [markdown]
# The lists are kept per source address, so another client makes its own first draw and is then
# pinned in turn (here to another pod, by chance):

# %%
# %kubectl run client2 --image=nicolaka/netshoot -- sleep infinity

# %%
c.send("client2", "sticky", n=1000)

# %% [markdown]
# `curl` from `client` agrees, and `/clientip` shows the address the pod saw, the one the lists
# are keyed on:

# %%
# %%kubectl
exec client -- curl -s http://sticky/hostname
exec client -- curl -s http://sticky/hostname
exec client -- curl -s http://sticky/hostname
exec client -- curl -s http://sticky/clientip

# %% [markdown]
# The pin lasts as long as the client keeps coming back: each new connection passes the `--set`
# rule again, which renews the client's entry. After three hours without one, the `--rcheck` rules
# no longer match, and the next connection makes a fresh random choice (here it lands on another
# pod; it could have been the same one):

# %%
c.advance(10_801)
c.send("client", "sticky", n=1000)

# %% [markdown]
# ## Exercise
#
# Scale `web` to six replicas. kube-proxy rewrites `web`'s chains on every node; the cell below
# does not show them. On `kind-worker`, what `--probability` is on the **third** jump from
# `web`'s `KUBE-SVC-…` chain to a `KUBE-SEP-…` chain? Write a number or a fraction (`0.5` or
# `"1/2"`) in place of `...` and run the cell.

# %%
# %kubectl scale deployment web --replicas=6

# %%
from kubenet_nb.exercises.kube_proxy import RULE_PROBABILITY

answer = ...  # a number or a fraction, e.g. 0.5 or "1/2"
RULE_PROBABILITY.check(c, answer)

# %% [markdown]
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("08")
