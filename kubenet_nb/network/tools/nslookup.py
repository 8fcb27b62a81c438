"""`nslookup` in a pod: busybox's for busybox and Alpine images, BIND's for the others.

BIND's comes from the DNS package (`kubenet_nb.network.dns.nslookup`). busybox's (networking/
nslookup.c with FEATURE_NSLOOKUP_BIG, busybox 1.36) works differently, and prints differently:

- it reads resolv.conf itself: a name without a dot gets one query per search domain, a name
  with a dot is asked as is only (so `webapp1.default` is NXDOMAIN; ndots plays no part);
- without `-type` it asks A and then AAAA for each of those names, all at once, and prints each
  reply as it arrives (here: in the order sent): `** server can't find NAME: NXDOMAIN`, or the
  records, or for an empty answer nothing, each reply followed by an empty line;
- `Server:\\t\\tIP` and `Address:\\tIP:53` open the output at the first reply;
  `Non-authoritative answer:` precedes a reply without the AA flag;
- the exit status is 1 if any reply was an error, so a search list always fails in a pod.

When no server answers (a NetworkPolicy drops the queries) busybox prints `;; connection timed
out; no servers could be reached` and an empty line; BIND 9.18 one `;; communications error to
IP#53: timed out` per try, then `;; no servers could be reached` (bin/dig/dighost.c); both exit 1.
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.network.dns import cluster_dns_state
from kubenet_nb.network.dns import nslookup as bind_nslookup
from kubenet_nb.network.dns.records import Record, absolute
from kubenet_nb.network.dns_path import pod_dns_drop
from kubenet_nb.network.tools.process import Context, Execution

__all__ = ["run_nslookup"]

BIND_TRIES = 3
"""BIND's tries when resolv.conf sets no `attempts` (lib/irs/resconf.c: attempts = 3), each
one a `communications error ... timed out` line before `no servers could be reached`."""
QUERY_TYPES = ("SOA", "NS", "A", "AAAA", "CNAME", "MX", "TXT", "SRV", "PTR", "ANY")
"""busybox's qtypes[] order: with several `-type`s, queries go out in this order."""
_FORMATS = {
    "NS": "{name}\tnameserver = {data}",
    "CNAME": "{name}\tcanonical name = {data}",
    "PTR": "{name}\tname = {data}",
    "SRV": "{name}\tservice = {data}",
    "TXT": "{name}\ttext = {data}",
}


def _plain(name: str) -> str:
    return name[:-1] if name.endswith(".") and name != "." else name


def _record(record: Record) -> str:
    name = _plain(record.name)
    if record.rtype in ("A", "AAAA"):
        return f"Name:\t{name}\nAddress: {record.data}\n"
    if record.rtype == "SRV":
        *numbers, target = record.data.split()
        return _FORMATS["SRV"].format(name=name, data=" ".join([*numbers, _plain(target)])) + "\n"
    template = _FORMATS.get(record.rtype)
    if template is None:
        return ""
    return template.format(name=name, data=_plain(record.data)) + "\n"


def _ptr_name(text: str) -> str | None:
    try:
        return ipaddress.ip_address(text).reverse_pointer
    except ValueError:
        return None


def _arguments(argv: list[str]) -> tuple[list[str], list[str], str | None]:
    """(types, names, server) from `[-type=T]... NAME [SERVER]`."""
    types: list[str] = []
    rest: list[str] = []
    for arg in argv:
        if arg.startswith("-") and rest == []:
            option, _, value = arg[1:].partition("=")
            if option in ("type", "querytype", "query", "q", "ty"):
                types.append(value.upper())
            continue
        rest.append(arg)
    server = rest[1] if len(rest) > 1 else None
    return types, rest[:1], server


def busybox_nslookup(context: Context, argv: list[str]) -> Execution:
    """busybox's nslookup NAME in the context's pod."""
    result = Execution()
    types, names, server = _arguments(argv)
    if not names:
        result.err("BusyBox v1.36.1 multi-call binary.\n")
        result.exit_code = 1
        return result
    state = cluster_dns_state(context.cluster)
    conf = state.resolv_conf(context.pod)
    nameserver = server or (conf.nameservers[0] if conf.nameservers else "127.0.0.1")
    name = names[0]
    unknown = [t for t in types if t not in QUERY_TYPES]
    if unknown:
        result.err(f'nslookup: invalid query type "{unknown[0].lower()}"\n')
        result.exit_code = 1
        return result
    ptr = _ptr_name(name) if not types else None
    queries: list[tuple[str, str]] = []
    if ptr is not None:
        queries.append((ptr, "PTR"))
    else:
        ordered = [t for t in QUERY_TYPES if t in types] or ["A", "AAAA"]
        for qtype in ordered:
            if qtype == "PTR" or "." in name or not conf.searches:
                queries.append((name, qtype))
            else:
                queries += [(f"{name}.{domain}", qtype) for domain in conf.searches]
    if nameserver in conf.nameservers[:1] and pod_dns_drop(
        context.cluster, context.pod, name, context.proxy
    ):
        result.out(";; connection timed out; no servers could be reached\n\n")
        result.exit_code = 1
        return result
    out = [f"Server:\t\t{nameserver}\nAddress:\t{nameserver}:53\n\n"]
    for qname, qtype in queries:
        reply = state.ask(nameserver, absolute(qname.rstrip(".") or "."), qtype)
        if reply.rcode != "NOERROR":
            out.append(f"** server can't find {qname}: {reply.rcode}\n\n")
            result.exit_code = 1
            continue
        if not reply.authoritative:
            out.append("Non-authoritative answer:\n")
        out += [_record(record) for record in reply.answer]
        out.append("\n")
    result.out("".join(out))
    return result


def run_nslookup(context: Context, argv: list[str]) -> Execution:
    """`nslookup ARGS...` in the flavour the container's image has."""
    if context.toolbox.nslookup == "busybox":
        return busybox_nslookup(context, argv)
    result = Execution()
    types, names, server = _arguments(argv)
    state = cluster_dns_state(context.cluster)
    conf = state.resolv_conf(context.pod)
    if not names:
        raise KubenetError("nslookup's interactive mode is not simulated by kubenet-nb")
    if server is not None and server not in conf.nameservers:
        raise KubenetError("nslookup with a server other than the pod's is not simulated")
    if pod_dns_drop(context.cluster, context.pod, names[0], context.proxy):
        error = f";; communications error to {conf.nameservers[0]}#53: timed out\n"
        result.out(error * BIND_TRIES + ";; no servers could be reached\n\n")
        result.exit_code = 1
        return result
    answer = bind_nslookup(state, names[0], context.pod, types[0] if types else None)
    result.out(answer.output)
    result.exit_code = answer.exit_code
    return result
