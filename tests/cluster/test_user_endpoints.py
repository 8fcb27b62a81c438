"""Endpoints a user writes are defaulted before validation, as the API server does."""

from __future__ import annotations

from kubenet_nb.cluster.control_plane import ControlPlane


def test_a_port_without_protocol_defaults_to_tcp() -> None:
    # kubernetes/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_EndpointPort @ v1.33.0:
    # an empty protocol becomes TCP, so validation never sees it missing.
    plane = ControlPlane()
    [stored] = plane.apply(
        [
            {
                "apiVersion": "v1",
                "kind": "Endpoints",
                "metadata": {"name": "external"},
                "subsets": [{"addresses": [{"ip": "10.1.2.3"}], "ports": [{"port": 80}]}],
            }
        ]
    )
    assert stored["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]
