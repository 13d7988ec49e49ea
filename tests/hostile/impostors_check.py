#!/usr/bin/env python3
"""impostors_check.py - for tests/hostile/impostors.sh.

    impostors_check.py --running --fake-marker M
        exit 0 when all three impostors are running (read from this machine's /proc)
    impostors_check.py --report JSON --html HTML --console TEXT --fake-marker M
        every impostor is in the JSON report, the HTML report (its embedded document and its
        rows) and the console tree; no process of wslns's own run is in either document: nothing whose
        command line carries a run marker other than M, no wslns-probe but the impostor,
        no runner shell (`sh -c` whose script writes "$d/wslns-probe") but the impostors
Prints every problem; exit 1 if there is any.
"""
import argparse
import json
import re
import sys

import html_rows

ap = argparse.ArgumentParser()
ap.add_argument("--running", action="store_true")
ap.add_argument("--report")
ap.add_argument("--html")
ap.add_argument("--console")
ap.add_argument("--fake-marker")
args = ap.parse_args()


def kind(comm, cmdline):
    """Which impostor a process is, or None."""
    if comm == "wslns-probe" and cmdline[1:] == ["600"]:
        return "named wslns-probe"
    if cmdline[:2] == ["sh", "-c"] and len(cmdline) == 3 and ': "$d/wslns-probe"' in cmdline[2]:
        return "sh -c mentioning mktemp -d and /wslns-probe\""
    if cmdline[:2] == ["sh", "-c"] and len(cmdline) == 4 and cmdline[3] == args.fake_marker:
        return "a runner copy with another run's marker"
    return None


KINDS = 3

if args.running:
    # The host sees every lab process in its /proc (the lab's namespaces are below it).
    import glob
    found = set()
    for d in glob.glob("/proc/[0-9]*"):
        try:
            with open(d + "/comm", encoding="utf-8", errors="replace") as f:
                comm = f.read().rstrip("\n")
            with open(d + "/cmdline", "rb") as f:
                cmdline = f.read().decode("utf-8", "replace").split("\0")[:-1]
        except OSError:
            continue
        found.add(kind(comm, cmdline))
    sys.exit(0 if len(found - {None}) == KINDS else 1)

problems = []
with open(args.report, encoding="utf-8") as f:
    report = json.load(f)
with open(args.html, encoding="utf-8") as f:
    page = f.read()
m = re.search(r'<script[^>]*id="wslns-report"[^>]*>(.*?)</script', page, re.S)
embedded = json.loads(m.group(1)) if m else None
if embedded is not None:
    # The page's processes are its rows; the embedded report keeps what they do not show.
    embedded["processes"] = html_rows.processes(page)
if embedded is None:
    problems.append("HTML: no embedded wslns-report document")
with open(args.console, encoding="utf-8", errors="replace") as f:
    console = f.read()

marker = re.compile(r"wslns-run-[0-9a-f]{32}")
for label, rep in [("JSON", report)] + ([("HTML", embedded)] if embedded else []):
    seen = set()
    for p in rep.get("processes", []):
        comm, cmdline = p.get("comm", ""), p.get("cmdline", [])
        k = kind(comm, cmdline)
        if k:
            seen.add(k)
            continue
        line = " ".join(cmdline)
        if any(marker.search(a) and a != args.fake_marker for a in cmdline):
            problems.append(f"{label}: a process of this run is shown: {comm} {line!r}")
        elif comm.startswith("wslns-probe") or (cmdline and cmdline[0].endswith("/wslns-probe")):
            problems.append(f"{label}: a probe of this run is shown: {comm} {line!r}")
        elif cmdline[:2] == ["sh", "-c"] and len(cmdline) > 2 and '"$d/wslns-probe"' in cmdline[2]:
            problems.append(f"{label}: a runner shell of this run is shown: {line!r}")
    for k in ("named wslns-probe", "sh -c mentioning mktemp -d and /wslns-probe\"",
              "a runner copy with another run's marker"):
        if k not in seen:
            problems.append(f"{label}: the impostor {k} is missing")
    if not any(d.get("code") == "model.own_processes_hidden" for d in rep.get("diagnostics", [])):
        problems.append(f"{label}: no model.own_processes_hidden diagnostic (each view's probe is wslns's)")

if not re.search(r"wslns-probe  \S*/wslns-probe 600", console):
    problems.append("tree: the impostor named wslns-probe is not drawn")
if ': \\"$d/wslns-probe\\"; sleep 600' not in console:
    problems.append("tree: the sh -c impostor is not drawn")
if args.fake_marker not in console:
    problems.append("tree: the runner copy with another run's marker is not drawn")

for p in problems:
    print("impostors_check.py:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
