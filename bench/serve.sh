#!/usr/bin/env bash
# Serving benchmark (not a test): tinfeed's server against nginx on loopback, one after the other in
# one run, on the same ~200 KB feed (precompressed for nginx's gzip_static), at 64 connections:
#   full 200 (no compression), gzip 200, and 304 on If-None-Match.
# Reports requests/s and p99 latency from wrk, tinfeed's share of nginx, and the resident memory
# of the idle daemon serving 20 feeds (plus `all`).
#
#   bash bench/serve.sh              # builds the release binary if missing; DURATION=10 by default
#   DURATION=30 bash bench/serve.sh
#
# Needs `wrk` and `nginx` (Debian: `apt-get install wrk nginx-light`; installed here when missing and
# run as root). Traffic stays on 127.0.0.1; every wrk run is bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=64
BIN=${TINFEED_BIN:-target/release/tinfeed}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
TF_PORT=${TF_PORT:-$(free_port)}
NGINX_PORT=${NGINX_PORT:-$(free_port)}

need() {
    command -v "$1" >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing $2 …" >&2
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2"; } >/dev/null 2>&1
    fi
    command -v "$1" >/dev/null 2>&1 || { echo "error: \`$1\` is missing (apt-get install $2)" >&2; exit 2; }
}
need wrk wrk
need nginx nginx-light
[ -x "$BIN" ] || cargo build --release --locked --bin tinfeed

WORK=$(mktemp -d)
chmod 755 "$WORK"   # nginx workers (nobody) read the feed from here
TF_PID=""
NGINX_PID=""
cleanup() {
    [ -n "$TF_PID" ] && kill "$TF_PID" 2>/dev/null && wait "$TF_PID" 2>/dev/null
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- 20 categories over one folder of 50 Vietnamese articles: each category feed is ~200 KB ---
# Article text is drawn at random (fixed seed) from the demo's Vietnamese vocabulary, so it compresses
# like real prose (about 4:1), not like one paragraph repeated.
mkdir -p "$WORK/articles"
cat config/demo/files/*.txt | tr -s '[:space:][:punct:]' '\n' | grep -v '^$' | sort -u >"$WORK/words"
awk -v seed=42 -v articles=50 -v out="$WORK/articles" '
    { words[n++] = $0 }
    END {
        srand(seed)
        for (a = 1; a <= articles; a++) {
            file = sprintf("%s/bai-%02d.txt", out, a)
            printf "Bài số %d: Hà Nam đẩy mạnh chuyển đổi số trong cải cách hành chính, phục vụ người dân và doanh nghiệp.\n", a > file
            for (p = 0; p < 5; p++) {
                line = ""
                for (w = 0; w < 90; w++) line = line (w ? " " : "") words[int(rand() * n)]
                print toupper(substr(line, 1, 1)) substr(line, 2) "." > file
            }
            print "Kết thúc bài " a "./." > file
            close(file)
        }
    }' "$WORK/words"
{
    cat <<EOF
[site]
title = "Báo Hà Nam"
base_url = "http://127.0.0.1:$TF_PORT/"
feeds_dir = "feeds"
data_dir = "data"
listen = "127.0.0.1:$TF_PORT"
items_per_feed = 50
EOF
    for i in $(seq -w 1 20); do
        printf '\n[[sources]]\nid = "muc-%s"\nkind = "files"\npath = "articles"\ncategory = "Chuyên mục %s"\nmax_items = 50\n' "$i" "$i"
    done
} >"$WORK/bench.toml"
"$BIN" once --config "$WORK/bench.toml" >/dev/null 2>"$WORK/once.log"
FEED=chuyen-muc-01.rss
SIZE=$(stat -c %s "$WORK/feeds/$FEED")
gzip -9 -k "$WORK/feeds/$FEED"
chmod -R a+rX "$WORK/feeds"
echo "feed: $FEED, $SIZE bytes ($(stat -c %s "$WORK/feeds/$FEED.gz") gzipped); $(ls "$WORK"/feeds/*.rss | wc -l) RSS feeds"

# --- wrk: requests/s and p99 (ms) ---
bench() { # url [header]
    local out
    if [ -n "${2:-}" ]; then
        out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$2" "$1")
    else
        out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")
    fi
    local rps p99 non2xx
    rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.2f", v}' <<<"$out")
    non2xx=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out")
    echo "$rps $p99 ${non2xx:-0}"
}
etag() { curl -s -D - -o /dev/null "$1" | awk 'tolower($1) == "etag:" {gsub("\r",""); print $2}'; }
check_status() { # url header expected
    local got
    got=$(curl -s -o /dev/null -w '%{http_code}' -H "$2" "$1")
    [ "$got" = "$3" ] || { echo "error: $1 with \`$2\` answered $got, expected $3" >&2; exit 1; }
}

run_suite() { # name url
    local url=$2 tag
    tag=$(etag "$url")
    check_status "$url" "Accept-Encoding: gzip" 200
    check_status "$url" "If-None-Match: $tag" 304
    [ "$(curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null "$url" | tr -d '\r' | awk 'tolower($1)=="content-encoding:" {print $2}')" = gzip ] \
        || { echo "error: $1 does not serve gzip" >&2; exit 1; }
    wrk -t2 -c"$CONNECTIONS" -d2s "$url" >/dev/null # warm-up
    echo "full $(bench "$url")"
    echo "gzip $(bench "$url" "Accept-Encoding: gzip")"
    echo "304 $(bench "$url" "If-None-Match: $tag")"
}

# --- tinfeed ---
RUST_LOG=warn "$BIN" run --config "$WORK/bench.toml" 2>"$WORK/run.log" &
TF_PID=$!
for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$TF_PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
# idle: let the start-up runs end (/readyz answers 200 once every source ran), then settle
for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$TF_PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$TF_PORT/readyz" >/dev/null || { cat "$WORK/run.log" >&2; exit 1; }
sleep 2
RSS_IDLE=$(awk '/^VmRSS/ {print $2}' "/proc/$TF_PID/status")
FEEDS_SERVED=$(curl -s "http://127.0.0.1:$TF_PORT/readyz" | awk -F': ' '/"feeds"/ {gsub(",",""); print $2}')
mapfile -t TF < <(run_suite tinfeed "http://127.0.0.1:$TF_PORT/$FEED")
RSS_AFTER=$(awk '/^VmRSS/ {print $2}' "/proc/$TF_PID/status")
kill "$TF_PID"
wait "$TF_PID" || true
TF_PID=""

# --- nginx, same file from disk, precompressed ---
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    open_file_cache max=100 inactive=60s;
    client_body_temp_path $WORK/nginx/tmp;
    proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp;
    scgi_temp_path $WORK/nginx/tmp;
    types { application/rss+xml rss; }
    charset utf-8;
    charset_types application/rss+xml;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/feeds;
        gzip_static on;
        gzip_vary on;
    }
}
EOF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$NGINX_PORT/$FEED" -o /dev/null && break
    sleep 0.1
done
mapfile -t NG < <(run_suite nginx "http://127.0.0.1:$NGINX_PORT/$FEED")
kill "$NGINX_PID"
wait "$NGINX_PID" || true
NGINX_PID=""

# --- report ---
echo
echo "$(nproc) cores, wrk -t2 -c$CONNECTIONS -d${DURATION}s on loopback, feed $SIZE bytes"
printf '%-10s %14s %10s %14s %10s %9s\n' case "tinfeed req/s" "p99 ms" "nginx req/s" "p99 ms" "tf/nginx"
for i in 0 1 2; do
    read -r name trps tp99 tbad <<<"${TF[$i]}"
    read -r _ nrps np99 nbad <<<"${NG[$i]}"
    ratio=$(awk -v a="$trps" -v b="$nrps" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }')
    printf '%-10s %14s %10s %14s %10s %9s\n' "$name" "$trps" "$tp99" "$nrps" "$np99" "$ratio"
    [ "$tbad" = 0 ] && [ "$nbad" = 0 ] || echo "  (unexpected statuses: tinfeed $tbad, nginx $nbad)"
done
echo "tinfeed idle RSS with $FEEDS_SERVED feed files (20 categories + all, RSS and Atom): $((RSS_IDLE / 1024)) MB ($RSS_IDLE kB); after the runs: $((RSS_AFTER / 1024)) MB"
