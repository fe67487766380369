# tinfeed: build with cargo, run on distroless as a non-root user.
#   docker build -t tinfeed .
#   docker run --rm -v tinfeed-data:/var/lib/tinfeed tinfeed
# The config's relative paths resolve against the config file's folder: the image's config lives in
# /var/lib/tinfeed/config, so `feeds_dir = "../feeds"` and `data_dir = "../data"` land in the volume.

FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml ./
COPY src ./src
RUN cargo build --release --locked --bin tinfeed

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/tinfeed /usr/local/bin/tinfeed
COPY --chown=nonroot:nonroot config /var/lib/tinfeed/config
WORKDIR /var/lib/tinfeed
VOLUME ["/var/lib/tinfeed/data", "/var/lib/tinfeed/feeds"]
ENV TINFEED_CONFIG=/var/lib/tinfeed/config/tinfeed.toml
USER nonroot
ENTRYPOINT ["/usr/local/bin/tinfeed"]
CMD ["once"]
