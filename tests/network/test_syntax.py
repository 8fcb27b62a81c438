"""The one reading of an iptables rule line: words, spans and parts, shared by kube-proxy's
writer (save_rule), the packet walk (parse_rule) and the rules table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubenet_nb.network.netfilter.syntax import split_rule, token_spans, tokens

BARE = st.text(st.sampled_from("abcXYZ019-_/:.!,"), min_size=1, max_size=8)
QUOTED = st.text(st.sampled_from("ab /:\"\\'"), min_size=0, max_size=10)


def _quote(text: str) -> str:
    """xtables_save_string's escaping: backslash before `\\`, `"` and `'`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")
    return f'"{escaped}"'


@given(st.lists(st.one_of(BARE.map(lambda w: (w, w)), QUOTED.map(lambda q: (_quote(q), q)))))
def test_words_come_back_unquoted_and_spans_cover_them_as_written(words: list) -> None:
    line = " ".join(["-A", "X", *(written for written, _ in words)])
    assert tokens(line) == ["-A", "X", *(word for _, word in words)]
    assert [line[a:b] for a, b in token_spans(line)] == ["-A", "X", *(w for w, _ in words)]


def test_an_option_goes_to_the_module_that_knows_it_or_to_the_protocol() -> None:
    # iptables loads the protocol's match for an option no loaded match takes
    # (netfilter/iptables iptables/xshared.c command_default @ v1.8.10).
    parts = split_rule("-A X -p tcp -m comment --comment web --dport 80 -j ACCEPT")
    assert parts.matches == [
        ("comment", [("--comment", False, "web")]),
        ("tcp", [("--dport", False, "80")]),
    ]
    parts = split_rule("-A X -m multiport -p tcp --dports 80,443 -j ACCEPT")
    assert parts.matches == [("multiport", [("--dports", False, "80,443")])]
    parts = split_rule("-A X -m tcp -p tcp ! --dport 22 -j DROP")
    assert parts.matches == [("tcp", [("--dport", True, "22")])]


def test_header_target_goto_and_counters() -> None:
    parts = split_rule("[5:300] -A X ! --source 10.0.0.0/8 -d 1.2.3.4 -g KUBE-Y")
    assert parts.chain == "X"
    assert parts.header == {"-s": ("10.0.0.0/8", True), "-d": ("1.2.3.4", False)}
    assert (parts.target, parts.goto) == ("KUBE-Y", True)
    parts = split_rule("-A X -j DNAT --to-destination 10.244.1.5:80 --random-fully")
    assert parts.target_options == [("--to-destination", "10.244.1.5:80"), ("--random-fully", None)]


@pytest.mark.parametrize(
    ("line", "message"),
    [("-N X", "not a rule"), ("-A", "not a rule"), ("-A X --dport 80 -j Y", "belongs to no match")],
)
def test_what_is_not_a_rule_is_refused(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split_rule(line)
