"""The describer kubectl falls back to for kinds without one (describe/generic.py)."""

from __future__ import annotations

from kubenet_nb import Cluster
from kubenet_nb.kubectl.describe.generic import print_unstructured, smart_label
from kubenet_nb.kubectl.describe.writer import Writer
from kubenet_nb.kubectl.printers import tabwrite


def test_unstructured_content_matches_upstream() -> None:
    # kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeUnstructuredContent.
    obj = {
        "apiVersion": "v1",
        "kind": "Test",
        "dummyDummy": "present",
        "dummy/dummy": "present",
        "dummy-dummy@dummy": "present",
        "dummy-dummy": "present",
        "dummy1": "present",
        "dummy2": "present",
        "metadata": {
            "name": "MyName",
            "namespace": "MyNamespace",
            "creationTimestamp": "2017-04-01T00:00:00Z",
            "resourceVersion": 123,
            "uid": "00000000-0000-0000-0000-000000000001",
            "dummy3": "present",
        },
        "items": [{"itemBool": True, "itemInt": 42}],
        "url": "http://localhost",
        "status": "ok",
    }
    w = Writer()
    print_unstructured(w, 0, obj, "", (".dummy1", ".metadata.dummy3"))
    expected = (
        "API Version:\tv1\n"
        "Dummy - Dummy:\tpresent\n"
        "dummy-dummy@dummy:\tpresent\n"
        "dummy/dummy:\tpresent\n"
        "dummy2:\tpresent\n"
        "Dummy Dummy:\tpresent\n"
        "Items:\n"
        "  Item Bool:\ttrue\n"
        "  Item Int:\t42\n"
        "Kind:\tTest\n"
        "Metadata:\n"
        "  Creation Timestamp:\t2017-04-01T00:00:00Z\n"
        "  Name:\tMyName\n"
        "  Namespace:\tMyNamespace\n"
        "  Resource Version:\t123\n"
        "  UID:\t00000000-0000-0000-0000-000000000001\n"
        "Status:\tok\n"
        "URL:\thttp://localhost\n"
    )
    # Upstream checks that its text is contained and the skipped fields absent; here the
    # output is exactly that text, through the same tabwriter.
    assert w.text() == tabwrite(expected, 0, 2)


def test_smart_labels() -> None:
    # describe.go smartLabelFor with fatih/camelcase: acronyms upper-cased, upper runs split.
    # "CIDRs": the upper run hands its last letter to the lower run, as camelcase.Split does.
    assert smart_label("podCIDRs") == "Pod CID Rs"
    assert smart_label("clusterIP") == "Cluster IP"
    assert smart_label("holderIdentity") == "Holder Identity"
    assert smart_label("apiVersion") == "API Version"
    assert smart_label("x509") == "x509"


def test_scalars_print_as_go_v() -> None:
    w = Writer()
    print_unstructured(w, 0, {"a": None, "b": 1.5, "c": 2.0, "d": [1, [2, 3], None]}, "", ())
    assert w.text() == "A:  <nil>\nB:  1.5\nC:  2\nD:\n  1\n  [2 3]\n  <nil>\n"


def test_lease_is_described_generically() -> None:
    c = Cluster()
    lease = c.create(
        {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": "my-lease", "labels": {"app": "x"}},
            "spec": {"holderIdentity": "me", "leaseDurationSeconds": 15},
        }
    )
    meta = lease["metadata"]
    assert c.kubectl("describe lease my-lease") == (
        "Name:         my-lease\n"
        "Namespace:    default\n"
        "Labels:       app=x\n"
        "Annotations:  <none>\n"
        "API Version:  coordination.k8s.io/v1\n"
        "Kind:         Lease\n"
        "Metadata:\n"
        f"  Creation Timestamp:  {meta['creationTimestamp']}\n"
        f"  Resource Version:    {meta['resourceVersion']}\n"
        f"  UID:                 {meta['uid']}\n"
        "Spec:\n"
        "  Holder Identity:         me\n"
        "  Lease Duration Seconds:  15\n"
        "Events:                    <none>"
    )
