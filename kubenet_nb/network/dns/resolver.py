"""Name resolution as a program in a pod gets it: glibc's search list and ndots over CoreDNS.

`resolve(state, name)` without a pod asks CoreDNS the name as written, once (what `dig` does).
With a pod, the pod's resolv.conf (see resolvconf.py) decides the nameserver and the candidates,
tried the way glibc's `res_nsearch` tries them (resolv/res_query.c `__res_context_search`):

- a name with a trailing dot is asked as is, once;
- a name with at least `ndots` dots is asked as is first; if that fails the search list follows;
- otherwise each search domain is appended in turn, and the bare name is asked last;
- a candidate succeeds when the reply is NOERROR with at least one answer record; NXDOMAIN and
  NODATA (NOERROR, empty) both move on to the next candidate;
- when all fail, the error is the as-is query's if it went first, else NODATA if any candidate
  had NODATA, else the last reply's.

With ClusterFirst's `ndots:5`, `webapp1` costs one query in the pod's namespace, `webapp1.other`
two, and a 2-dot external name four (three NXDOMAINs from the cluster zone, then the name itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kubenet_nb.network.dns.records import DnsResponse, Record, absolute
from kubenet_nb.network.dns.resolvconf import ResolvConf
from kubenet_nb.network.dns.state import DnsState

__all__ = ["Answer", "resolve", "search"]


@dataclass(frozen=True)
class Answer:
    """The outcome of resolving `name`: every query tried, and the one that answered."""

    name: str
    qtype: str
    server: str
    """The nameserver asked (the first of the pod's resolv.conf, or the cluster DNS IP)."""
    queries: tuple[DnsResponse, ...]
    rcode: str
    """NOERROR when found (or NODATA: NOERROR without records), else the error code."""
    records: tuple[Record, ...]
    resolv_conf: ResolvConf | None = None

    @property
    def found(self) -> bool:
        return bool(self.records)

    @property
    def fqdn(self) -> str | None:
        """The name that answered (a search candidate or the name itself), if any."""
        return self.queries[-1].qname if self.found else None

    @property
    def addresses(self) -> list[str]:
        """The addresses a program gets (the answer's records of the asked type A or AAAA)."""
        if self.qtype not in ("A", "AAAA"):
            return []
        return [r.data for r in self.records if r.rtype == self.qtype]

    @property
    def tried(self) -> list[tuple[str, str, str]]:
        """(name, type, rcode) of each query, in order: what a packet trace shows."""
        return [(q.qname, q.qtype, q.rcode) for q in self.queries]


def _succeeded(response: DnsResponse) -> bool:
    return response.rcode == "NOERROR" and bool(response.answer)


def search(
    name: str, searches: tuple[str, ...], ndots: int, ask: Callable[[str], DnsResponse]
) -> tuple[list[DnsResponse], str]:
    """Run glibc's search over `ask`; the replies in order and the final rcode."""
    replies: list[DnsResponse] = []

    def attempt(candidate: str) -> DnsResponse:
        replies.append(ask(absolute(candidate)))
        return replies[-1]

    dots = name.count(".")
    trailing = name.endswith(".")
    saved: DnsResponse | None = None
    if dots >= ndots or trailing:
        reply = attempt(name)
        if _succeeded(reply) or trailing:
            return replies, reply.rcode
        saved = reply
    got_nodata = root_on_list = False
    if not trailing:
        for domain in searches:
            domain = domain.removeprefix(".")
            root_on_list = root_on_list or not domain
            reply = attempt(f"{name}.{domain}" if domain else name)
            if _succeeded(reply):
                return replies, reply.rcode
            got_nodata = got_nodata or reply.rcode == "NOERROR"
    if saved is None and not root_on_list:
        reply = attempt(name)
        if _succeeded(reply):
            return replies, reply.rcode
    if saved is not None:
        return replies, saved.rcode
    return replies, "NOERROR" if got_nodata else replies[-1].rcode


def resolve(state: DnsState, name: str, qtype: str = "A", from_pod: dict | None = None) -> Answer:
    """Resolve `name` (any case) as CoreDNS answers it, or as a process in `from_pod` does."""
    qtype = qtype.upper()
    if from_pod is None:
        server = state.settings.dns_ip
        reply = state.ask(server, absolute(name), qtype)
        return Answer(name, qtype, server, (reply,), reply.rcode, reply.answer)
    conf = state.resolv_conf(from_pod)
    server = conf.nameservers[0]
    replies, rcode = search(
        name, conf.searches, conf.ndots, lambda candidate: state.ask(server, candidate, qtype)
    )
    records = replies[-1].answer if _succeeded(replies[-1]) else ()
    return Answer(name, qtype, server, tuple(replies), rcode, records, conf)
