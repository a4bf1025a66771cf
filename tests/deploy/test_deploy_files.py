"""The deployment files (deploy/) validated offline: no Docker engine or cluster runs here.

Checked with the tools made for it (the compose-spec schema through check-jsonschema, the
Kubernetes schemas of kubernetes-validate, `haproxy -c`), then for what the project requires of
them: a non-root image on a pinned base, Redis append-only, probes and resource requests on
every workload, autoscaling for Rasa and the action server, socket.io affinity, secrets only
from Secrets.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.helpers import REPO_ROOT
from launcher.balancer import haproxy_binary
from settings.shared_secrets import ACTION_SECRETS, DESK_SECRETS, RASA_SECRETS

DEPLOY = REPO_ROOT / "deploy"
TOOLS = REPO_ROOT / ".venv-deploy" / "bin"
# The Sentinel option (k8s/sentinel/) is applied in place of k8s/redis.yaml, and checked alike.
MANIFESTS = sorted((DEPLOY / "k8s").glob("*.yaml")) + sorted((DEPLOY / "k8s").glob("*/*.yaml"))
PARTS = ("rasa", "actions", "desk", "web", "shop")
SHARED_SECRETS = {*RASA_SECRETS, *ACTION_SECRETS, *DESK_SECRETS}


def run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, check=False, timeout=120
    )


def k8s_documents() -> list[dict[str, Any]]:
    return [
        doc
        for path in MANIFESTS
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc
    ]


def workloads() -> list[dict[str, Any]]:
    return [doc for doc in k8s_documents() if doc["kind"] in ("Deployment", "StatefulSet")]


def test_compose_file_matches_the_compose_specification() -> None:
    checked = run(
        TOOLS / "check-jsonschema",
        "--builtin-schema",
        "vendor.compose-spec",
        DEPLOY / "compose.yaml",
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_kubernetes_manifests_match_the_kubernetes_schemas() -> None:
    checked = run(TOOLS / "kubernetes-validate", "--strict", *MANIFESTS)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("passed") == len(k8s_documents())


def test_haproxy_accepts_the_compose_balancer_configuration() -> None:
    checked = run(haproxy_binary(), "-c", "-f", DEPLOY / "haproxy.cfg")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_image_runs_as_a_user_on_a_pinned_base_and_starts_every_part() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", dockerfile, re.MULTILINE)
    assert base and re.fullmatch(r"python:3\.10\.\d+-slim-\w+", base[1])
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert "rasa train" in dockerfile  # the model is baked in
    entrypoint = (DEPLOY / "entrypoint.sh").read_text(encoding="utf-8")
    for part in PARTS:
        assert re.search(rf"^\s+{part}\)", entrypoint, re.MULTILINE), part


def test_compose_runs_redis_append_only_and_scales_rasa_and_actions() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"redis", "balancer", "desk", "web", *PARTS} <= set(services)
    assert "--appendonly" in services["redis"]["command"]
    assert services["rasa"]["deploy"]["replicas"] == "${RASA_INSTANCES:-2}"
    assert services["actions"]["deploy"]["replicas"] == "${ACTION_INSTANCES:-2}"
    for part in PARTS:
        assert services[part]["command"] == [part]


@pytest.mark.parametrize("kind", ["readinessProbe", "livenessProbe"])
def test_every_workload_has_probes_and_resource_requests(kind: str) -> None:
    for workload in workloads():
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, workload["metadata"]["name"]
        for container in pod["containers"]:
            assert kind in container, workload["metadata"]["name"]
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])


def test_rasa_and_actions_autoscale_and_socketio_sessions_stick() -> None:
    documents = k8s_documents()
    scaled = {
        doc["spec"]["scaleTargetRef"]["name"]
        for doc in documents
        if doc["kind"] == "HorizontalPodAutoscaler"
    }
    assert scaled == {"rasa", "actions"}
    rasa_service = next(
        d for d in documents if d["kind"] == "Service" and d["metadata"]["name"] == "rasa"
    )
    assert rasa_service["spec"]["sessionAffinity"] == "ClientIP"
    ingress = next(d for d in documents if d["kind"] == "Ingress")
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"


def test_secrets_come_only_from_the_secret() -> None:
    for workload in workloads():
        for container in workload["spec"]["template"]["spec"]["containers"]:
            if container["name"] in ("redis", "sentinel"):
                continue
            sources = [next(iter(source)) for source in container["envFrom"]]
            assert sources == ["configMapRef", "secretRef"]
    config = next(d for d in k8s_documents() if d["kind"] == "ConfigMap")
    assert not any("TOKEN" in key or "SECRET" in key for key in config["data"])


def sentinel_monitor(config: str) -> tuple[str, str, str]:
    """(primary's name, its host, quorum) of the one `sentinel monitor` line of a config."""
    monitors = re.findall(r"^\s*sentinel monitor (\S+) (\S+) 6379 (\d+)$", config, re.MULTILINE)
    assert len(monitors) == 1, config
    return monitors[0]


def test_the_sentinel_option_has_a_replica_and_three_sentinels_with_a_quorum_of_two() -> None:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))["services"]
    sentinels = [name for name in services if name.startswith("sentinel-")]
    assert len(sentinels) == 3
    for name in [*sentinels, "redis-replica"]:
        assert services[name]["profiles"] == ["sentinel"]
    assert services["redis-replica"]["command"][-4:-2] == ["redis", "6379"]
    master, host, quorum = sentinel_monitor(services["sentinel-1"]["command"][0])
    assert (master, host, quorum) == ("${REDIS_SENTINEL_MASTER:-cs-primary}", "redis", "2")

    workloads_by_name = {w["metadata"]["name"]: w for w in workloads()}
    data, watchers = workloads_by_name["redis-ha"], workloads_by_name["sentinel"]
    assert data["spec"]["replicas"] == 2 and watchers["spec"]["replicas"] == 3
    config = watchers["spec"]["template"]["spec"]["containers"][0]["args"][0]
    assert sentinel_monitor(config) == ("cs-primary", "redis-ha-0.redis-ha", "2")
    # Each sentinel keeps what it learnt across restarts (else it calls redis-ha-0 primary again).
    assert watchers["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "conf"


def test_every_shared_secret_is_required_of_every_container() -> None:
    app = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))["x-app"]
    secret = next(d for d in k8s_documents() if d["kind"] == "Secret")
    for name in SHARED_SECRETS:
        assert name in secret["stringData"], name
        if name != "DESK_SECRET_KEY":  # only the desk holds it
            assert app["environment"][name] == f"${{{name}:?set {name}}}", name
