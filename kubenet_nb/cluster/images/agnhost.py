"""agnhost, the Kubernetes e2e test image: one binary, a cobra subcommand per program.

k/k test/images/agnhost/Dockerfile @ 05c351a: `ENTRYPOINT ["/agnhost"]`, `CMD ["pause"]`,
`EXPOSE 80 8080 8081 9376` (a container with no command and no args runs `pause`, which
listens on nothing). Flags are spf13/pflag's (`--port=8080` or `--port 8080`).
"""

from __future__ import annotations

from kubenet_nb.cluster.images.model import EnvPorts, Image, ListenPort, Program

__all__ = ["AGNHOST"]

_K = "kubernetes/kubernetes test/images/agnhost"

_SUBCOMMANDS = {
    "pause": Program((), source=f"{_K}/pause/pause.go: waits for a signal, no socket"),
    "netexec": Program(
        (),
        (
            ListenPort(8080, flags=("http-port",)),
            ListenPort(8081, "UDP", flags=("udp-port",)),
            ListenPort(-1, "SCTP", flags=("sctp-port",)),
        ),
        f"{_K}/netexec/netexec.go @ 1c9cf91: --http-port 8080, --udp-port 8081 (-1: none),"
        " --sctp-port -1",
        single_dash=False,
    ),
    "serve-hostname": Program(
        (),
        (
            ListenPort(9376, flags=("port",), switch=("http", True)),
            ListenPort(9376, flags=("port",), switch=("tcp", False)),
            ListenPort(9376, "UDP", flags=("port",), switch=("udp", False)),
        ),
        f"{_K}/serve-hostname/serve_hostname.go @ 6732d91: --port 9376, --http (default"
        " true), --tcp, --udp",
        single_dash=False,
    ),
    "porter": Program(
        (),
        (
            EnvPorts(("SERVE_PORT_", "SERVE_TCP_PORT_", "SERVE_TLS_PORT_")),
            EnvPorts(("SERVE_UDP_PORT_",), "UDP"),
            EnvPorts(("SERVE_SCTP_PORT_",), "SCTP"),
        ),
        f"{_K}/porter/porter.go @ 4a0608c: a server per SERVE_{{,TCP_,TLS_,UDP_,SCTP_}}PORT_<n>",
        single_dash=False,
    ),
    "liveness": Program(
        (), (ListenPort(8080),), f'{_K}/liveness/server.go @ 245fe85: ListenAndServe(":8080")'
    ),
    "http-echo": Program(
        (),
        (ListenPort(8080, flags=("port",)),),
        f"{_K}/http-echo/http-echo.go @ d7805e9: --port 8080",
        single_dash=False,
    ),
    "test-webserver": Program(
        (), (ListenPort(80),), f"{_K}/Dockerfile @ 05c351a: 'PORT 80 needed by: test-webserver'"
    ),
}

AGNHOST = Image(
    (Program(("agnhost", "agnhost-2"), subcommands=_SUBCOMMANDS, source=f"{_K}/agnhost.go"),),
    entrypoint=("/agnhost",),
    cmd=("pause",),
    source=f"{_K}/Dockerfile @ 05c351a",
)
