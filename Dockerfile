# syntax=docker/dockerfile:1
# DB-Forge gateway image: a static binary (no cgo: SQLite is pure Go) on
# distroless/static, running as the image's non-root user, data in /data.
#   docker build --build-arg VERSION=v1.0.0 -t dbforge .
#   docker run -d -p 8080:8080 -v dbforge-data:/data -e DBFORGE_API_KEY=... dbforge

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/dbforge/dbforge/internal/cli.Version=${VERSION}" \
      -o /out/dbforge . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dbforge /dbforge
# /data exists and belongs to the non-root user before the volume mounts,
# so a fresh named volume inherits that owner.
COPY --from=build --chown=65532:65532 /out/data /data
ENV DBFORGE_DATA=/data
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
# distroless has no shell or curl: the binary checks /health itself
# (exit 0 when healthy, 1 otherwise).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/dbforge", "health", "--url", "http://127.0.0.1:8080", "--timeout", "3s"]
ENTRYPOINT ["/dbforge"]
CMD ["serve", "--addr", "0.0.0.0:8080", "--data", "/data"]
