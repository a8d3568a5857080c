# syntax=docker/dockerfile:1

# Build:  docker build -t ikz-verzeichnis:local \
#           --build-arg VERSION=$(git describe --tags --always) \
#           --build-arg REVISION=$(git rev-parse HEAD) \
#           --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ) .
# Run:    docker run -p 8080:8080 -v ikz-data:/data ikz-verzeichnis:local
#         (SQLite in the /data volume; set IKZ_DATABASE_URL=postgres://… for PostgreSQL)

# The build stage runs on the builder's own platform and cross-compiles, so
# multi-arch images (docker buildx --platform linux/amd64,linux/arm64) need no emulation.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build

WORKDIR /src

# Dependencies first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
# go.mod replaces the client module with ./client: its go.mod is part of the module graph.
COPY client/go.mod client/go.sum ./client/
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

COPY . .

ARG TARGETOS=linux
ARG TARGETARCH=amd64
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/ikz-verzeichnis ./cmd/ikz-verzeichnis \
 && mkdir -p /out/data

# distroless/static: no shell, no package manager, CA certificates and tzdata included
# (needed for the OIDC issuer over HTTPS and PostgreSQL with TLS).
FROM gcr.io/distroless/static-debian12:nonroot

ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="ikz-verzeichnis" \
      org.opencontainers.image.description="IKZ-Verzeichnis: REST API for the directory of inter-municipal cooperations" \
      org.opencontainers.image.source="https://github.com/ikz-verzeichnis/ikz-verzeichnis" \
      org.opencontainers.image.url="https://github.com/ikz-verzeichnis/ikz-verzeichnis" \
      org.opencontainers.image.documentation="https://github.com/ikz-verzeichnis/ikz-verzeichnis/tree/main/deployments" \
      org.opencontainers.image.vendor="IKZ-Verzeichnis" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.created="$CREATED" \
      org.opencontainers.image.base.name="gcr.io/distroless/static-debian12:nonroot"

COPY --from=build /out/ikz-verzeichnis /ikz-verzeichnis
# /data must exist and belong to nonroot (65532) in the image: a new named volume
# takes the ownership of the image's directory, a directory created by the engine
# would belong to root and the SQLite file could not be written.
COPY --from=build --chown=65532:65532 /out/data /data

USER nonroot:nonroot
VOLUME /data
ENV IKZ_DATABASE_URL=sqlite:/data/ikz-verzeichnis.db
EXPOSE 8080

# The binary checks itself (no curl or shell in the image): GET /healthz on
# 127.0.0.1 at IKZ_LISTEN_ADDR's port, exit 0 or 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/ikz-verzeichnis", "healthcheck"]

ENTRYPOINT ["/ikz-verzeichnis"]
CMD ["serve"]
