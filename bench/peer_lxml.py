#!/usr/bin/env python3
"""Job (a) as the crawl issue's best peer does it: a minimal Python + lxml + feedgen script. Not
a test, not tinfeed: a second yardstick, run beside tinfeed in the same minutes (the issue
measured this peer at 0.33 s CPU; bench/crawl.sh CALIBRATE=1 runs both, interleaved).

    bench/peer_lxml.py MANIFEST PORT OUT_DIR

For each category of the corpus (MANIFEST: its manifest.json) served on 127.0.0.1:PORT: the
listing page, its 20 newest article links, each article page (title, date with its "GMT+7",
lead, author, image, body HTML), then an RSS and an Atom file in OUT_DIR. One keep-alive
connection, as a `requests` session would hold. Needs `pip install lxml feedgen`.
"""
import http.client
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone

import lxml.html
from feedgen.feed import FeedGenerator

NEWEST = 20
DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})")
VN = timezone(timedelta(hours=7))


def get(conn, path):
    conn.request("GET", path, headers={"User-Agent": "peer-lxml/1", "Accept-Encoding": "identity"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}")
    return body


def first(doc, xpath):
    found = doc.xpath(xpath)
    return found[0] if found else None


def text(node):
    return " ".join(node.text_content().split()) if node is not None else ""


def article(conn, path):
    doc = lxml.html.fromstring(get(conn, path))
    body = first(doc, '//div[contains(concat(" ", @class, " "), " article-body ")]')
    image = first(body, ".//figure//img/@src") if body is not None else None
    match = DATE.search(text(first(doc, '//div[@class="article-meta"]/span[@class="pub-date"]')))
    date = None
    if match:
        day, month, year, hour, minute = map(int, match.groups())
        date = datetime(year, month, day, hour, minute, tzinfo=VN)
    return {
        "title": text(first(doc, '//h1[@class="article-title"]')),
        "lead": text(first(doc, '//p[@class="article-sapo"]')),
        "author": text(first(doc, '//p[@class="article-author"]/strong')),
        "image": image,
        "date": date,
        "body": lxml.html.tostring(body, encoding="unicode") if body is not None else "",
    }


def main():
    manifest, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    categories = json.load(open(manifest, encoding="utf-8"))["categories"]
    os.makedirs(out, exist_ok=True)
    conn = http.client.HTTPConnection("127.0.0.1", port)
    base = f"http://127.0.0.1:{port}"
    for category in categories:
        listing = lxml.html.fromstring(get(conn, category["url"]))
        links = listing.xpath(
            '//div[contains(@class, "list-news")]//article[contains(@class, "story")]'
            '//h3[contains(@class, "story-title")]/a/@href'
        )[:NEWEST]
        feed = FeedGenerator()
        feed.id(base + category["url"])
        feed.title(category["name"])
        feed.link(href=base + category["url"], rel="alternate")
        feed.description(f"Tin mới nhất chuyên mục {category['name']}")
        feed.language("vi")
        for href in links:
            item = article(conn, href)
            entry = feed.add_entry(order="append")
            entry.id(base + href)
            entry.link(href=base + href)
            entry.title(item["title"])
            entry.description(item["lead"])
            entry.content(item["body"], type="CDATA")
            if item["author"]:
                entry.author(name=item["author"], email="toa-soan@example.vn")
            if item["date"]:
                entry.published(item["date"])
                entry.updated(item["date"])
            if item["image"]:
                entry.enclosure(base + item["image"], 0, "image/jpeg")
        feed.rss_file(os.path.join(out, f"{category['slug']}.rss"))
        feed.atom_file(os.path.join(out, f"{category['slug']}.atom"))


if __name__ == "__main__":
    main()
