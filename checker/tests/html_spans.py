#!/usr/bin/env python3
"""Read the DOM a browser made of coherent's --html page (chromium
--dump-dom) and print what the tests assert on, one line each:
  span SECTION COPY FROM TO    a stale window the page's script drew
  row SECTION SEQ KIND STALE   a timeline row and the copies it marks
usage: html_spans.py DOM.html"""
import sys
from html.parser import HTMLParser


class Spans(HTMLParser):
    def __init__(self):
        super().__init__()
        self.section = "-"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "section" and "rootcause" in cls:
            self.section = a.get("id", "?")
        elif tag == "div" and "stale-span" in cls:
            print("span", self.section, a.get("data-copy"), a.get("data-from"),
                  a.get("data-to"))
        elif tag == "tr" and "data-seq" in a:
            print("row", self.section, a["data-seq"], a.get("data-kind"),
                  a.get("data-stale") or "-")


if len(sys.argv) != 2:
    sys.exit(__doc__.split("\n")[-1])
with open(sys.argv[1], encoding="utf-8") as f:
    Spans().feed(f.read())
