#!/usr/bin/env bash
# Build the LOTUS image and smoke-test it (ADR 0028): it runs as a user other than root,
# holds no build tools, migrates a database and answers its probes under the production
# settings. Uses podman, or docker. Bounded: about two minutes after the build.
#
# Exit 0: passed. 1: a check failed. 3: it could not be tried here (no working container
# engine, or the base images cannot be fetched); the reason is printed. Never 0 untried.
#
# Settings (all optional):
#   PYTHON_IMAGE, NODE_IMAGE  base images (default the Dockerfile's: python:3.11-slim-bookworm,
#                             node:20-bookworm-slim); scripts/container_stand_in_bases.sh
#                             makes local stand-ins from Debian's packages where no image
#                             registry can be reached
#   LOTUS_ENGINE_OPTS         extra options for every engine call, e.g. "--runtime runc"
#   LOTUS_BUILD_CA_BUNDLE     a CA bundle for npm, pip and uv during the build, where the
#                             registries are reached through a proxy with its own CA
#                             (default: $SSL_CERT_FILE when it names a file)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON_IMAGE="${PYTHON_IMAGE:-python:3.11-slim-bookworm}"
NODE_IMAGE="${NODE_IMAGE:-node:20-bookworm-slim}"
read -r -a engine_opts <<< "${LOTUS_ENGINE_OPTS:-}"
ca_bundle="${LOTUS_BUILD_CA_BUNDLE:-${SSL_CERT_FILE:-}}"

engine=""
for candidate in podman docker; do
  if command -v "$candidate" >/dev/null && timeout 30 "$candidate" "${engine_opts[@]}" info >/dev/null 2>&1; then
    engine="$candidate"; break
  fi
done
if [ -z "$engine" ]; then
  echo "container smoke test NOT RUN: no container engine answers here (podman or docker)"
  exit 3
fi

run() { "$engine" "${engine_opts[@]}" "$@"; }
for image in "$PYTHON_IMAGE" "$NODE_IMAGE"; do
  if ! timeout 30 "$engine" image exists "$image" 2>/dev/null && ! timeout 120 "$engine" pull -q "$image" >/dev/null 2>&1; then
    echo "container smoke test NOT RUN: $engine cannot fetch the base image $image (no registry reachable)"
    exit 3
  fi
done

tag="lotus:smoke-$$"
name="lotus-smoke-$$"
cleanup() { run rm -f "$name" >/dev/null 2>&1 || true; run rmi -f "$tag" >/dev/null 2>&1 || true; }
trap cleanup EXIT

build_opts=(--build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" --build-arg "NODE_IMAGE=$NODE_IMAGE")
if [ -n "$ca_bundle" ] && [ -f "$ca_bundle" ]; then
  build_opts+=(-v "$ca_bundle:/run/build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/build-ca.crt
               --build-arg PIP_CERT=/run/build-ca.crt --build-arg SSL_CERT_FILE=/run/build-ca.crt)
fi
echo "== build ($engine, from $PYTHON_IMAGE and $NODE_IMAGE)"
started=$(date +%s)
run build -q "${build_opts[@]}" -t "$tag" .
echo "built in $(( $(date +%s) - started )) s"

echo "== the final image: a user other than root, no build tools"
uid=$(run run --rm --entrypoint id "$tag" -u)
[ "$uid" != "0" ] || { echo "runs as root"; exit 1; }
for tool in gcc cc npm node uv make; do
  if run run --rm --entrypoint sh "$tag" -c "command -v $tool" >/dev/null 2>&1; then
    echo "build tool in the final image: $tool"; exit 1
  fi
done
run run --rm --entrypoint sh "$tag" -c 'ls /opt/lotus/static/nhsuk >/dev/null' \
  || { echo "static files were not collected at build"; exit 1; }

echo "== migrate, serve, probes (production settings, SQLite in the data volume)"
env_args=(-e SECRET_KEY="$(head -c 48 /dev/urandom | base64)" -e LOTUS_AUDIT_KEY="$(head -c 48 /dev/urandom | base64)"
          -e ALLOWED_HOSTS=localhost -e LOTUS_WORKERS=2)
run run -d --name "$name" -p 127.0.0.1::8000 "${env_args[@]}" --entrypoint sh "$tag" \
  -c 'lotus migrate --no-input -v 0 && exec lotus serve' >/dev/null
port=$(run port "$name" 8000 | head -n1 | sed 's/.*://')
for _ in $(seq 1 120); do
  if curl -fsS -H 'Host: localhost' "http://127.0.0.1:${port}/health/live" >/dev/null 2>&1; then break; fi
  sleep 1
done
ready=$(curl -sS -H 'Host: localhost' "http://127.0.0.1:${port}/health/ready")
echo "readiness: $ready"
case "$ready" in *'"database": "ok"'*) ;; *) run logs "$name" | tail -n 40; exit 1 ;; esac
run exec "$name" lotus worker --once --no-nightly
echo "container smoke test PASSED"
