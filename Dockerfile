# LOTUS container image (ADR 0028). Three stages: the NHS.UK front-end assets (Node),
# the Python environment and collected static files (uv), and the image that runs, which
# holds neither Node, uv, a compiler nor the sources' tests, and runs as user `lotus`.
#
#   docker build -t lotus .          (or: podman build -t lotus .)
#   docker compose up                (compose.yaml: app, worker, PostgreSQL, Redis, MinIO)
#
# The image's command is `lotus serve` (gunicorn on 0.0.0.0:8000); `lotus worker` and
# `lotus migrate` run from the same image. Configuration comes from the environment, as
# docs/deploy.md describes; secrets as files (`SECRET_KEY_FILE`, `LOTUS_AUDIT_KEY_FILE`,
# `DATABASE_URL_FILE`).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# -- 1. front-end assets ----------------------------------------------------------------
FROM ${NODE_IMAGE} AS assets
# Only where the network to the registries passes a proxy with its own certificate
# authority (scripts/container_smoke.sh passes it); empty otherwise, never in the image.
ARG NODE_EXTRA_CA_CERTS
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# -- 2. the Python environment and the static files ---------------------------------------
FROM ${PYTHON_IMAGE} AS build
ARG UV_VERSION=0.13.9
# (as in the assets stage: a proxy's certificate authority for pip and uv, if any)
ARG PIP_CERT
ARG SSL_CERT_FILE
ENV UV_PROJECT_ENVIRONMENT=/opt/lotus/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m pip install "uv==${UV_VERSION}"
WORKDIR /opt/lotus
# The locked dependencies first (a layer that changes only with uv.lock), then LOTUS.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY manage.py ./
COPY lotus ./lotus
RUN uv sync --frozen --no-dev
COPY --from=assets /build/node_modules/nhsuk-frontend/dist ./node_modules/nhsuk-frontend/dist
# Static files collected at build time into the image (served by WhiteNoise), not into
# the data volume.
RUN DJANGO_SETTINGS_MODULE=lotus.config.settings.base LOTUS_VAR_DIR=/opt/lotus/build-var \
    /opt/lotus/.venv/bin/python manage.py collectstatic --no-input --verbosity 0 \
    && mv /opt/lotus/build-var/static /opt/lotus/static \
    && rm -rf /opt/lotus/build-var

# -- 3. the image that runs -------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# postgresql-client: `lotus backup` uses pg_dump. Nothing to build with. Not pinned: the
# version is Debian bookworm's, with its security updates at each rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 lotus \
    && useradd --system --uid 10001 --gid lotus --home-dir /var/lib/lotus --create-home --shell /usr/sbin/nologin lotus
WORKDIR /opt/lotus
COPY --from=build /opt/lotus/.venv /opt/lotus/.venv
COPY --from=build /opt/lotus/static /opt/lotus/static
COPY --from=build /opt/lotus/manage.py /opt/lotus/pyproject.toml ./
COPY --from=build /opt/lotus/lotus ./lotus
# (the assets' source as well: STATICFILES_DIRS names it, and the checks expect it)
COPY --from=build /opt/lotus/node_modules/nhsuk-frontend/dist ./node_modules/nhsuk-frontend/dist
ENV PATH=/opt/lotus/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=lotus.config.settings.production \
    LOTUS_VAR_DIR=/var/lib/lotus \
    LOTUS_STATIC_ROOT=/opt/lotus/static \
    LOTUS_BIND=0.0.0.0:8000 \
    LOTUS_LOG_FORMAT=json \
    LOTUS_METRICS_DIR=/tmp/lotus-metrics
USER 10001:10001
VOLUME ["/var/lib/lotus"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=4).status != 200)"]
ENTRYPOINT ["lotus"]
CMD ["serve"]
