#!/usr/bin/env python3
"""same_report.py - the POSIX and the Windows build must report the same lab the same way.

    same_report.py POSIX.json WINDOWS.json TRUTH_BEFORE TRUTH_AFTER

Compared: sources (kind, distro, status, reason), namespaces (every field), and every lab
process that existed before and after both runs (every field but the ones that name the
run's own transient processes). Left out: processes the runs themselves started (probes,
shells: their pids differ by nature), and "config" (it names host paths).
"""
import json
import sys

def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)

posix, windows, before, after = (load(p) for p in sys.argv[1:5])
stable = {(p["pidns"], p["nspid"][-1]) for p in before["processes"]} & \
         {(p["pidns"], p["nspid"][-1]) for p in after["processes"]}

def inode(ns_id):
    return int(ns_id[5:-1]) if ns_id.startswith("pid:[") else None

def normal(r):
    sources = sorted((s.get("kind"), s.get("distro") or "", s.get("status"), s.get("reason") or "")
                     for s in r.get("sources", []))
    namespaces = sorted(json.dumps(n, sort_keys=True) for n in r.get("namespaces", []))
    procs = sorted(json.dumps(p, sort_keys=True) for p in r.get("processes", [])
                   if (inode(p["ns"]), p["pids"][-1]["pid"]) in stable)
    diags = sorted((d.get("severity"), d.get("code")) for d in r.get("diagnostics", []))
    return {"schema": r.get("schema"), "sources": sources, "namespaces": namespaces,
            "processes": procs, "diagnostics": diags}

a, b = normal(posix), normal(windows)
bad = 0
for key in a:
    if a[key] != b[key]:
        bad += 1
        sa, sb = a[key], b[key]
        if isinstance(sa, list):
            for x in sorted(set(map(str, sa)) - set(map(str, sb)))[:10]:
                print(f"MISMATCH {key}: only POSIX:   {x}")
            for x in sorted(set(map(str, sb)) - set(map(str, sa)))[:10]:
                print(f"MISMATCH {key}: only Windows: {x}")
        else:
            print(f"MISMATCH {key}: {sa!r} vs {sb!r}")
print(f"{len(a['processes'])} lab processes, {len(a['namespaces'])} namespaces, "
      f"{len(a['sources'])} sources compared; {bad} sections differ")
sys.exit(1 if bad or not a["processes"] else 0)
