"""Label selectors: `kubectl -l` parsing, LabelSelector conversion, matching, validation."""

from __future__ import annotations

import pytest

from kubenet_nb.api.names import is_qualified_name, is_valid_label_value
from kubenet_nb.api.selectors import (
    Selector,
    SelectorError,
    go_label_selector,
    parse_selector,
    selector_from_label_selector,
    selector_from_set,
    validate_label_selector,
)


def error_of(text: str) -> str:
    with pytest.raises(SelectorError) as info:
        parse_selector(text)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("app=web", "app=web"),
        ("app==web", "app==web"),
        ("tier!=db", "tier!=db"),
        ("env in (prod, dev)", "env in (dev,prod)"),
        ("env notin (a)", "env notin (a)"),
        ("canary", "canary"),
        ("!canary", "!canary"),
        ("z=1, a=2", "a=2,z=1"),
        ("x in (,a)", "x in (,a)"),
        ("x in ()", "x in ()"),
        ("n>3,m<5", "m<5,n>3"),
        ("  app = web ", "app=web"),
        ("", ""),
    ],
)
def test_parse_and_canonical_string(text: str, canonical: str) -> None:
    # k8s.io/apimachinery/pkg/labels/selector.go: requirements sorted by key, values sorted
    assert str(parse_selector(text)) == canonical


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("app=web", {"app": "web"}, True),
        ("app=web", {"app": "db"}, False),
        ("app=web", {}, False),
        ("app=", {"app": ""}, True),
        ("app=", {}, False),
        ("tier!=db", {}, True),
        ("tier!=db", {"tier": "db"}, False),
        ("env in (a,b)", {"env": "b"}, True),
        ("env notin (a,b)", {}, True),
        ("env notin (a,b)", {"env": "a"}, False),
        ("canary", {"canary": ""}, True),
        ("!canary", {"canary": "x"}, False),
        ("n>3", {"n": "4"}, True),
        ("n>3", {"n": "x"}, False),
        ("n<3", {}, False),
        ("x in ()", {"x": ""}, True),
        ("", {"any": "thing"}, True),
    ],
)
def test_matches(text: str, labels: dict, expected: bool) -> None:
    assert parse_selector(text).matches(labels) is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # selector.go parseValues: note the missing comma in this one message
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
        (",", "found ',', expected: !, identifier, or 'end of string'"),
        ("a,", "found '', expected: identifier after ','"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
        ("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        # "environment>qa" example from a downstream test citing labels.Parse
        (
            "environment>qa",
            'unable to parse requirement: values[0]: Invalid value: "qa": '
            "for 'Gt', 'Lt' operators, the value must be an integer",
        ),
    ],
)
def test_parse_errors_carry_upstream_text(text: str, message: str) -> None:
    assert error_of(text) == message


def test_bad_key_error_has_a_nil_path() -> None:
    # `kubectl get pods -l "app:monolith"` on a real cluster answers
    # `... unable to parse requirement: <nil>: Invalid value: "app:monolith": name part must ...`
    expected = "; ".join(is_qualified_name("app:monolith"))
    assert error_of("app:monolith") == (
        f'unable to parse requirement: <nil>: Invalid value: "app:monolith": {expected}'
    )


def test_bad_value_error_names_the_key() -> None:
    # selector.go validateLabelValue: path values[i][key]
    expected = "; ".join(is_valid_label_value("demo-{x}"))
    assert error_of("app=demo-{x}") == (
        f'unable to parse requirement: values[0][app]: Invalid value: "demo-{{x}}": {expected}'
    )


def test_label_selector_conversion() -> None:
    # metav1 LabelSelectorAsSelector: nil selects nothing, {} selects everything
    assert not selector_from_label_selector(None).matches({"a": "b"})
    assert selector_from_label_selector(None) == Selector.nothing()
    assert selector_from_label_selector({}).empty()
    selector = selector_from_label_selector(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["b", "a"]},
                {"key": "canary", "operator": "DoesNotExist"},
                {"key": "zone", "operator": "Exists"},
            ],
        }
    )
    assert str(selector) == "app=web,!canary,tier in (a,b),zone"
    assert selector.matches({"app": "web", "tier": "a", "zone": "z"})
    assert not selector.matches({"app": "web", "tier": "a", "zone": "z", "canary": "1"})
    with pytest.raises(SelectorError, match='"Bogus" is not a valid label selector operator'):
        selector_from_label_selector({"matchExpressions": [{"key": "a", "operator": "Bogus"}]})


def test_selector_from_set() -> None:
    assert str(selector_from_set({"b": "2", "a": "1"})) == "a=1,b=2"
    assert selector_from_set({}).matches({"x": "y"})
    assert selector_from_set(None).empty()


def test_validate_label_selector_wording() -> None:
    # apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabelSelectorRequirement
    errs = validate_label_selector(
        {
            "matchExpressions": [
                {"key": "a", "operator": "In"},
                {"key": "b", "operator": "Exists", "values": ["x"]},
                {"key": "c", "operator": "Is"},
            ]
        },
        "spec.selector",
    )
    assert [str(e) for e in errs] == [
        "spec.selector.matchExpressions[0].values: Required value: "
        "must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: "
        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Is": '
        "not a valid selector operator",
    ]
    assert validate_label_selector(None, "spec.selector") == []


def test_go_label_selector_rendering() -> None:
    # the well-known `field is immutable` value, e.g. kubernetes/client-go issue #508
    assert str(go_label_selector({"matchLabels": {"app": "web"}})) == (
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
    )
    expr = {"matchExpressions": [{"key": "a", "operator": "In", "values": ["x"]}]}
    assert str(go_label_selector(expr)) == (
        "v1.LabelSelector{MatchLabels:map[string]string(nil), "
        'MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"a", '
        'Operator:"In", Values:[]string{"x"}}}}'
    )
