"""Reading a real cluster, read-only, through the official `kubernetes` client.

Only `list_*` calls are made (GET requests, paged as kubectl pages them, no watch): the import
cannot change the cluster it reads. The client reads the kubeconfig itself (no `kubectl`), its
changes are never written back (`persist_config=False`), and a user whose credentials come from
a program (`exec`, `auth-provider`) is refused, so that nothing is ever spawned. Each list's body
is kept as the API server's own JSON (`_preload_content=False`), not rebuilt through the client's
models, which would drop fields they do not know, such as newer ones, and rewrite timestamps.
Secrets are never read.
"""

from __future__ import annotations

import json
import os
from typing import Any

from kubenet_nb.api.errors import KubectlError

__all__ = ["LISTS", "read_cluster"]

LISTS: tuple[tuple[str, str, bool], ...] = (
    ("CoreV1Api", "list_namespace", True),
    ("CoreV1Api", "list_node", True),
    ("CoreV1Api", "list_service_for_all_namespaces", True),
    ("CoreV1Api", "list_endpoints_for_all_namespaces", False),
    ("CoreV1Api", "list_pod_for_all_namespaces", True),
    ("CoreV1Api", "list_config_map_for_all_namespaces", False),
    ("CoreV1Api", "list_service_account_for_all_namespaces", False),
    ("DiscoveryV1Api", "list_endpoint_slice_for_all_namespaces", True),
    ("AppsV1Api", "list_deployment_for_all_namespaces", False),
    ("AppsV1Api", "list_replica_set_for_all_namespaces", False),
    ("AppsV1Api", "list_daemon_set_for_all_namespaces", False),
    ("AppsV1Api", "list_stateful_set_for_all_namespaces", False),
    ("NetworkingV1Api", "list_network_policy_for_all_namespaces", False),
    ("NetworkingV1Api", "list_ingress_for_all_namespaces", False),
    ("NetworkingV1Api", "list_service_cidr", False),
    ("NetworkingV1Api", "list_ip_address", False),
)
"""(client API class, list method, required): what the import reads. A list that is not
required is skipped when the server refuses it (403: RBAC) or does not serve it (404)."""
PAGE = 500
"""Objects per list request, as kubectl asks for (`--chunk-size`)."""
TIMEOUT_SECONDS = 30.0
"""How long one list request may take."""
PROGRAM_CREDENTIALS = ("exec", "auth-provider")
"""kubeconfig user entries that run a program to get credentials: refused."""


def read_cluster(context: str | None = None, kubeconfig: str | None = None) -> list[dict]:
    """Every object the import reads from the cluster of a kubeconfig context (default: the
    current context of `kubeconfig`, default $KUBECONFIG or ~/.kube/config), as plain dicts."""
    from kubernetes import client  # the client is needed only here: imported when used

    objects: list[dict] = []
    with _api_client(context, kubeconfig) as api_client:
        for api_class, method, required in LISTS:
            api = getattr(client, api_class)(api_client)
            try:
                objects.extend(_list_all(getattr(api, method)))
            except client.ApiException as error:
                if required or error.status not in (403, 404):
                    raise KubectlError(
                        f"error: {method} failed: {error.status} {error.reason}"
                    ) from None
    return objects


def _api_client(context: str | None, kubeconfig: str | None) -> Any:
    """An ApiClient for the context, after refusing credentials that would run a program."""
    from kubernetes import config
    from kubernetes.config.kube_config import KubeConfigMerger

    paths = kubeconfig or os.environ.get("KUBECONFIG") or "~/.kube/config"
    merged = KubeConfigMerger(paths).config
    if merged is None:
        raise KubectlError(f"error: no kubeconfig found at {paths}")
    name = context or merged.value.get("current-context")
    found = merged["contexts"].get_with_name(name, safe=True) if name else None
    if found is None:
        raise KubectlError(f'error: context "{name}" does not exist')
    user_name = found["context"].safe_get("user")
    user = merged["users"].get_with_name(user_name, safe=True) if user_name else None
    entry = user.safe_get("user") if user is not None else None
    if isinstance(entry, dict) and any(key in entry for key in PROGRAM_CREDENTIALS):
        raise KubectlError(
            f'error: user "{user_name}" gets its credentials from a program (exec or '
            "auth-provider), which the import never runs: use a kubeconfig with a token or a "
            "client certificate"
        )
    return config.new_client_from_config_dict(merged, context=name, persist_config=False)


def _list_all(list_method: Any) -> list[dict]:
    """Every item of one list, page after page, each with its kind and apiVersion."""
    items: list[dict] = []
    token: str | None = None
    while True:
        response = list_method(
            limit=PAGE,
            _continue=token,
            _preload_content=False,
            _request_timeout=TIMEOUT_SECONDS,
        )
        body = json.loads(response.data)
        kind = body.get("kind", "").removesuffix("List")
        for item in body.get("items") or ():
            items.append({"apiVersion": body.get("apiVersion"), "kind": kind, **item})
        token = (body.get("metadata") or {}).get("continue") or None
        if token is None:
            return items
