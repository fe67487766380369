#!/usr/bin/env bash
# Serving benchmark (not a test): tinfeed's server against nginx on loopback, one after the other in
# one run, on the same ~200 KB feed (precompressed for nginx's gzip_static), at 64 connections:
#   full 200 (no compression), gzip 200, and 304 on If-None-Match.
# Each case runs on one server and at once on the other, the order swapped every round, so the
# machine's drift (its speed moves by tens of percent from minute to minute) weighs on both alike.
# Reports requests/s and p99 latency from wrk for each round and their medians, tinfeed's share of
# nginx, and the resident memory of the idle daemon serving 20 feeds (plus `all`).
#
#   bash bench/serve.sh              # builds the release binary if missing; 3 rounds of 5 s runs
#   ROUNDS=5 DURATION=10 bash bench/serve.sh
#
# Needs `wrk` and `nginx` (Debian: `apt-get install wrk nginx-light`; installed here when missing and
# run as root). Traffic stays on 127.0.0.1; every wrk run is bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
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

# checks that a server answers the feed, gzip and 304 as expected; prints its ETag
check_server() { # url
    local url=$1 tag
    tag=$(etag "$url")
    check_status "$url" "Accept-Encoding: gzip" 200
    check_status "$url" "If-None-Match: $tag" 304
    [ "$(curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null "$url" | tr -d '\r' | awk 'tolower($1)=="content-encoding:" {print $2}')" = gzip ] \
        || { echo "error: $url does not serve gzip" >&2; exit 1; }
    echo "$tag"
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

# --- the runs: both servers up (an idle one costs nothing), each case run on one, then at once
# on the other, the order swapped every round, so a machine that speeds up or slows down during
# the benchmark weighs on both alike ---
TF_URL="http://127.0.0.1:$TF_PORT/$FEED"
NG_URL="http://127.0.0.1:$NGINX_PORT/$FEED"
TF_TAG=$(check_server "$TF_URL")
NG_TAG=$(check_server "$NG_URL")
wrk -t2 -c"$CONNECTIONS" -d2s "$TF_URL" >/dev/null # warm-up
wrk -t2 -c"$CONNECTIONS" -d2s "$NG_URL" >/dev/null
RESULTS="$WORK/results"
: >"$RESULTS"
run_case() { # server url etag case
    local header=""
    case $4 in
        gzip) header="Accept-Encoding: gzip" ;;
        304) header="If-None-Match: $3" ;;
    esac
    echo "$1 $4 $(bench "$2" "$header")" >>"$RESULTS"
}
for round in $(seq 1 "$ROUNDS"); do
    for case in full gzip 304; do
        if [ $((round % 2)) = 1 ]; then
            run_case tinfeed "$TF_URL" "$TF_TAG" "$case"
            run_case nginx "$NG_URL" "$NG_TAG" "$case"
        else
            run_case nginx "$NG_URL" "$NG_TAG" "$case"
            run_case tinfeed "$TF_URL" "$TF_TAG" "$case"
        fi
    done
done
RSS_AFTER=$(awk '/^VmRSS/ {print $2}' "/proc/$TF_PID/status")

# --- report: each round, then the medians ---
median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
pick() { awk -v s="$1" -v c="$2" -v f="$3" '$1 == s && $2 == c {print $f}' "$RESULTS"; }
echo
echo "$(nproc) cores, wrk -t2 -c$CONNECTIONS -d${DURATION}s on loopback, feed $SIZE bytes, $ROUNDS rounds"
echo "each round (req/s p99 ms):"
for case in full gzip 304; do
    for server in tinfeed nginx; do
        printf '  %-5s %-8s' "$case" "$server"
        awk -v s="$server" -v c="$case" '$1 == s && $2 == c {printf " %8d %5.2f", $3, $4}' "$RESULTS"
        echo
    done
done
echo "medians:"
printf '%-10s %14s %10s %14s %10s %9s\n' case "tinfeed req/s" "p99 ms" "nginx req/s" "p99 ms" "tf/nginx"
for case in full gzip 304; do
    trps=$(pick tinfeed "$case" 3 | median)
    nrps=$(pick nginx "$case" 3 | median)
    tp99=$(pick tinfeed "$case" 4 | median)
    np99=$(pick nginx "$case" 4 | median)
    ratio=$(awk -v a="$trps" -v b="$nrps" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }')
    printf '%-10s %14.0f %10.2f %14.0f %10.2f %9s\n' "$case" "$trps" "$tp99" "$nrps" "$np99" "$ratio"
done
bad=$(awk '$5 != 0 {print $1, $2, $5}' "$RESULTS")
[ -z "$bad" ] || echo "unexpected statuses (server case count): $bad"
echo "tinfeed idle RSS with $FEEDS_SERVED feed files (20 categories + all, RSS and Atom): $((RSS_IDLE / 1024)) MB ($RSS_IDLE kB); after the runs: $((RSS_AFTER / 1024)) MB"
