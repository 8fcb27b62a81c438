"""`rules_table`: a node's iptables rules as rows, line for line with `c.iptables_save(node)`.

iptables-save writes each table as `*name`, chain declarations, then `-A CHAIN …` lines, chain
by chain, ending with COMMIT; arguments with blanks are double-quoted with `\\` and `"` escaped
(iptables/iptables-save.c, libxtables `xtables_save_string`). kube-proxy's rule comments name
the service port as `ns/name:port` (pkg/proxy/iptables/proxier.go); its per-service chains are
KUBE-SVC/SVL/EXT/FW-<hash> and KUBE-SEP-<hash> (`servicePortChainName`,
`servicePortEndpointChainName`).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubenet_nb import Cluster
from kubenet_nb.api.errors import NotFound
from kubenet_nb.network.netfilter.syntax import token_spans, tokens
from kubenet_nb.views.tables.endpoints import endpoints_table
from kubenet_nb.views.tables.rules import RULE_COLUMNS, rules_frame, rules_table


@pytest.fixture(scope="module")
def c() -> Cluster:
    cluster = Cluster()
    cluster.kubectl("create deployment web --image=nginx --replicas=3 --port=80")
    cluster.kubectl("expose deployment web --port=80 --type=NodePort")
    cluster.kubectl("create deployment api --image=nginx --replicas=1 --port=8080")
    cluster.kubectl("expose deployment api --port=80 --target-port=8080")
    return cluster


def rule_lines(text: str) -> list[tuple[str, str]]:
    """(table, line) of every `-A` line, in order."""
    table, found = "", []
    for line in text.splitlines():
        if line.startswith("*"):
            table = line[1:]
        elif line.startswith("-A "):
            found.append((table, line))
    return found


@pytest.mark.parametrize("node", ["kind-control-plane", "kind-worker", "kind-worker2"])
def test_line_for_line(c: Cluster, node: str) -> None:
    text = c.iptables_save(node)
    table = rules_table(c, node)
    lines = rule_lines(text)
    assert list(zip(table["table"], table["rule"], strict=True)) == lines
    positions: dict[tuple[str, str], int] = {}
    for _, each in table.iterrows():
        key = (each["table"], each["chain"])
        positions[key] = positions.get(key, 0) + 1
        assert each["position"] == positions[key]
        assert each["rule"].startswith(f"-A {each['chain']} ")


def test_parts_rebuild_the_line(c: Cluster) -> None:
    """matches + comment + target hold every argument of the line, in order, nothing more."""
    for _, each in rules_table(c, "kind-worker").iterrows():
        words = tokens(each["rule"])[2:]
        if not pd.isna(each["comment"]):
            at = words.index("comment") - 1
            assert words[at : at + 4] == ["-m", "comment", "--comment", each["comment"]]
            del words[at : at + 4]
        target = [] if pd.isna(each["target"]) else ["-j", *tokens(each["target"])]
        assert words == tokens(each["matches"]) + target


def test_kube_services_rows(c: Cluster) -> None:
    web = c.get("svc", "web")["spec"]["clusterIP"]
    rows = rules_table(c, "kind-worker", "nat", "KUBE-SERVICES")
    row = rows[rows["comment"] == "default/web cluster IP"].iloc[0]
    assert row["matches"] == f"-d {web}/32 -p tcp -m tcp --dport 80"
    assert row["target"].startswith("KUBE-SVC-")
    last = rows.iloc[-1]
    assert last["comment"] == (
        "kubernetes service nodeports; NOTE: this must be the last rule in this chain"
    )
    assert (last["matches"], last["target"]) == ("-m addrtype --dst-type LOCAL", "KUBE-NODEPORTS")
    assert set(rules_table(c, "kind-worker", "filter")["table"]) == {"filter"}


def test_targets_keep_their_options(c: Cluster) -> None:
    nat = rules_table(c, "kind-worker", "nat")
    dnat = nat[nat["target"].str.startswith("DNAT")]
    assert not dnat.empty
    assert dnat["target"].str.fullmatch(r"DNAT --to-destination [\d.]+:\d+").all()
    masquerade = nat[nat["chain"] == "KUBE-POSTROUTING"]["target"].tolist()
    assert masquerade == ["RETURN", "MARK --set-xmark 0x4000/0x0", "MASQUERADE --random-fully"]


def test_service_rows(c: Cluster) -> None:
    table = rules_table(c, "kind-worker", service="web")
    chains = set(table["chain"])
    assert {"KUBE-SERVICES", "KUBE-NODEPORTS"} <= chains
    prefixes = {name.split("-")[1] for name in chains if name.count("-") == 2}
    assert prefixes == {"SVC", "EXT", "SEP"}
    assert table["rule"].str.contains("default/api").sum() == 0
    assert rules_table(c, "kind-worker", service="default/web").equals(table)
    # Every rule in the service's own chains is there, uncommented ones included.
    everything = rules_table(c, "kind-worker")
    own = [n for n in chains if n.startswith(("KUBE-SVC-", "KUBE-EXT-", "KUBE-SEP-"))]
    assert everything["chain"].isin(own).sum() == table["chain"].isin(own).sum()
    assert table["comment"].isna().any()


def test_service_rows_match_the_endpoints_table(c: Cluster) -> None:
    """The KUBE-SVC chain jumps to the ready endpoints in the endpoints table's order."""
    rules = rules_table(c, "kind-worker", "nat", service="api")
    svc_chain = rules[rules["chain"].str.startswith("KUBE-SVC-")]
    jumps = svc_chain[svc_chain["target"].str.startswith("KUBE-SEP-")]["comment"].tolist()
    endpoints = endpoints_table(c, "default", "api", wide=True)
    expected = [
        f"default/api -> {ip}:{port}"
        for ip, port in zip(endpoints["endpoint_ip"], endpoints["endpoint_port"], strict=True)
    ]
    assert jumps == expected


def test_unknown_service(c: Cluster) -> None:
    with pytest.raises(NotFound) as refused:
        rules_table(c, "kind-worker", service="nope")
    assert str(refused.value) == 'Error from server (NotFound): services "nope" not found'


def test_default_node_and_filters(c: Cluster) -> None:
    assert rules_table(c).equals(rules_table(c, "kind-worker"))
    assert rules_table(c, chain="NO-SUCH-CHAIN").empty
    assert list(rules_table(c, chain="NO-SUCH-CHAIN").columns) == list(RULE_COLUMNS)


HAND_WRITTEN = r"""# Generated by iptables-save
*filter
:INPUT ACCEPT [0:0]
:KUBE-X - [0:0]
-A INPUT -m comment --comment "a \"quoted\" \\ comment" -p tcp -m tcp --dport 80 -j ACCEPT
-A INPUT -g KUBE-X
-A KUBE-X -s 10.0.0.0/8
-A INPUT ! -i lo -m comment --comment plain -j DROP
-A INPUT -m comment --comment -j -m recent --set --name seen -j ACCEPT
COMMIT
"""


def test_hand_written_text() -> None:
    table = rules_frame(HAND_WRITTEN)
    rows = table.drop(columns="rule").astype(object).where(table.notna(), None)
    assert rows.values.tolist() == [
        ["filter", "INPUT", 1, "-p tcp -m tcp --dport 80", "ACCEPT", 'a "quoted" \\ comment'],
        ["filter", "INPUT", 2, "", "KUBE-X [goto]", None],
        ["filter", "KUBE-X", 1, "-s 10.0.0.0/8", None, None],
        ["filter", "INPUT", 3, "! -i lo", "DROP", "plain"],
        ["filter", "INPUT", 4, "-m recent --set --name seen", "ACCEPT", "-j"],
    ]
    assert table.dtypes.astype(str).to_dict() == RULE_COLUMNS


def test_spacing_inside_a_part_is_kept(c: Cluster) -> None:
    """iptables-save writes `--nfacct-name  name` with two blanks (libxt_NFACCT's save)."""
    ports = rules_table(c, "kind-worker", "nat", "KUBE-NODEPORTS")
    counted = ports[ports["matches"].str.contains("nfacct")]
    assert counted["matches"].str.contains("--nfacct-name  localhost_nps_accepted_pkts").all()


WORD = st.text(alphabet='ab-:!/\\"', min_size=1, max_size=6).filter(
    lambda w: not w.startswith('"') and '"' not in w
)
QUOTED = st.text(alphabet='ab :\\"{}<>', max_size=8).map(
    lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
)


@given(st.lists(st.one_of(WORD, QUOTED), min_size=1, max_size=8))
def test_spans_split_as_the_parser_does(words: list[str]) -> None:
    line = " ".join(words)
    assert [line[start:end] for start, end in token_spans(line)] == words
    assert len(tokens(line)) == len(words)
