"""`kubectl describe` for NetworkPolicies (describe/networkpolicy.py)."""

from __future__ import annotations

from kubenet_nb import Cluster

# kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeNetworkPolicies: the
# same policy, as YAML.
POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: network-policy-1, namespace: default}
spec:
  podSelector:
    matchLabels: {id1: app1, id2: app2}
    matchExpressions:
    - {key: foo, operator: In, values: [bar1, bar2]}
    - {key: foo2, operator: NotIn, values: [bar1, bar2]}
  ingress:
  - ports: [{port: 80}, {port: 82, protocol: TCP}]
    from:
    - podSelector: {matchLabels: {id: pod1, id2: pod2}}
      namespaceSelector: {matchLabels: {id: ns1, id2: ns2}}
    - podSelector: {matchLabels: {id: app2, id2: app3}}
    - namespaceSelector: {matchLabels: {id: app2, id2: app3}}
    - namespaceSelector:
        matchLabels: {id: app2, id2: app3}
        matchExpressions: [{key: foo, operator: In, values: [bar1, bar2]}]
    - ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}
  - {}
  egress:
  - ports: [{port: 80}, {port: 82, protocol: TCP}]
    to:
    - podSelector: {matchLabels: {id: pod1, id2: pod2}}
      namespaceSelector: {matchLabels: {id: ns1, id2: ns2}}
    - podSelector: {matchLabels: {id: app2, id2: app3}}
    - namespaceSelector: {matchLabels: {id: app2, id2: app3}}
    - namespaceSelector:
        matchLabels: {id: app2, id2: app3}
        matchExpressions: [{key: foo, operator: In, values: [bar1, bar2]}]
    - ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}
  - {}
  policyTypes: [Ingress, Egress]
"""

# TestDescribeNetworkPolicies' expected text; only `Created on` differs (the cluster's clock, in
# UTC, instead of the test's 2017-06-04 21:45:56 -0700 PDT).
EXPECTED = """Name:         network-policy-1
Namespace:    default
Created on:   2025-01-01 00:05:00 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     foo in (bar1,bar2),foo2 notin (bar1,bar2),id1=app1,id2=app2
  Allowing ingress traffic:
    To Port: 80/TCP
    To Port: 82/TCP
    From:
      NamespaceSelector: id=ns1,id2=ns2
      PodSelector: id=pod1,id2=pod2
    From:
      PodSelector: id=app2,id2=app3
    From:
      NamespaceSelector: id=app2,id2=app3
    From:
      NamespaceSelector: foo in (bar1,bar2),id=app2,id2=app3
    From:
      IPBlock:
        CIDR: 192.168.0.0/16
        Except: 192.168.3.0/24, 192.168.4.0/24
    ----------
    To Port: <any> (traffic allowed to all ports)
    From: <any> (traffic not restricted by source)
  Allowing egress traffic:
    To Port: 80/TCP
    To Port: 82/TCP
    To:
      NamespaceSelector: id=ns1,id2=ns2
      PodSelector: id=pod1,id2=pod2
    To:
      PodSelector: id=app2,id2=app3
    To:
      NamespaceSelector: id=app2,id2=app3
    To:
      NamespaceSelector: foo in (bar1,bar2),id=app2,id2=app3
    To:
      IPBlock:
        CIDR: 192.168.0.0/16
        Except: 192.168.3.0/24, 192.168.4.0/24
    ----------
    To Port: <any> (traffic allowed to all ports)
    To: <any> (traffic not restricted by destination)
  Policy Types: Ingress, Egress"""


def test_network_policy_matches_upstream() -> None:
    c = Cluster()
    c.apply(POLICY)
    assert c.kubectl("describe networkpolicy network-policy-1") == EXPECTED


def test_deny_all_ingress_policy() -> None:
    # describe_test.go TestDescribeIngressNetworkPolicies' shape: no rules isolates the pods.
    c = Cluster()
    c.apply(
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""
    )
    assert c.kubectl("describe netpol deny").endswith(
        "Spec:\n"
        "  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n"
        "  Allowing ingress traffic:\n"
        "    <none> (Selected pods are isolated for ingress connectivity)\n"
        "  Not affecting egress traffic\n"
        "  Policy Types: Ingress"
    )
