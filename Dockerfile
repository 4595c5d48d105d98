# syntax=docker/dockerfile:1
#
# leakwatch with headless Chromium: `docker build -t leakwatch .`
# The builder compiles a static, cgo-free binary; the runtime is Debian
# stable-slim with Debian's chromium, fonts (pages render as on a desktop and
# fingerprinting scripts see ordinary fonts) and CA certificates. It runs as
# the unprivileged user leakwatch (uid 10001); /var/lib/leakwatch (its
# data, and hars/ for workers) belongs to it, so volumes mounted there do too.
# See docs/deploy.md.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# VERSION names the build in `leakwatch version` (e.g. a git tag); empty
# keeps the module's own.
ARG VERSION=""
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath \
      -ldflags="-s -w ${VERSION:+-X main.version=${VERSION}}" \
      -o /out/leakwatch ./cmd/leakwatch

FROM debian:stable-slim
# tini is PID 1: it forwards SIGTERM to leakwatch (whose first signal drains
# and second exits) and reaps the processes Chromium leaves behind.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      chromium ca-certificates tini \
      fonts-liberation fonts-dejavu-core fonts-noto-color-emoji fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --create-home --home-dir /home/leakwatch \
      --shell /usr/sbin/nologin leakwatch \
 && install -d -o 10001 -g 10001 -m 0700 /var/lib/leakwatch /var/lib/leakwatch/hars
COPY --from=build /out/leakwatch /usr/local/bin/leakwatch
ENV LEAKWATCH_CHROME=/usr/bin/chromium \
    XDG_DATA_HOME=/var/lib \
    HOME=/home/leakwatch
USER 10001:10001
WORKDIR /home/leakwatch
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--", "leakwatch"]
CMD ["serve", "--addr", ":8080"]
