#!/usr/bin/env python3
"""Checks a crawl of the shared corpus against its manifest.json (the truth per article).

    check_corpus.py MANIFEST STORE.sqlite FEEDS_DIR PORT

Per article: stored once, under its URL; title, date (+07:00, or none), author and lead (the
summary is the lead, or its start when the lead is longer than the summary length); filed under
its category and every category that also lists it. Every feed file must be well-formed XML
without control characters. Prints a summary and the first mismatches; exits 1 on any.
"""
import glob
import json
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET
from datetime import datetime


def main():
    manifest_path, store_path, feeds_dir, port = sys.argv[1:5]
    manifest = json.load(open(manifest_path))
    db = sqlite3.connect(store_path)
    items = {row[0]: row for row in db.execute(
        "SELECT url, key, title, published, author, summary FROM items")}
    filed = {}
    for key, slug in db.execute("SELECT key, slug FROM item_categories"):
        filed.setdefault(key, set()).add(slug)

    problems = {}

    def bad(kind, url, detail):
        problems.setdefault(kind, []).append(f"{url}: {detail}")

    for article in manifest["articles"]:
        url = f"http://127.0.0.1:{port}{article['url']}"
        row = items.get(url)
        if row is None:
            bad("missing", url, "not stored")
            continue
        _, key, title, published, author, summary = row
        if title != article["title"]:
            bad("title", url, f"{title!r} != {article['title']!r}")
        truth = article["date"]
        if truth is None:
            if published is not None:
                bad("date", url, f"{published} for an undated page")
        elif published is None or datetime.fromisoformat(published) != datetime.fromisoformat(truth) \
                or not published.endswith("+07:00"):
            bad("date", url, f"{published} != {truth}")
        if article.get("author") and author != article["author"]:
            bad("author", url, f"{author!r} != {article['author']!r}")
        lead = article.get("lead") or ""
        if lead and summary != lead and not lead.startswith(summary.rstrip("…").rstrip()):
            bad("summary", url, f"{summary[:80]!r}… vs {lead[:80]!r}…")
        wanted = {article["category_slug"], *article.get("also_listed_in", [])}
        if not wanted <= filed.get(key, set()):
            bad("categories", url, f"{sorted(filed.get(key, set()))} lacks {sorted(wanted)}")

    extra = len(items) - len(manifest["articles"])
    forbidden = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    feeds = sorted(glob.glob(f"{feeds_dir}/*.rss") + glob.glob(f"{feeds_dir}/*.atom"))
    for path in feeds:
        text = open(path, encoding="utf-8").read()
        if forbidden.search(text):
            bad("feed", path, "a character XML 1.0 forbids")
        try:
            ET.fromstring(text.encode("utf-8"))
        except ET.ParseError as e:
            bad("feed", path, f"not well-formed: {e}")

    total = sum(len(v) for v in problems.values())
    hazards = sum(1 for a in manifest["articles"] if a["hazards"])
    print(f"{len(manifest['articles'])} articles ({hazards} with hazards), {len(items)} stored "
          f"({extra:+d}), {len(feeds)} feed files; mismatches: "
          + (", ".join(f"{k} {len(v)}" for k, v in sorted(problems.items())) or "none"))
    for kind, lines in sorted(problems.items()):
        for line in lines[:3]:
            print(f"  {kind}: {line}")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
