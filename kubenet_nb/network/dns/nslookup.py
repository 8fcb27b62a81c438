"""What `nslookup NAME` prints in a pod: ISC BIND 9's nslookup, as in Debian's bind9-dnsutils
and nicolaka/netshoot (Alpine's bind-tools), not busybox's (which prints `Address: ip:53`).

Facts from isc-projects/bind9 bin/dig/nslookup.c and dighost.c (BIND 9.18, in Debian 12 and
Alpine 3.20):

- the search list and ndots come from the pod's resolv.conf; a name with fewer than ndots dots
  is tried with each search domain, then as is; a longer or dotted-at-the-end name only as is;
  only NXDOMAIN moves on to the next candidate (`next_origin`), NODATA stops the search;
- after an A answer it asks AAAA for the name the answer ends at (CNAMEs followed), as is;
- the `Server:`/`Address:` header comes with the A reply only (or with every reply when a
  `-type` is given), so a reverse lookup of an IP prints none;
- an error prints `** server can't find <query name>: <RCODE>` and makes the exit status 1;
  `Non-authoritative answer:` precedes answers without the AA flag (forwarded ones);
- at exit it prints one empty line (`puts("")` in main).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace

from kubenet_nb.network.dns.records import DnsResponse, Record, absolute
from kubenet_nb.network.dns.state import DnsState

__all__ = ["NslookupResult", "nslookup"]

RTYPE_TEXT = {
    "CNAME": "canonical name = ",
    "PTR": "name = ",
    "SRV": "service = ",
    "TXT": "text = ",
}
"""nslookup.c `rtypetext`: how non-address records are introduced."""


@dataclass(frozen=True)
class NslookupResult:
    """The tool's standard output, its exit status and the queries it sent."""

    output: str
    exit_code: int
    queries: tuple[DnsResponse, ...]


@dataclass(frozen=True)
class _Lookup:
    """dig_lookup_t, the fields that drive the search."""

    textname: str
    rdtype: str
    origin: int | None = None
    need_search: bool = False
    done_as_is: bool = False
    new_search: bool = False


def _display(name: str) -> str:
    """dns_name_format: the name without its final dot."""
    return name[:-1] if name.endswith(".") and name != "." else name


def _reverse_name(text: str) -> str | None:
    """get_reverse: the in-addr.arpa (absolute) or ip6.arpa name of an IP argument."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    return ip.reverse_pointer + ("." if ip.version == 4 else "")


def _setup(lookup: _Lookup, search: tuple[str, ...], ndots: int) -> tuple[_Lookup, str]:
    """setup_lookup: choose the origin on a new search; the query name."""
    if lookup.new_search:
        if lookup.textname.count(".") >= ndots:
            lookup = replace(lookup, origin=None, done_as_is=True, need_search=True)
        elif lookup.origin is None:
            lookup = replace(lookup, origin=0 if search else None, need_search=False)
    if lookup.origin is None or lookup.textname.endswith("."):
        return lookup, absolute(lookup.textname)
    return lookup, f"{lookup.textname}.{search[lookup.origin].rstrip('.')}."


def _next_origin(lookup: _Lookup, search: tuple[str, ...], ndots: int) -> _Lookup | None:
    """next_origin: the lookup to try after an NXDOMAIN, if any."""
    text = lookup.textname
    if text.endswith(".") or len(text.split(".")) > ndots:
        return None
    if lookup.origin is None:
        if not lookup.need_search:
            return None
        return replace(lookup, origin=0 if search else None, need_search=False, new_search=False)
    following = lookup.origin + 1 if lookup.origin + 1 < len(search) else None
    if following is None and lookup.done_as_is:
        return None
    return replace(lookup, origin=following, new_search=False)


def _chase(reply: DnsResponse, qname: str) -> str:
    """chase_cnamechain: follow the answer's CNAMEs from the query name."""
    name = qname
    for _ in reply.answer:
        target = next(
            (r.data for r in reply.answer if r.rtype == "CNAME" and r.name.lower() == name.lower()),
            None,
        )
        if target is None:
            break
        name = target
    return _display(name)


def _line(record: Record) -> str:
    if record.rtype in ("A", "AAAA"):
        return f"Name:\t{_display(record.name)}\nAddress: {record.data}\n"
    return f"{_display(record.name)}\t{RTYPE_TEXT[record.rtype]}{record.data}\n"


def nslookup(state: DnsState, name: str, pod: dict, qtype: str | None = None) -> NslookupResult:
    """Run `nslookup [-type=QTYPE] NAME` in `pod` (an IP NAME is looked up in reverse)."""
    conf = state.resolv_conf(pod)
    server, search, ndots = conf.nameservers[0], conf.searches, conf.ndots
    default = qtype is None
    reverse = _reverse_name(name)
    rdtype = "PTR" if reverse else (qtype or "A").upper()
    pending = [_Lookup(reverse or name, rdtype, new_search=True)]
    out: list[str] = []
    replies: list[DnsResponse] = []
    failed = a_noanswer = False
    while pending:
        lookup, qname = _setup(pending.pop(0), search, ndots)
        reply = state.ask(server, qname, lookup.rdtype)
        replies.append(reply)
        if reply.rcode == "NXDOMAIN" and (lookup.origin is not None or lookup.need_search):
            retry = _next_origin(lookup, search, ndots)
            if retry is not None:
                pending.insert(0, retry)
                continue
        asks_a = default and lookup.rdtype == "A"
        if not default or lookup.rdtype == "A":
            out.append(f"Server:\t\t{server}\nAddress:\t{server}#53\n\n")
        if reply.rcode != "NOERROR":
            out.append(f"** server can't find {_display(qname)}: {reply.rcode}\n")
            failed = True
            continue
        if asks_a:
            aaaa = _Lookup(
                _chase(reply, qname), "AAAA", None, lookup.need_search, lookup.done_as_is
            )
            pending.append(aaaa)
        if not reply.authoritative and (not default or lookup.rdtype == "A"):
            out.append("Non-authoritative answer:\n")
        if reply.answer:
            out.extend(_line(record) for record in reply.answer)
        elif asks_a:
            a_noanswer = True
        elif not default or (lookup.rdtype == "AAAA" and a_noanswer):
            out.append(f"*** Can't find {lookup.textname}: No answer\n")
        if not reply.authoritative and lookup.rdtype not in ("A", "AAAA"):
            out.append("\nAuthoritative answers can be found from:\n")
    out.append("\n")
    return NslookupResult("".join(out), int(failed), tuple(replies))
