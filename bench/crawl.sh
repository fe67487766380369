#!/usr/bin/env bash
# Crawl benchmark over the shared corpus (../shared/bench/README.md): not a test.
#
#   bench/crawl.sh                 # build nothing; uses target/release/tinfeed (cargo build --release first)
#   BIN=path/to/tinfeed PORT=18080 RUNS=3 bench/crawl.sh
#   BASE=path/to/old/tinfeed PAIRS=20 bench/crawl.sh   # also (a) and (b) old against new, interleaved
#   SPLIT=1 bench/crawl.sh         # also (a)'s CPU split into fixed cost and cost per article
#   CALIBRATE=1 bench/crawl.sh     # also (a) scaled to the speed of the machine the issue measured on,
#                                  # by scraper's parse rate and by the Python + lxml peer (bench/peer_lxml.py)
#
# It generates the clean corpus (and the hazard corpus) into a temp dir, serves it on loopback
# with ../shared/bench/serve.sh (nginx when installed, else SERVER=python), and times three jobs
# with /usr/bin/time -v, whole process, start-up included:
#   (a) the peers' job: 20 newest items with full text in each of the 8 categories (cold);
#   (b) a cold run over all 2,000 articles (every listing page of every category);
#   (c) the same config again, nothing changed (warm: conditional GETs, stored articles skipped).
# Then it runs (b) on the hazard corpus and checks every stored item against manifest.json.
# Figures: median of RUNS (default 3) for wall s, CPU s (user + sys), peak RSS MB; requests
# counted from nginx's access log.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release/tinfeed}
SHARED=${SHARED:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)}
PORT=${PORT:-18080}
RUNS=${RUNS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tinfeed-crawl.XXXXXX")
PID=""
cleanup() { [ -n "$PID" ] && "$SHARED/serve.sh" stop "$PID" >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt: time)" >&2; exit 2; }

echo "== corpus"
python3 "$SHARED/make_corpus.py" "$WORK/clean" --hazard-rate 0 >&2
python3 "$SHARED/make_corpus.py" "$WORK/hazard" >&2

# config NAME CORPUS ALL_PAGES(0|1) MAX_ITEMS ITEMS_PER_FEED: one source per category
config() {
  local name=$1 corpus=$2 all=$3 max=$4 per_feed=$5 out="$WORK/$1.toml"
  cat > "$out" <<TOML
[site]
title = "Báo Tin Nhanh Việt"
base_url = "http://127.0.0.1:8080/"
feeds_dir = "$name-feeds"
data_dir = "$name-data"
items_per_feed = $per_feed
# loopback nginx: no need to pace ourselves; robots.txt is still asked for (a 404 here)
host_concurrency = 4
TOML
  python3 - "$corpus/manifest.json" "$PORT" "$all" "$max" >> "$out" <<'PY'
import json, sys
manifest, port, all_pages, max_items = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3] == "1", sys.argv[4]
for cat in manifest["categories"]:
    pages = [p["url"] for p in cat["pages"]] if all_pages else [cat["url"]]
    urls = ", ".join(f'"http://127.0.0.1:{port}{u}"' for u in pages)
    print(f'''
[[sources]]
id = "{cat['slug']}"
kind = "html"
urls = [{urls}]
category = "{cat['name']}"
max_items = {max_items}

[sources.selectors]
item = "div.list-news article.story h3.story-title a"
title = "h1.article-title"
summary = "p.article-sapo"
content = "div.article-body"
date = "div.article-meta span.pub-date"
author = "p.article-author strong"
image = "div.article-body figure img"''')
PY
}

# measure LABEL CONFIG FRESH(0|1): prints one line per run, then the median
measure() {
  local label=$1 cfg=$2 fresh=$3 name
  name=$(basename "$cfg" .toml)
  local rows=()
  for i in $(seq 1 "$RUNS"); do
    if [ "$fresh" = 1 ]; then rm -rf "$WORK/$name-data" "$WORK/$name-feeds"; fi
    : > "$WORK/access.log"
    /usr/bin/time -v "$BIN" once --config "$cfg" > "$WORK/out.txt" 2> "$WORK/time.txt" || {
      echo "tinfeed failed:" >&2; tail -20 "$WORK/time.txt" >&2; cat "$WORK/out.txt" >&2; exit 1; }
    local wall user sys rss reqs listings
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$WORK/time.txt")
    user=$(awk -F': ' '/User time/ {print $2}' "$WORK/time.txt")
    sys=$(awk -F': ' '/System time/ {print $2}' "$WORK/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$WORK/time.txt")
    reqs=$(wc -l < "$WORK/access.log")
    listings=$(grep -cE '"GET /[a-z-]+/(trang-[0-9]+\.html)? ' "$WORK/access.log" || true)
    local items
    items=$(awk '/^ok / {s += $3} END {print s+0}' "$WORK/out.txt")
    rows+=("$(printf '%s %s %s %s %s %s %s' "$wall" "$(echo "$user + $sys" | bc)" "$rss" "$reqs" "$listings" "$items" "$(grep -c '^FAILED' "$WORK/out.txt" || true)")")
  done
  printf '%s\n' "${rows[@]}" | sort -n -k2 | awk -v label="$label" -v runs="$RUNS" '
    { w[NR]=$1; c[NR]=$2; r[NR]=$3; q[NR]=$4; l[NR]=$5; it[NR]=$6; f[NR]=$7 }
    END { m=int((NR+1)/2);
      printf "%-34s wall %6.2f s   CPU %6.3f s   peak RSS %6.1f MB   requests %5d (listings %4d)   items %5d   failed %d   (median of %d by CPU)\n",
        label, w[m], c[m], r[m], q[m], l[m], it[m], f[m], runs }'
}

echo "== serving"
PID=$(ACCESS_LOG="$WORK/access.log" "$SHARED/serve.sh" start "$WORK/clean" "$PORT")

config a "$WORK/clean" 0 20 20
config b "$WORK/clean" 1 10000 50
echo "== results ($(nproc) cores; $("$BIN" --version))"
measure "(a) 8 × 20 newest, full text" "$WORK/a.toml" 1
measure "(b) cold, all 2,000 articles" "$WORK/b.toml" 1
measure "(c) warm, nothing changed" "$WORK/b.toml" 0
ARTICLES=$(python3 -c "import json; print(len(json.load(open('$WORK/clean/manifest.json'))['articles']))")
echo "   (b) articles per CPU-second = $ARTICLES / CPU s above"

if [ -n "${BASE:-}" ]; then
  # the machine's speed drifts from minute to minute: binaries compare only run by run, interleaved
  PAIRS=${PAIRS:-20}
  echo "== $BASE (old) against $BIN (new), $PAIRS runs each, interleaved"
  echo "(a)"; python3 "$ROOT/bench/interleave.py" "$WORK/a.toml" "$PAIRS" "$BASE" "$BIN"
  echo "(b)"; python3 "$ROOT/bench/interleave.py" "$WORK/b.toml" "$(( (PAIRS + 1) / 2 ))" "$BASE" "$BIN"
fi

if [ -n "${SPLIT:-}" ]; then
  # (a) with one article per category against (a) itself, run by run: what a run costs before
  # its articles, and what each article adds
  config a1 "$WORK/clean" 0 1 20
  echo "== (a) split: 8 articles against 160, ${PAIRS:-20} pairs, interleaved"
  python3 "$ROOT/bench/interleave.py" --split "$WORK/a1.toml" 8 "$WORK/a.toml" 160 "${PAIRS:-20}" "$BIN"
fi

if [ -n "${CALIBRATE:-}" ]; then
  # benches/scraper_rate.rs: how fast `scraper` parses the corpus here, against the issue's 2,700 pages/s
  RATE_BIN=$(cd "$ROOT" && cargo bench --bench scraper_rate --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "scraper_rate":
        print(m["executable"])')
  echo "== (a) against this machine's speed: each run followed by a second of scraper, ${PAIRS:-20} runs"
  python3 "$ROOT/bench/interleave.py" --calibrate "$WORK/a.toml" "${PAIRS:-20}" "$BIN" "$RATE_BIN" "$WORK/clean"
  # bench/peer_lxml.py: the issue's best peer (Python + lxml, 0.33 s there) doing (a) in the same minutes
  if python3 -c 'import lxml, feedgen' 2>/dev/null; then
    echo "== (a) against the issue's best peer (bench/peer_lxml.py), ${PAIRS:-20} runs each, interleaved"
    python3 "$ROOT/bench/interleave.py" --peer "$WORK/a.toml" "${PAIRS:-20}" "$BIN" "$WORK/clean/manifest.json" "$PORT"
  else
    echo "== skipped: (a) against the Python + lxml peer needs 'pip install lxml feedgen'"
  fi
fi

echo "== hazard corpus: cold run over every listing, then every stored item against manifest.json"
"$SHARED/serve.sh" stop "$PID" >/dev/null; PID=""
PID=$("$SHARED/serve.sh" start "$WORK/hazard" "$PORT")
config h "$WORK/hazard" 1 10000 50
"$BIN" once --config "$WORK/h.toml" > "$WORK/h.out" 2> "$WORK/h.err" || { tail "$WORK/h.err"; exit 1; }
python3 "$ROOT/bench/check_corpus.py" "$WORK/hazard/manifest.json" "$WORK/h-data/tinfeed.sqlite" "$WORK/h-feeds" "$PORT"
