# tinfeed: built with cargo, run on distroless as a non-root user.
#
#   docker build -t tinfeed .
#   docker run -d --name tinfeed -p 8080:8080 \
#       -v tinfeed-data:/var/lib/tinfeed/data -v tinfeed-feeds:/var/lib/tinfeed/feeds tinfeed
#
# The default command is the daemon (`tinfeed run`: schedules + HTTP on 0.0.0.0:8080); `once`,
# `check`, `inspect` work as arguments (`docker run --rm … tinfeed once`). The image ships the
# repository's config/ (TINFEED_CONFIG): mount your own over /var/lib/tinfeed/config, or point
# TINFEED_CONFIG elsewhere. TINFEED_* variables override the config's listen address, public URL
# and directories, so one image serves every deployment.

FROM rust:1-slim-bookworm AS build
# jemalloc (the allocator) builds from source with make; the slim image has only the compiler
RUN apt-get update && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml build.rs ./
COPY src ./src
# not built here, but the manifest names it: cargo wants its file
COPY benches ./benches
RUN cargo build --release --locked --bin tinfeed \
    # the volumes' mount points, owned by the runtime user (distroless has no shell to make them)
    && mkdir -p /out/data /out/feeds

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/tinfeed /usr/local/bin/tinfeed
COPY --from=build --chown=65532:65532 /out/ /var/lib/tinfeed/
COPY --chown=65532:65532 config /var/lib/tinfeed/config
WORKDIR /var/lib/tinfeed
ENV TINFEED_CONFIG=/var/lib/tinfeed/config/tinfeed.toml \
    TINFEED_LISTEN=0.0.0.0:8080 \
    TINFEED_DATA_DIR=/var/lib/tinfeed/data \
    TINFEED_FEEDS_DIR=/var/lib/tinfeed/feeds
VOLUME ["/var/lib/tinfeed/data", "/var/lib/tinfeed/feeds"]
EXPOSE 8080
# distroless runs as nonroot (uid 65532) already; said again so no base change can undo it
USER 65532:65532
# no curl in the image: the binary probes its own /healthz (address from the config and TINFEED_LISTEN)
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/usr/local/bin/tinfeed", "health"]
# SIGTERM (docker stop) is a graceful stop: runs in flight get 10 s, feeds are never half-written
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/tinfeed", "--log-format", "json"]
CMD ["run"]
