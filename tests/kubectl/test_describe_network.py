"""The Service's Endpoints line and the network describers (describe.go formatEndpointSlices)."""

from __future__ import annotations

from datetime import datetime, timezone

from kubenet_nb.kubectl.describe.network import describe_service, format_endpoint_slices

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


def _slice(ready: list[bool | None], port: int | None = 8080, name: str = "") -> dict:
    endpoints = [
        {"addresses": [f"10.244.1.{i + 2}"], "conditions": {} if r is None else {"ready": r}}
        for i, r in enumerate(ready)
    ]
    return {"ports": [] if port is None else [{"name": name, "port": port}], "endpoints": endpoints}


def test_endpoints_line_counts_ready_endpoints_only() -> None:
    # describe.go formatEndpointSlices: not-ready endpoints are skipped, unknown counts as ready.
    assert format_endpoint_slices([_slice([True, False, None])], "") == (
        "10.244.1.2:8080,10.244.1.4:8080"
    )
    assert format_endpoint_slices([_slice([False])], "") == ""
    assert format_endpoint_slices([], "") == "<none>"


def test_endpoints_line_keeps_upstreams_zero_more_quirk() -> None:
    # The "more" flag is raised before readiness is checked: three ready endpoints followed by
    # a not-ready one print "+ 0 more..." (describe.go formatEndpointSlices).
    assert format_endpoint_slices([_slice([True, True, True, False])], "") == (
        "10.244.1.2:8080,10.244.1.3:8080,10.244.1.4:8080 + 0 more..."
    )


def test_endpoints_line_for_headless_without_ports_and_other_port_names() -> None:
    assert format_endpoint_slices([_slice([True, True], port=None)], "") == (
        "10.244.1.2,10.244.1.3"
    )
    assert format_endpoint_slices([_slice([True], name="http")], "metrics") == ""


def test_service_without_slices_and_external_name() -> None:
    svc = {
        "metadata": {"name": "db", "namespace": "default"},
        "spec": {
            "type": "ExternalName",
            "externalName": "db.example.com",
            "sessionAffinity": "None",
        },
    }
    text = describe_service(svc, [], [], NOW)
    assert "External Name:     db.example.com\n" in text
    assert "IPs:               <none>\n" in text
    assert text.endswith("Events:            <none>\n")
