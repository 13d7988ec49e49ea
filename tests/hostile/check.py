#!/usr/bin/env python3
"""check.py - what every hostile case must show, read from wslns's outputs.

    check.py REPORT HTML CONSOLE --hostile NAME --expect REGEX [--good PROBE_DOC]...

  - the hostile source (the one whose source name contains NAME) is named together with the
    problem: its reason, or a diagnostic that names it, matches REGEX (case-insensitive);
    the console says the same;
  - every namespace and process of each --good probe document is in the JSON report (by
    inode; by own namespace and pid at every level the document shows) and in the HTML
    report (its embedded wslns-report/1 document, its rows), and its namespace inode is in the tree.
Prints every mismatch; exit 1 if there is any.
"""
import argparse
import json
import re
import sys

import html_rows

ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("html")
ap.add_argument("console")
ap.add_argument("--hostile", required=True)
ap.add_argument("--expect", required=True)
ap.add_argument("--good", action="append", default=[])
args = ap.parse_args()
problems = []

with open(args.report, encoding="utf-8") as f:
    report = json.load(f)
with open(args.console, encoding="utf-8", errors="replace") as f:
    console = f.read()
with open(args.html, encoding="utf-8") as f:
    page = f.read()
m = re.search(r'<script[^>]*id="wslns-report"[^>]*>(.*?)</script', page, re.S)
embedded = None
if not m:
    problems.append("HTML: no embedded wslns-report document")
else:
    try:
        embedded = json.loads(m.group(1))
        # The page's processes are its rows; the embedded report keeps what they do not show.
        embedded["processes"] = html_rows.processes(page)
    except ValueError as e:
        problems.append(f"HTML: the embedded report is not JSON: {e}")

expect = re.compile(args.expect, re.I)


def named(rep):
    """Texts that name the hostile source: its reason, and diagnostics that mention it."""
    out = []
    for s in rep.get("sources", []):
        name = f"{s.get('kind')} {s.get('distro') or ''} {s.get('path') or ''}"
        if args.hostile in name:
            out.append(f"{s.get('status')}: {s.get('reason') or ''}")
    for d in rep.get("diagnostics", []):
        if args.hostile in d.get("message", ""):
            out.append(d["message"])
    return out


texts = named(report)
if not any(expect.search(t) for t in texts):
    problems.append(f"JSON: nothing names {args.hostile!r} with /{args.expect}/; found {texts}")
console_lines = [l for l in console.splitlines() if args.hostile in l]
if not any(expect.search(l) for l in console_lines):
    problems.append(f"console: no line names {args.hostile!r} with /{args.expect}/")


def index(rep):
    inodes = {n.get("inode") for n in rep.get("namespaces", [])}
    procs = set()
    for p in rep.get("processes", []):
        for level in p.get("pids", []):
            procs.add((level["ns"], level["pid"]))
    return inodes, procs


where = [("JSON", report)] + ([("HTML", embedded)] if embedded is not None else [])
for path in args.good:
    with open(path, encoding="utf-8") as f:
        good = json.load(f)
    for label, rep in where:
        inodes, procs = index(rep)
        for n in good["namespaces"]:
            if n["inode"] not in inodes:
                problems.append(f"{label}: namespace pid:[{n['inode']}] of {path} is missing")
        for p in good["processes"]:
            # The probe's own process (the document's self) is wslns's: left out on purpose.
            if p["pid"] == good["self"]["pid"] or p.get("pidns") is None:
                continue
            key = (f"pid:[{p['pidns']}]", p["nspid"][-1])
            if key not in procs:
                problems.append(f"{label}: process {p['comm']} ({key[0]} pid {key[1]}) of {path} is missing")
    for n in good["namespaces"]:
        if f"pid:[{n['inode']}]" not in console:
            problems.append(f"tree: namespace pid:[{n['inode']}] of {path} is not drawn")

for p in problems:
    print("check.py:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
