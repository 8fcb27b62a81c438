"""`parse_ruleset`: rules filed by chain in one pass, chains made when first used and shared.

The expected reading is iptables-save's format (iptables/iptables-save.c and iptables-restore.c:
`*table`, `:CHAIN POLICY [packets:bytes]`, `-A CHAIN rule…`, `COMMIT`, `#` comments), checked
against a plain reference reading over random texts.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kubenet_nb.network.netfilter import ChainPool, parse_ruleset

LINES = [
    "*nat",
    "*filter",
    "COMMIT",
    ":A - [0:0]",
    ":B ACCEPT [0:0]",
    ":A-B - [0:0]",
    ":A DROP [0:0]",
    "-A A -j B",
    "-A A -j ACCEPT",
    "-A B -j A",
    "-A A-B -j RETURN",
    "-A A",
    "-A B -d 10.0.0.1/32 -j DROP",
    "-A  A -j ACCEPT",
    "# a comment",
    "",
    "-X A",
    "junk",
]


def reference(*texts: str) -> dict[str, dict[str, tuple[str, list[str]]]]:
    """Tables -> chains -> (policy, rules), the plain way; ValueError naming the bad line."""
    tables: dict[str, dict[str, tuple[str, list[str]]]] = {}
    for text in texts:
        chains = None
        for number, line in enumerate(text.split("\n"), start=1):
            if line.startswith("-A ") and chains is not None:
                name = line[3:].split(" ", 1)[0]
                if name not in chains:
                    raise ValueError(f"line {number}: chain of {line!r} was not declared")
                chains[name][1].append(line)
            elif line.startswith(":") and chains is not None:
                name, policy = line[1:].split()[:2]
                chains.setdefault(name, (policy, []))
            elif line.startswith("*"):
                chains = tables.setdefault(line[1:].strip(), {})
            elif line == "COMMIT":
                chains = None
            elif line[:1] not in ("", "#"):
                raise ValueError(f"line {number}: not in a table or not iptables-save text")
    return tables


# A rule right after COMMIT, or after a new table line, never continues the last rule's chain.
AFTER_COMMIT = ["*nat", ":A - [0:0]", "-A A -j ACCEPT", "COMMIT", "-A A -j ACCEPT"]
NEW_TABLE = ["*nat", ":A - [0:0]", "-A A -j ACCEPT", "*filter", "-A A -j ACCEPT", "COMMIT"]
BOTH_TABLES = ["*nat", ":A - [0:0]", "-A A -j ACCEPT", "*filter", ":A - [0:0]", "-A A -j B"]


@given(st.lists(st.lists(st.sampled_from(LINES), max_size=14), min_size=1, max_size=2))
@example([AFTER_COMMIT]).via("a rule outside any table")
@example([NEW_TABLE]).via("a rule of a chain the new table lacks")
@example([BOTH_TABLES]).via("one chain name in two tables")
@example([NEW_TABLE[:3], ["-A A -j DROP"]]).via("a second text starts outside any table")
@settings(max_examples=300, deadline=None)
def test_reading_matches_the_plain_reference(texts: list[list[str]]) -> None:
    joined = ["\n".join(lines) + "\n" for lines in texts]
    try:
        expected = reference(*joined)
    except ValueError as error:
        with pytest.raises(ValueError, match=str(error).split(":")[0] + ":"):
            parse_ruleset(*joined)
        return
    ruleset = parse_ruleset(*joined)
    got = {
        table: {name: (chain.policy or "-", chain.lines) for name, chain in chains.items()}
        for table, chains in ruleset.tables.items()
    }
    assert got == expected
    for table, chains in expected.items():
        for name in chains:
            assert ruleset.has_chain(table, name)
            assert ruleset.chain(table, name) is ruleset.tables[table][name]
    assert not ruleset.has_chain("nat", "NOPE")


def table(*rules: str) -> str:
    return "\n".join(["*nat", ":PREROUTING ACCEPT [0:0]", ":X - [0:0]", *rules, "COMMIT", ""])


def test_chains_are_shared_through_the_pool_only_when_first_used() -> None:
    pool = ChainPool()
    one = parse_ruleset(table("-A X -j ACCEPT"), pool=pool)
    two = parse_ruleset(table("-A X -j ACCEPT", "-A PREROUTING -j X"), pool=pool)
    assert two.chain("nat", "X") is one.chain("nat", "X")
    assert two.chain("nat", "PREROUTING") is not one.chain("nat", "PREROUTING")
    with pytest.raises(ValueError, match="no chain Y in table nat"):
        one.chain("nat", "Y")


def test_a_line_compiles_once_whatever_chain_object_holds_it() -> None:
    first = parse_ruleset(table("-A X -d 10.0.0.1/32 -j ACCEPT"))
    second = parse_ruleset(table("-A X -d 10.0.0.1/32 -j ACCEPT", "-A X -j DROP"))
    assert first.chain("nat", "X") is not second.chain("nat", "X")
    assert first.chain("nat", "X").rules[0] is second.chain("nat", "X").rules[0]


@pytest.mark.parametrize(
    ("text", "uses"),
    [
        (table("-A X -p tcp -m tcp --sport 53 -j ACCEPT"), True),
        (table("-A X -p udp --source-port 53 -j ACCEPT"), True),
        (table("# --sport 53 is only mentioned here", "-A X -j ACCEPT"), False),
        (table("-A X -j ACCEPT"), False),
    ],
)
def test_source_port_rules_are_found_in_rules_only(text: str, uses: bool) -> None:
    assert parse_ruleset(text).uses_source_port is uses
