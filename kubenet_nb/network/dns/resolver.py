"""Name resolution as a program in a pod gets it: the C library's search list over CoreDNS.

`resolve(state, name)` without a pod asks CoreDNS the name as written, once (what `dig` does).
With a pod, the pod's resolv.conf (see resolvconf.py) decides the nameserver and the candidates,
and the pod's C library decides how they are tried (`libc`: "glibc" for Debian-based images,
"musl" for Alpine-based ones).

An address question (A or AAAA) is asked as `getaddrinfo` asks it for curl, wget or nginx: with
AF_UNSPEC, each candidate costs two queries, A and then AAAA, sent together (glibc's
`T_QUERY_A_AND_AAAA` in nss_dns, unless `options single-request` in which case they go one after
the other, still both; musl's `name_from_dns`). `qtype` then only picks which of the two answers
`addresses` and `records` show; `tried` lists every query sent. Any other type is asked once per
candidate (`res_search`).

glibc (resolv/res_query.c `__res_context_query` and `__res_context_search`, glibc 2.36):

- a name with a trailing dot is asked as is, once; one with at least `ndots` dots is asked as is
  first, and if that fails the search list follows; otherwise each search domain is appended in
  turn, and the bare name is asked last;
- a candidate succeeds when either reply is NOERROR with records; else its error is the A
  reply's rcode, or the AAAA reply's when the A reply is NOERROR (NODATA);
- NXDOMAIN and NODATA move on to the next candidate, and so does SERVFAIL of the A reply; any
  other error stops the search list (the bare name is still asked if it was not yet);
- when all fail, the error is the as-is query's if it went first, else NODATA if any candidate
  had NODATA, else SERVFAIL if any had SERVFAIL, else the last one's.

musl (src/network/lookup_name.c `name_from_dns_search` and `name_from_dns`, musl 1.2.5):

- a name with a trailing dot or at least `ndots` dots is asked as is only, with no search list;
  otherwise each search domain in turn, then the bare name;
- the replies of a candidate are read in order, A first: SERVFAIL stops everything (EAI_AGAIN),
  NXDOMAIN moves on to the next candidate, any other error stops (EAI_FAIL); then the candidate
  succeeds if it has addresses and stops with NODATA (EAI_NODATA) if not;
- `res_search` is `res_query` in musl: other types are asked once, as written.

With ClusterFirst's `ndots:5`, `webapp1` costs two queries (A and AAAA) in the pod's namespace,
`webapp1.other` four, and a 2-dot external name eight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kubenet_nb.network.dns.records import DnsResponse, Record, absolute
from kubenet_nb.network.dns.resolvconf import ResolvConf
from kubenet_nb.network.dns.state import DnsState

__all__ = ["ADDRESS_TYPES", "LIBCS", "Answer", "resolve", "search", "search_list"]

ADDRESS_TYPES = ("A", "AAAA")
"""getaddrinfo's pair, in the order both C libraries send them."""
LIBCS = ("glibc", "musl")

Ask = Callable[[str], tuple[DnsResponse, ...]]
"""Send one candidate name's queries (one, or A and AAAA); the replies in order."""


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
    libc: str = ""
    """The C library whose search the queries follow ("" without a pod: one query)."""

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
        if self.qtype not in ADDRESS_TYPES:
            return []
        return [r.data for r in self.records if r.rtype == self.qtype]

    @property
    def tried(self) -> list[tuple[str, str, str]]:
        """(name, type, rcode) of each query, in order: what a packet trace shows."""
        return [(q.qname, q.qtype, q.rcode) for q in self.queries]


def _answered(reply: DnsResponse) -> bool:
    return reply.rcode == "NOERROR" and bool(reply.answer)


def _glibc_error(replies: tuple[DnsResponse, ...]) -> str:
    """__res_context_query: "" when the candidate succeeded, else the rcode it failed with."""
    if any(_answered(reply) for reply in replies):
        return ""
    first, last = replies[0], replies[-1]
    return last.rcode if first.rcode == "NOERROR" else first.rcode


def _glibc(name: str, searches: tuple[str, ...], ndots: int, ask: Ask) -> tuple[list, str]:
    """__res_context_search over `ask`: the candidates' replies in order and the final rcode."""
    rounds: list[tuple[DnsResponse, ...]] = []

    def attempt(candidate: str) -> str:
        rounds.append(ask(absolute(candidate)))
        return _glibc_error(rounds[-1])

    dots, trailing = name.count("."), name.endswith(".")
    saved: str | None = None
    if dots >= ndots or trailing:
        error = attempt(name)
        if not error or trailing:
            return rounds, error or "NOERROR"
        saved = error
    got_nodata = got_servfail = root_on_list = False
    for domain in () if trailing else searches:
        domain = domain.removeprefix(".")
        root_on_list = root_on_list or not domain
        error = attempt(f"{name}.{domain}" if domain else name)
        if not error:
            return rounds, "NOERROR"
        got_nodata = got_nodata or error == "NOERROR"
        servfail = error == "SERVFAIL" and rounds[-1][0].rcode == "SERVFAIL"
        got_servfail = got_servfail or servfail
        if error not in ("NOERROR", "NXDOMAIN") and not servfail:
            break
    if saved is None and not root_on_list:
        error = attempt(name)
        if not error:
            return rounds, "NOERROR"
    if saved is not None:
        return rounds, saved
    if got_nodata:
        return rounds, "NOERROR"
    return rounds, "SERVFAIL" if got_servfail else _glibc_error(rounds[-1])


def _musl_error(replies: tuple[DnsResponse, ...]) -> str | None:
    """name_from_dns: None to try the next candidate, "" on success, else the error's rcode."""
    for reply in replies:
        if reply.rcode == "SERVFAIL":
            return "SERVFAIL"
        if reply.rcode == "NXDOMAIN":
            return None
        if reply.rcode != "NOERROR":
            return reply.rcode
    return "" if any(reply.answer for reply in replies) else "NOERROR"


def _musl(name: str, searches: tuple[str, ...], ndots: int, ask: Ask) -> tuple[list, str]:
    """name_from_dns_search over `ask`: the candidates' replies in order and the final rcode."""
    rounds: list[tuple[DnsResponse, ...]] = []
    bare = name.rstrip(".")
    use_search = name.count(".") < ndots and not name.endswith(".")
    for candidate in [f"{bare}.{domain}" for domain in searches if use_search] + [bare]:
        rounds.append(ask(absolute(candidate)))
        error = _musl_error(rounds[-1])
        if error is not None:
            return rounds, error or "NOERROR"
    return rounds, "NXDOMAIN"


def search_list(
    name: str, conf: ResolvConf, ask: Ask, libc: str = "glibc"
) -> tuple[list[tuple[DnsResponse, ...]], str]:
    """Run `libc`'s search for `name` under `conf`: each candidate's replies, the final rcode."""
    run = _musl if libc == "musl" else _glibc
    return run(name, conf.searches, conf.ndots, ask)


def search(
    name: str, searches: tuple[str, ...], ndots: int, ask: Callable[[str], DnsResponse]
) -> tuple[list[DnsResponse], str]:
    """glibc's `res_search` of one query type over `ask`; the replies in order, the rcode."""
    rounds, rcode = _glibc(name, searches, ndots, lambda candidate: (ask(candidate),))
    return [reply for replies in rounds for reply in replies], rcode


def _check_libc(libc: str) -> None:
    if libc not in LIBCS:
        raise ValueError(f"libc must be one of {', '.join(LIBCS)}, not {libc!r}")


def resolve(
    state: DnsState,
    name: str,
    qtype: str = "A",
    from_pod: dict | None = None,
    libc: str = "glibc",
) -> Answer:
    """Resolve `name` (any case) as CoreDNS answers it, or as a process in `from_pod` does
    with the C library `libc`."""
    qtype = qtype.upper()
    _check_libc(libc)
    if from_pod is None:
        server = state.settings.dns_ip
        reply = state.ask(server, absolute(name), qtype)
        return Answer(name, qtype, server, (reply,), reply.rcode, reply.answer)
    conf = state.resolv_conf(from_pod)
    server = conf.nameservers[0]
    types = ADDRESS_TYPES if qtype in ADDRESS_TYPES else (qtype,)

    def ask(candidate: str) -> tuple[DnsResponse, ...]:
        return tuple(state.ask(server, candidate, t) for t in types)

    if libc == "musl" and qtype not in ADDRESS_TYPES:
        rounds = [ask(absolute(name))]
        rcode = rounds[0][0].rcode
    else:
        rounds, rcode = search_list(name, conf, ask, libc)
    last = next(reply for reply in rounds[-1] if reply.qtype == qtype)
    records = last.answer if rcode == "NOERROR" else ()
    queries = tuple(reply for replies in rounds for reply in replies)
    return Answer(name, qtype, server, queries, rcode, records, conf, libc)
