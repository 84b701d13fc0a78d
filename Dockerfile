# Build stage: the same Debian release as the runtime stage, so the binary links the same libpq.
FROM rust:1.95-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY .cargo ./.cargo
COPY src ./src
COPY assets ./assets
COPY migrations ./migrations
COPY questionnaires ./questionnaires
COPY benches ./benches
COPY tests ./tests
RUN cargo build --release --locked --bin dcmm

# Runtime stage: the binary, libpq, a non-root user and a volume for the data folder.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/dcmm --create-home dcmm
COPY --from=build /src/target/release/dcmm /usr/local/bin/dcmm
USER dcmm
WORKDIR /var/lib/dcmm
ENV DCMM_DATA_DIR=/var/lib/dcmm/data \
    DCMM_BIND=0.0.0.0:8080 \
    DCMM_LOG_FORMAT=json
VOLUME ["/var/lib/dcmm/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dcmm"]
CMD ["serve"]
