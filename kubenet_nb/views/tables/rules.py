"""The iptables rules of a node as a table: one row per `-A` line of `c.iptables_save(node)`.

Each line is read with the netfilter parser the packet walk uses (`parse_rule`), so the table,
the walk and `iptables-save` are one source of truth. `position` is the rule's
1-based place in its chain (`iptables -L --line-numbers`); `matches` is the line's own text
between the chain and the target, without the comment match; `target` is what follows `-j`
(`-g` marked `[goto]`); `rule` is the whole line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from kubenet_nb.network.netfilter import parse_rule
from kubenet_nb.network.netfilter.syntax import FLAGS, JUMPS, token_spans
from kubenet_nb.network.proxy.chains import (
    EXTERNAL_PREFIX,
    FIREWALL_PREFIX,
    LOCAL_PREFIX,
    SERVICE_PREFIX,
    port_proto_hash,
    service_port_name,
)

if TYPE_CHECKING:
    from kubenet_nb.views.workbook import Workbook

__all__ = ["RULE_COLUMNS", "rules_frame", "rules_table"]

RULE_COLUMNS = {
    "table": "string",
    "chain": "string",
    "position": "Int64",
    "matches": "string",
    "target": "string",
    "comment": "string",
    "rule": "string",
}
"""The columns of `rules_table`, in order, with their pandas dtypes."""


def _split(line: str) -> tuple[str, str]:
    """(matches, target) texts of one `-A` line, as written (spacing kept within each part).

    Options are stepped over as the netfilter parser reads them (a value after each, but for
    `!` and the value-less FLAGS), so a value that looks like `-j` is not taken for the jump.
    """
    spans = token_spans(line)
    words = [line[start:end] for start, end in spans]
    kept: list[int] = []
    target = ""
    i = 2
    while i < len(words):
        word = words[i]
        if word in JUMPS:
            target = line[spans[i + 1][0] :] if i + 1 < len(spans) else ""
            target += " [goto]" if JUMPS[word] else ""
            break
        if words[i : i + 3] == ["-m", "comment", "--comment"] and i + 3 < len(words):
            i += 4
            continue
        width = 1 if word == "!" or word in FLAGS else 2
        kept += range(i, min(i + width, len(words)))
        i += width
    pieces: list[str] = []
    for n, index in enumerate(kept):
        if n:
            pieces.append(
                line[spans[index - 1][1] : spans[index][0]] if kept[n - 1] == index - 1 else " "
            )
        pieces.append(words[index])
    return "".join(pieces), target


def rules_frame(text: str) -> pd.DataFrame:
    """iptables-save text as rows (table, chain, position, matches, target, comment, rule),
    one per `-A` line, in the text's order."""
    rows = []
    table = ""
    positions: dict[tuple[str, str], int] = {}
    for line in text.split("\n"):
        if line.startswith("*"):
            table = line[1:].strip()
            continue
        if not line.startswith("-A "):
            continue
        rule = parse_rule(line)
        position = positions[(table, rule.chain)] = positions.get((table, rule.chain), 0) + 1
        comment = rule.match("comment")
        matches, target = _split(line)
        rows.append(
            (
                table,
                rule.chain,
                position,
                matches,
                target or None,
                comment.value("--comment") if comment is not None else None,
                line,
            )
        )
    return pd.DataFrame(rows, columns=list(RULE_COLUMNS)).astype(RULE_COLUMNS)


def _service_filter(cluster: Workbook, frame: pd.DataFrame, service: str) -> pd.Series:
    """Rows about one Service ("name" in default, or "namespace/name"): in or jumping to its
    chains (KUBE-SVC/SVL/EXT/FW of each port, and the KUBE-SEP chains those jump to), or with
    a comment naming it (`ns/name` or `ns/name:port`, as kube-proxy writes them)."""
    namespace, _, name = service.rpartition("/")
    obj = cluster.get("service", name, namespace or "default")
    namespace = obj["metadata"]["namespace"]
    chains: set[str] = set()
    for port in (obj.get("spec") or {}).get("ports") or ():
        spn = service_port_name(namespace, name, port.get("name", ""))
        digest = port_proto_hash(spn, (port.get("protocol") or "TCP").lower())
        prefixes = (SERVICE_PREFIX, LOCAL_PREFIX, EXTERNAL_PREFIX, FIREWALL_PREFIX)
        chains.update(prefix + digest for prefix in prefixes)
    jumps = frame["target"].fillna("").str.split(" ").str[0]
    owned = frame["chain"].isin(chains)
    chains.update(jumps[owned & jumps.str.startswith("KUBE-SEP-")])
    pattern = rf"(?:^|\s){re.escape(f'{namespace}/{name}')}(?::\S+)?(?:\s|$)"
    named = frame["comment"].fillna("").str.contains(pattern, regex=True)
    return frame["chain"].isin(chains) | jumps.isin(chains) | named


def rules_table(
    cluster: Workbook,
    node: str | None = None,
    table: str | None = None,
    chain: str | None = None,
    service: str | None = None,
) -> pd.DataFrame:
    """The iptables rules kube-proxy wrote on a node (default: as `c.iptables_save`), one row
    per line; narrowed to a table (`nat`, `filter`), a chain, or the rules of one Service.

    >>> from kubenet_nb import Cluster
    >>> frame = rules_table(Cluster(), "kind-worker", "nat", "KUBE-SERVICES")
    >>> print(*frame.loc[0, ["position", "matches", "target"]], sep=" | ")
    1 | -d 10.96.0.1/32 -p tcp -m tcp --dport 443 | KUBE-SVC-NPX46M4PTMTKRN6Y
    """
    frame = rules_frame(cluster.iptables_save(node))
    keep = pd.Series(True, index=frame.index)
    if table is not None:
        keep &= frame["table"] == table
    if chain is not None:
        keep &= frame["chain"] == chain
    if service is not None:
        keep &= _service_filter(cluster, frame, service)
    return frame[keep].reset_index(drop=True)
