# Soft Landing: one image for long polling (the default) or webhooks. See README, "Deploy".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src

# Dependencies in their own layer, from the lock alone: exact versions, each file checked
# against its hash, the same in every build; editing the code does not reinstall them. The
# lock also holds the build backend, so building the project below fetches nothing.
COPY requirements.txt ./
RUN python -m pip install --require-hashes -r requirements.txt

# The code, with its content YAML and migrations as package data, and the zone data from the
# tzdata dependency: nothing is fetched at run time.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY lessons ./lessons
COPY scheduler ./scheduler
RUN python -m pip install --no-deps --no-build-isolation .

RUN useradd --create-home --uid 10001 softlanding \
    && mkdir -p /app/data /app/keys \
    && chown softlanding /app/data /app/keys \
    && chmod 0700 /app/keys
USER softlanding
WORKDIR /app

# The SQLite database lives here (DATABASE_URL's default is data/softlanding.db in /app), and
# the data key that seals its chat ids in a volume of its own (keys/softlanding.key, written
# at the first start): back the two up apart, since either one alone names no one.
VOLUME /app/data /app/keys
EXPOSE 8080

# Webhook mode only: polling mode has no HTTP server, so there this check fails; run a
# polling container with --no-healthcheck (compose: healthcheck: disable: true).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('WEBHOOK_PORT', '8080'), timeout=4)"

CMD ["softlanding", "run"]
