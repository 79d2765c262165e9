# The tracker as one image for the web app, the scheduler and one-off commands (see compose.yaml).
FROM python:3.11-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata procps \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY tracker ./tracker
COPY web ./web
COPY migrations ./migrations
COPY seeds ./seeds
RUN pip install --no-cache-dir . \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin tracker

USER tracker
EXPOSE 8000
CMD ["tracker", "serve", "--host", "0.0.0.0", "--port", "8000"]
