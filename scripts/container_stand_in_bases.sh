#!/usr/bin/env bash
# Stand-ins for the Dockerfile's base images, made from Debian's packages, for a machine
# that reaches Debian's archive but no image registry (ADR 0028). Not for production:
# build the real image from python:3.11-slim-bookworm and node:20-bookworm-slim.
#
#   sudo scripts/container_stand_in_bases.sh        (needs debootstrap and podman, as root)
#   PYTHON_IMAGE=localhost/lotus-stand-in-python:bookworm \
#   NODE_IMAGE=localhost/lotus-stand-in-node:bookworm scripts/container_smoke.sh
#
# lotus-stand-in-node: Debian bookworm with nodejs and npm. lotus-stand-in-python: the
# same without them, with Debian's Python 3.11 as a virtual environment in /usr/local,
# so `python` and `pip` are where the official Python image has them.
# LOTUS_ENGINE_OPTS as for container_smoke.sh. About ten minutes.
set -euo pipefail
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
read -r -a engine_opts <<< "${LOTUS_ENGINE_OPTS:-}"
work="$(mktemp -d)"
trap 'umount "$work/rootfs/proc" 2>/dev/null || true; rm -rf "$work"' EXIT

debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$work/rootfs" "$mirror"
# npm's dependencies are more than debootstrap resolves: add them with apt in the tree.
cp /etc/resolv.conf "$work/rootfs/etc/resolv.conf"
mount -t proc proc "$work/rootfs/proc"
chroot "$work/rootfs" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get update -qq && apt-get install -y -q --no-install-recommends nodejs npm && apt-get clean && rm -rf /var/lib/apt/lists/*'
umount "$work/rootfs/proc"
rm -f "$work/rootfs/etc/resolv.conf"
tar -C "$work/rootfs" -c . | podman "${engine_opts[@]}" import - localhost/lotus-debian-rootfs:bookworm

cat > "$work/Containerfile.node" <<'NODE'
FROM localhost/lotus-debian-rootfs:bookworm
ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8
NODE
cat > "$work/Containerfile.python" <<'PYTHON'
FROM localhost/lotus-debian-rootfs:bookworm
ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8
RUN apt-get purge -y --auto-remove nodejs npm && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /usr/local && /usr/local/bin/python --version
PYTHON
podman "${engine_opts[@]}" build -q -t localhost/lotus-stand-in-node:bookworm -f "$work/Containerfile.node" "$work"
podman "${engine_opts[@]}" build -q -t localhost/lotus-stand-in-python:bookworm -f "$work/Containerfile.python" "$work"
echo "made localhost/lotus-stand-in-python:bookworm and localhost/lotus-stand-in-node:bookworm"
