"""`Trace.steps`: the short form of a trace that notebooks 04-06 print."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

from kubenet_nb import Cluster
from kubenet_nb.network.trace import Steps, Trace

OUTSIDE = "172.18.0.1"


def notebook_helper(trace: Trace, chains: tuple[str, ...] = ()) -> str:
    """What the `steps` function defined in notebooks 04-06 printed: the method replaces it,
    so their outputs must not change."""
    out = io.StringIO()
    with redirect_stdout(out):
        for hop in trace.to_frame().itertuples():
            rewrites = hop.action.startswith(("DNAT", "MASQUERADE", "DROP", "REJECT"))
            matched = bool(chains) and hop.chain.startswith(tuple(chains)) and bool(hop.rule)
            if hop.stage != "netfilter" or rewrites or matched:
                where = f"{hop.chain}: " if hop.stage == "netfilter" else ""
                print(f"{hop.stage:<9} {hop.node:<18} {where}{hop.action}")
        print(trace.summary())
    return out.getvalue()


def cluster() -> tuple[Cluster, str, int]:
    c = Cluster(seed=5)
    c.kubectl("create deployment web --image=nginx --replicas=1 --port=80")
    c.kubectl("expose deployment web --type=NodePort --port=80")
    c.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    node = c.get("node", "kind-control-plane")["status"]["addresses"]
    ip = next(a["address"] for a in node if a["type"] == "InternalIP")
    return c, ip, c.get("svc", "web")["spec"]["ports"][0]["nodePort"]


def test_steps_print_what_the_notebook_helper_printed() -> None:
    c, ip, node_port = cluster()
    traces = [
        c.trace(OUTSIDE, f"{ip}:{node_port}", seed=1),
        c.trace("client", "web", seed=1),
        c.trace("client", "nowhere", seed=1),
        c.trace(OUTSIDE, f"{ip}:81", seed=1),
    ]
    for trace in traces:
        assert str(trace.steps()) + "\n" == notebook_helper(trace)
        chains = ("KUBE-NODEPORTS", "KUBE-EXT")
        assert str(trace.steps(chains=list(chains))) + "\n" == notebook_helper(trace, chains)


def test_steps_keep_the_moves_and_the_verdict() -> None:
    c, ip, node_port = cluster()
    lines = c.trace(OUTSIDE, f"{ip}:{node_port}", seed=1).steps().splitlines()
    assert lines[0] == (
        f"route     kind-control-plane {OUTSIDE} → kind-control-plane eth0 (its InternalIP)"
    )
    assert any(" KUBE-POSTROUTING: MASQUERADE " in line for line in lines)
    assert sum(" DNAT " in line for line in lines) == 1
    assert lines[-1].startswith("delivered: delivered to default/web-")
    assert not any(line.startswith("netfilter") and "jump to" in line for line in lines)


def test_one_chain_prefix_may_be_a_string() -> None:
    c, ip, node_port = cluster()
    trace = c.trace(OUTSIDE, f"{ip}:{node_port}", seed=1)
    by_string = trace.steps(chains="KUBE-NODEPORTS")
    assert by_string == trace.steps(chains=["KUBE-NODEPORTS"])
    assert "KUBE-NODEPORTS: jump to KUBE-EXT-" in by_string


def test_the_repr_is_the_text_itself() -> None:
    c, _ip, _port = cluster()
    steps = c.trace("client", "web", seed=1).steps()
    assert isinstance(steps, Steps)
    assert repr(steps) == str(steps)
    assert not str(steps).endswith("\n")
