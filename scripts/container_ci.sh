#!/usr/bin/env bash
# The container image's build and smoke test for CI on these machines (ADR 0028), as root:
# installs Debian's podman, works around what this sandbox refuses, makes stand-in base
# images from Debian's packages when no image registry answers, then runs
# scripts/container_smoke.sh. Exit codes as container_smoke.sh: 0 passed, 1 failed,
# 3 could not be tried (said why). Takes 10 to 20 minutes; not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v debootstrap >/dev/null; then
  if ! { apt-get update -qq && apt-get install -y -qq podman runc debootstrap >/dev/null; }; then
    echo "container build NOT RUN: podman, runc or debootstrap could not be installed"
    exit 3
  fi
fi

# Podman asks for resource limits above this sandbox's hard limits (the number of open
# files, and the number of processes even at its own hard limit): ask for less.
conf="$(mktemp -d)/containers.conf"
cat > "$conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=8192:8192"]
CONF
export CONTAINERS_CONF="$conf"
# crun refuses the hybrid cgroup layout here; runc does not.
export LOTUS_ENGINE_OPTS="${LOTUS_ENGINE_OPTS:---runtime runc}"

if ! timeout 120 podman pull -q python:3.11-slim-bookworm >/dev/null 2>&1 \
   || ! timeout 120 podman pull -q node:20-bookworm-slim >/dev/null 2>&1; then
  echo "No image registry answers: making stand-in base images from Debian's packages"
  if ! podman image exists localhost/lotus-stand-in-python:bookworm \
     || ! podman image exists localhost/lotus-stand-in-node:bookworm; then
    bash scripts/container_stand_in_bases.sh
  fi
  export PYTHON_IMAGE=localhost/lotus-stand-in-python:bookworm NODE_IMAGE=localhost/lotus-stand-in-node:bookworm
fi
exec bash scripts/container_smoke.sh
