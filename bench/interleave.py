#!/usr/bin/env python3
"""Compare tinfeed binaries on one crawl job, runs interleaved: not a test.

    bench/interleave.py CONFIG RUNS OLD_BIN NEW_BIN [MORE_BINS...]

Runs `BIN once --config CONFIG` RUNS times per binary, alternating the binaries (old, new, new,
old, ...) so that both see the same minutes of a machine whose speed drifts, each run cold in a
fresh directory (a copy of CONFIG there: its relative feeds_dir and data_dir land in it). Prints
per binary the median, quartiles and minimum of CPU time (user + sys of the process, from
wait4, to the microsecond) and the peak RSS, and the median of NEW/OLD over the pairs of runs
made side by side. bench/crawl.sh calls it when BASE names an older binary.

    bench/interleave.py --split SMALL_CONFIG SMALL_ARTICLES BIG_CONFIG BIG_ARTICLES RUNS BIN

One binary, two sizes of the same job, interleaved: a run's CPU time split into a fixed part
(start-up, listing pages, the store, feeds) and a part per article, the line through each pair
of runs made side by side. Where a machine's speed drifts, the two parts say more than one
total: bench/crawl.sh calls it when SPLIT=1.

    bench/interleave.py --calibrate CONFIG RUNS BIN SCRAPER_RATE_BIN CORPUS
    bench/interleave.py --peer CONFIG RUNS BIN MANIFEST PORT

The job against this machine's speed, run by run: each run followed by a second of
benches/scraper_rate.rs (the issue's unit: scraper pages/s), or interleaved with the issue's best
peer doing it (bench/peer_lxml.py); both report the job scaled to the speed the issue measured
at. bench/crawl.sh calls them when CALIBRATE=1.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile


def measure(argv):
    """CPU seconds (user + sys, from wait4) and peak RSS in MB of one process; exits on failure."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv[0]} failed:\n{err.decode(errors='replace')[-2000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def quartiles(values):
    """The first and third quartiles of `values`, as the figures here report them."""
    v = sorted(values)
    return v[len(v) // 4], v[3 * len(v) // 4]


def run(binary, config):
    work = tempfile.mkdtemp(prefix="tinfeed-interleave.")
    try:
        shutil.copy(config, work)
        return measure([binary, "once", "--config", os.path.join(work, os.path.basename(config))])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def split(small, small_n, big, big_n, runs, binary):
    fixed, each = [], []
    for i in range(runs):
        pair = {}
        for config in (small, big) if i % 2 == 0 else (big, small):
            pair[config] = run(binary, config)[0]
        per_article = (pair[big] - pair[small]) / (big_n - small_n)
        each.append(per_article)
        fixed.append(pair[small] - small_n * per_article)
    q1, q3 = quartiles(each)
    print(f"  fixed {statistics.median(fixed) * 1e3:.1f} ms + {statistics.median(each) * 1e3:.3f} ms per article "
          f"(medians of {runs} pairs; per article, quartiles {q1 * 1e3:.3f}–{q3 * 1e3:.3f} ms)")


# scraper pages/s on the shared corpus where the crawl issue measured its limits
REFERENCE_RATE = 2700


def calibrate(config, runs, binary, rate_bin, corpus):
    cpu, rates, scaled = [], [], []
    for _ in range(runs):
        seconds = run(binary, config)[0]
        out = subprocess.run([rate_bin, corpus, "1"], check=True, capture_output=True, text=True).stdout
        rate = float(out.split()[1])
        cpu.append(seconds)
        rates.append(rate)
        scaled.append(seconds * rate / REFERENCE_RATE)
    med = statistics.median
    (r1, r3), (s1, s3) = quartiles(rates), quartiles(scaled)
    print(f"  scraper here: {med(rates):.0f} pages/s (quartiles {r1:.0f}–{r3:.0f}; the issue's machine: {REFERENCE_RATE})")
    print(f"  CPU {med(cpu):.4f} s here; at the issue's speed {med(scaled):.4f} s "
          f"(quartiles {s1:.4f}–{s3:.4f}; medians of {runs} runs)")


# the CPU seconds the issue measured for its best peer, Python + lxml + feedgen, on job (a)
PEER_CPU = 0.33


def peer(config, runs, binary, manifest, port):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer_lxml.py")
    ours, theirs = [], []
    for i in range(runs):
        for which in ("ours", "peer") if i % 2 == 0 else ("peer", "ours"):
            if which == "ours":
                ours.append(run(binary, config)[0])
                continue
            work = tempfile.mkdtemp(prefix="tinfeed-peer.")
            try:
                theirs.append(measure([sys.executable, script, manifest, port, work])[0])
            finally:
                shutil.rmtree(work, ignore_errors=True)
    med = statistics.median
    ratios = [o / t for o, t in zip(ours, theirs)]
    q1, q3 = quartiles(ratios)
    print(f"  peer (Python + lxml) here: CPU median {med(theirs):.3f} s (the issue's machine: {PEER_CPU} s)")
    print(f"  tinfeed: CPU median {med(ours):.4f} s; tinfeed/peer run by run {med(ratios):.3f} "
          f"(quartiles {q1:.3f}–{q3:.3f}): {med(ratios) * PEER_CPU:.4f} s at the issue's speed")


def main():
    if len(sys.argv) == 7 and sys.argv[1] == "--peer":
        config, runs, binary, manifest, port = sys.argv[2:]
        return peer(config, int(runs), binary, manifest, port)
    if len(sys.argv) == 7 and sys.argv[1] == "--calibrate":
        config, runs, binary, rate_bin, corpus = sys.argv[2:]
        return calibrate(config, int(runs), binary, rate_bin, corpus)
    if len(sys.argv) == 8 and sys.argv[1] == "--split":
        small, small_n, big, big_n, runs, binary = sys.argv[2:]
        return split(small, int(small_n), big, int(big_n), int(runs), binary)
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    config, runs, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    cpu = {b: [] for b in binaries}
    rss = {b: 0.0 for b in binaries}
    for i in range(runs):
        for binary in binaries if i % 2 == 0 else binaries[::-1]:
            seconds, peak = run(binary, config)
            cpu[binary].append(seconds)
            rss[binary] = max(rss[binary], peak)
    for binary in binaries:
        q1, q3 = quartiles(cpu[binary])
        print(f"  {binary}: CPU median {statistics.median(cpu[binary]):.4f} s (quartiles {q1:.4f}–{q3:.4f}, "
              f"min {min(cpu[binary]):.4f}), peak RSS {rss[binary]:.1f} MB")
    old, new = binaries[0], binaries[1]
    ratios = [n / o for o, n in zip(cpu[old], cpu[new])]
    q1, q3 = quartiles(ratios)
    print(f"  new/old, run by run: median {statistics.median(ratios):.3f} (quartiles {q1:.3f}–{q3:.3f})")


if __name__ == "__main__":
    main()
