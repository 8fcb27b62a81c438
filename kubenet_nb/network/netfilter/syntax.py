"""The syntax of one iptables rule line (`-A CHAIN …`, as iptables-restore reads it and
iptables-save prints it): its words, and its parts in the order the kernel keeps them.

One reading for everyone: kube-proxy's writer re-spells a rule from these parts
(`network/proxy/save.py`), the packet walk compiles them (`rules.py`), and the rules table
shows the words where they stand (`token_spans`). A rule's parts are the generic header
(`[!] -s/-d/-i/-o/-p`), each `-m` match with its options in written order, and the target
(`-j`, or `-g` for a goto) with its options. An option after the header belongs to the match
module that knows it: a protocol option to the protocol's match (`-p tcp -m comment --comment x
--dport 80`: iptables loads `tcp` for it), any other to the latest match.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["FLAGS", "JUMPS", "Option", "RuleParts", "split_rule", "token_spans", "tokens"]

HEADER = {
    "-s": "-s",
    "--source": "-s",
    "--src": "-s",
    "-d": "-d",
    "--destination": "-d",
    "--dst": "-d",
    "-i": "-i",
    "--in-interface": "-i",
    "-o": "-o",
    "--out-interface": "-o",
    "-p": "-p",
    "--protocol": "-p",
}
"""The generic header's flags, long and short, by their short spelling."""

OWNER = {
    "--comment": "comment",
    "--src-type": "addrtype",
    "--dst-type": "addrtype",
    "--mode": "statistic",
    "--probability": "statistic",
    "--mark": "mark",
    "--ctstate": "conntrack",
    "--nfacct-name": "nfacct",
    "--name": "recent",
    "--set": "recent",
    "--rcheck": "recent",
    "--update": "recent",
    "--remove": "recent",
    "--seconds": "recent",
    "--reap": "recent",
    "--rsource": "recent",
    "--rdest": "recent",
    "--mask": "recent",
}
"""The match module each option of the modules kube-proxy and kindnet use belongs to."""

PROTOCOL_OPTIONS = frozenset(
    {
        "--dport",
        "--destination-port",
        "--sport",
        "--source-port",
        "--tcp-flags",
        "--syn",
        "--tcp-option",
        "--icmp-type",
        "--icmpv6-type",
    }
)
"""Options of the protocol matches (tcp, udp, sctp, icmp): `-p` loads the match they go to."""

FLAGS = frozenset(
    {
        "--set",
        "--rcheck",
        "--update",
        "--remove",
        "--reap",
        "--rsource",
        "--rdest",
        "--random",
        "--random-fully",
        "--persistent",
    }
)
"""Options that take no value."""

JUMPS = {"-j": False, "--jump": False, "-g": True, "--goto": True}
"""The target flags, and whether each is a goto (`-g`) rather than a jump."""

_WORD = re.compile(r'"(?:[^"\\]|\\.)*"?|\S+')
_PLAIN_WORD = re.compile(r'"[^"]*"|\S+')
"""The same split for a line without backslashes (kube-proxy's comments have none): faster."""
_ESCAPED = re.compile(r"\\(.)")

Option = tuple[str, bool, "str | None"]
"""(option, negated, value or None for a flag)."""


def token_spans(line: str) -> list[tuple[int, int]]:
    """Where each word of a rule line starts and ends, a double-quoted one whole with its quotes.

    >>> line = '-A X -m comment --comment "a \\\\"b\\\\" c" -j ACCEPT'
    >>> [line[start:end] for start, end in token_spans(line)][5:]
    ['"a \\\\"b\\\\" c"', '-j', 'ACCEPT']
    """
    return [word.span() for word in _WORD.finditer(line)]


def tokens(line: str) -> list[str]:
    """The words of a rule line; a double-quoted one stays whole, unquoted and unescaped
    (xtables_save_string escapes `\\`, `"` and `'` with a backslash).

    >>> tokens('-A X -m comment --comment "ns/svc:http cluster IP" -j ACCEPT')[5]
    'ns/svc:http cluster IP'
    """
    if '"' not in line:
        return line.split()
    if "\\" not in line:
        return [
            w[1:-1] if w[0] == '"' and len(w) > 1 and w[-1] == '"' else w
            for w in _PLAIN_WORD.findall(line)
        ]
    words = []
    for found in _WORD.finditer(line):
        word = found.group()
        if word.startswith('"'):
            inner = word[1:-1] if len(word) > 1 and word.endswith('"') else word[1:]
            word = _ESCAPED.sub(r"\1", inner)
        words.append(word)
    return words


class RuleParts(NamedTuple):
    """A rule line's chain, header, matches and target, as written (a tuple: cheap to make)."""

    chain: str
    header: dict[str, tuple[str, bool]]
    """Short flag (`-s`, `-d`, `-i`, `-o`, `-p`) -> (value, negated)."""
    matches: list[tuple[str, list[Option]]]
    """(module, its options) in written order."""
    target: str
    """`ACCEPT`, `DNAT`, a chain name, …; "" for a rule without one."""
    goto: bool
    target_options: list[tuple[str, str | None]]


def _owner(
    word: str,
    matches: list[tuple[str, list[Option]]],
    header: dict[str, tuple[str, bool]],
    line: str,
) -> str:
    """The match an option of no listed module belongs to: the protocol's for a protocol option
    (iptables loads it when no match takes the option), else the latest match."""
    if word in PROTOCOL_OPTIONS and "-p" in header:
        return header["-p"][0]
    if matches:
        return matches[-1][0]
    if "-p" in header:
        return header["-p"][0]
    raise ValueError(f"option {word} belongs to no match in {line!r}")


def split_rule(line: str) -> RuleParts:
    """Read `[counters] -A CHAIN …` into its parts; a ValueError says it is not a rule.

    >>> parts = split_rule("-A KUBE-SVC-X -m comment --comment web -m tcp -p tcp --dport 80 -j Y")
    >>> parts.header, [name for name, _ in parts.matches], parts.target
    ({'-p': ('tcp', False)}, ['comment', 'tcp'], 'Y')
    """
    words = tokens(line)
    if words and words[0][:1] == "[":
        del words[0]
    size = len(words)
    if size < 2 or words[0] not in ("-A", "--append"):
        raise ValueError(f"not a rule: {line!r}")
    header: dict[str, tuple[str, bool]] = {}
    matches: list[tuple[str, list[Option]]] = []
    by_name: dict[str, list[Option]] = {}
    target, goto = "", False
    target_options: list[tuple[str, str | None]] = []
    negate = False
    i = 2
    while i < size:
        word = words[i]
        if word == "!":
            negate = True
            i += 1
            continue
        if target:
            value = None if word in FLAGS else words[i + 1]
            target_options.append((word, value))
            i += 1 if value is None else 2
            continue
        flag = HEADER.get(word)
        if flag is not None:
            header[flag] = (words[i + 1], negate)
        elif word == "-m" or word == "--match":
            options: list[Option] = []
            matches.append((words[i + 1], options))
            by_name[words[i + 1]] = options
        elif word in JUMPS:
            target, goto = words[i + 1], JUMPS[word]
        else:
            value = None if word in FLAGS else words[i + 1]
            owner = OWNER.get(word) or _owner(word, matches, header, line)
            found = by_name.get(owner)
            if found is None:
                found = by_name[owner] = []
                matches.append((owner, found))
            found.append((word, negate, value))
            negate = False
            i += 1 if value is None else 2
            continue
        negate = False
        i += 2
    return RuleParts(words[1], header, matches, target, goto, target_options)
