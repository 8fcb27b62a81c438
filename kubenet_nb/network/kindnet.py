"""kindnet's own iptables rules on a kind node: the masquerade agent (KIND-MASQ-AGENT).

kindnetd (images/kindnetd/cmd/kindnetd/masq.go in kubernetes-sigs/kind) appends to nat
POSTROUTING a jump for every packet not bound to a local address, then RETURNs for the pod
subnet (`POD_SUBNET`, the cluster's pod CIDR) and MASQUERADEs the rest: pod-to-pod traffic
keeps its addresses, traffic from pods to anything else (node IPs, the outside) leaves with the
node's address. These rules are not kube-proxy's: `with_kindnet` adds them to kube-proxy's
`iptables_save` text where iptables-save on the node lists them (kube-proxy prepends its
POSTROUTING jump, kindnet appends), and the walk evaluates them in that same order.
"""

from __future__ import annotations

__all__ = ["MASQ_CHAIN", "masq_agent_rules", "pod_subnets", "with_kindnet"]

MASQ_CHAIN = "KIND-MASQ-AGENT"


def masq_agent_rules(pod_subnets: list[str]) -> str:
    """kindnet's nat rules as iptables-save prints them."""
    lines = [
        "*nat",
        ":POSTROUTING ACCEPT [0:0]",
        f":{MASQ_CHAIN} - [0:0]",
        '-A POSTROUTING -m addrtype ! --dst-type LOCAL -m comment --comment "kind-masq-agent:'
        " ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom"
        f' {MASQ_CHAIN} chain" -j {MASQ_CHAIN}',
    ]
    lines += [
        f'-A {MASQ_CHAIN} -d {subnet} -m comment --comment "kind-masq-agent: local traffic is'
        ' not subject to MASQUERADE" -j RETURN'
        for subnet in pod_subnets
    ]
    lines.append(
        f'-A {MASQ_CHAIN} -m comment --comment "kind-masq-agent: outbound traffic is subject'
        ' to MASQUERADE (must be last in chain)" -j MASQUERADE'
    )
    lines.append("COMMIT")
    return "\n".join(lines) + "\n"


def pod_subnets(pod_cidr: str) -> list[str]:
    """kindnet's POD_SUBNET: the cluster's pod CIDRs (comma-separated for dual stack)."""
    return [cidr.strip() for cidr in pod_cidr.split(",") if cidr.strip()]


def with_kindnet(text: str, pod_subnets: list[str]) -> str:
    """kube-proxy's iptables-save text with kindnet's nat chain and rules merged in.

    The chain is declared after the nat table's other chains; the POSTROUTING jump follows the
    table's own POSTROUTING rules; the chain's rules close the table. String searches, not a
    pass over every line: this runs on every first trace after a change.
    """
    extra = masq_agent_rules(pod_subnets).splitlines()
    declaration = next(line for line in extra if line.startswith(f":{MASQ_CHAIN} "))
    jump = "".join(f"{line}\n" for line in extra if line.startswith("-A POSTROUTING "))
    body = "".join(f"{line}\n" for line in extra if line.startswith(f"-A {MASQ_CHAIN} "))
    start = text.index("*nat\n")
    end = text.index("\nCOMMIT\n", start) + 1
    first_rule = text.find("\n-A ", start, end) + 1 or end
    last_jump = text.rfind("\n-A POSTROUTING ", start, end)
    after_jump = text.index("\n", last_jump + 1) + 1 if last_jump >= 0 else end
    return "".join(
        (
            text[:first_rule],
            declaration,
            "\n",
            text[first_rule:after_jump],
            jump,
            text[after_jump:end],
            body,
            text[end:],
        )
    )
