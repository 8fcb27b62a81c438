"""`kubectl rollout status|history|undo|restart|pause|resume`.

As kubernetes/kubectl pkg/cmd/rollout/*.go and pkg/polymorphichelpers (rollout_status.go,
history.go, rollback.go, objectrestarter.go, objectpauser.go, objectresumer.go) @ v0.33.0:

- `status` prints what the status viewer says of the state it sees. The simulated cluster has
  settled when the command runs and nothing changes while it waits, so the command prints that
  one line and returns, as `--watch=false` does, whether or not the rollout is complete. It does
  not let simulated time pass: time is the learner's to advance (`c.advance`), and the line
  follows it, because the controllers move the rollout on the clock (pods available
  minReadySeconds after they became Ready, the Progressing condition timing out
  progressDeadlineSeconds after the last progress, which makes the command fail with
  `deployment "web" exceeded its progress deadline`).
- `history` reads the revisions of a Deployment's ReplicaSets (`deployment.kubernetes.io/
  revision`) and their `kubernetes.io/change-cause`; `--revision=N` prints that revision's pod
  template as DescribePodTemplate writes it, straight into a buffer (tabs left as they are).
- `undo` finds the ReplicaSet of the previous (or `--to-revision`) revision and patches its pod
  template (without its pod-template-hash) and annotations into the Deployment (a JSON patch);
  the Deployment controller then scales that ReplicaSet back up under a new revision number.
- `restart` sets `kubectl.kubernetes.io/restartedAt` on the pod template to the cluster clock's
  time (kubectl uses its own clock, in RFC 3339), a strategic merge patch; the same second twice
  makes no patch, which kubectl refuses.
- `pause` and `resume` set `spec.paused` on Deployments.

DaemonSets and StatefulSets keep their history in ControllerRevisions, which this simulator does
not write: their `history` and `undo` are refused as not supported.
"""

from __future__ import annotations

from kubenet_nb.kubectl.command import Invocation, first_argument, usage_error
from kubenet_nb.kubectl.commands.rollout.common import VALUE_FLAGS
from kubenet_nb.kubectl.commands.rollout.history import (
    CHANGE_CAUSE_ANNOTATION,
    run_history,
    run_undo,
)
from kubenet_nb.kubectl.commands.rollout.patches import RESTARTED_AT_ANNOTATION, run_patches
from kubenet_nb.kubectl.commands.rollout.status import run_status

__all__ = ["CHANGE_CAUSE_ANNOTATION", "HELP", "RESTARTED_AT_ANNOTATION", "run"]

HELP = (
    "Manage the rollout of one or many resources.\n"
    "        \n"  # kubectl prints the trailing spaces
    " Valid resource types include:\n"
    "\n"
    "  *  deployments\n"
    "  *  daemonsets\n"
    "  *  statefulsets\n"
    "\n"
    "Examples:\n"
    "  # Rollback to the previous deployment\n"
    "  kubectl rollout undo deployment/abc\n"
    "  \n"  # kubectl prints the trailing spaces
    "  # Check the rollout status of a daemonset\n"
    "  kubectl rollout status daemonset/foo\n"
    "  \n"  # kubectl prints the trailing spaces
    "  # Restart a deployment\n"
    "  kubectl rollout restart deployment/abc\n"
    "  \n"  # kubectl prints the trailing spaces
    "  # Restart deployments with the 'app=nginx' label\n"
    "  kubectl rollout restart deployment --selector=app=nginx\n"
    "\n"
    "Available Commands:\n"
    "  history       View rollout history\n"
    "  pause         Mark the provided resource as paused\n"
    "  restart       Restart a resource\n"
    "  resume        Resume a paused resource\n"
    "  status        Show the status of the rollout\n"
    "  undo          Undo a previous rollout\n"
    "\n"
    "Usage:\n"
    "  kubectl rollout SUBCOMMAND [options]\n"
    "\n"
    'Use "kubectl rollout <command> --help" for more information about a given command.\n'
    'Use "kubectl options" for a list of global command-line options (applies to all commands).'
)
"""What `kubectl rollout` alone prints (stdout, exit status 1), as kubectl v1.32 prints it."""


def run(invocation: Invocation) -> None:
    """`kubectl rollout SUBCOMMAND ...`."""
    name, rest = first_argument(invocation.argv, VALUE_FLAGS)
    if name == "status":
        run_status(invocation, rest)
    elif name == "history":
        run_history(invocation, rest)
    elif name == "undo":
        run_undo(invocation, rest)
    elif name in ("restart", "pause", "resume"):
        run_patches(invocation, name, rest)
    elif name is not None:
        raise usage_error(f'unknown command "{name}"', "kubectl rollout")
    else:
        invocation.terminal.out(HELP)
        invocation.terminal.exit_code = 1
