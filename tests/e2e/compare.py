#!/usr/bin/env python3
"""compare.py - checks a wslns-report/1 document against the lab's ground truth.

    compare.py REPORT TRUTH_BEFORE TRUTH_AFTER [--no-vm] [--source SPEC]... [--parent V=P]...

Truth is read twice (before and after the run) so the processes wslns itself started in the
lab (probes, shells) are told apart: a report process missing from the truth must be gone
again afterwards. Checks:
  - every namespace of the truth is in the report with the same parent (with --no-vm: the
    VM root is absent and its children hang under an explicit "unknown:" placeholder);
  - every process of the truth is in the report with the same pid at every level, outermost
    first, in the same namespaces, with the same comm (with --no-vm: minus the VM level; the
    VM root's own processes are not visible at all);
  - --source KIND[:DISTRO]=STATUS[:TEXT]: that source has the status and its reason contains
    TEXT (KIND: vm, distro, system);
  - --parent VIEW=PARENT: the namespace of lab view VIEW hangs directly under PARENT's;
  - every namespace's "types" (mnt, uts, ipc, net, user, cgroup, time) that the report gives
    is the kernel's, as the truth read it from the view's init; with --types none is null.
Prints every mismatch; exit 1 if there is any.
"""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("truth_before")
ap.add_argument("truth_after")
ap.add_argument("--no-vm", action="store_true")
ap.add_argument("--source", action="append", default=[])
ap.add_argument("--parent", action="append", default=[])
ap.add_argument("--types", action="store_true")
args = ap.parse_args()

with open(args.report, encoding="utf-8") as f:
    report = json.load(f)
with open(args.truth_before, encoding="utf-8") as f:
    truth = json.load(f)
with open(args.truth_after, encoding="utf-8") as f:
    after = json.load(f)

problems = []
if report.get("schema") != "wslns-report/1":
    problems.append(f"schema is {report.get('schema')!r}, expected 'wslns-report/1'")

views = {v["name"]: v for v in truth["views"]}
vm_inode = views["vm"]["pidns"]
truth_parent = {n["inode"]: n["parent"] for n in truth["namespaces"]}

def ns_inode(ns_id):
    if isinstance(ns_id, str) and ns_id.startswith("pid:[") and ns_id.endswith("]"):
        return int(ns_id[5:-1])
    return None

rep_ns = {n["id"]: n for n in report.get("namespaces", [])}
rep_parent = {}
for n in report.get("namespaces", []):
    ino = n.get("inode")
    if ino is not None:
        rep_parent[ino] = n.get("parent")

# namespaces and their parents
for ino, parent in truth_parent.items():
    if args.no_vm and ino == vm_inode:
        if ino in rep_parent:
            problems.append(f"namespace {ino} (the VM root) is in the report without the debug shell")
        continue
    if ino not in rep_parent:
        problems.append(f"namespace {ino} missing from the report")
        continue
    got = rep_parent[ino]
    if parent is None:
        continue  # the lab's VM root: above it is the host, outside every view
    if args.no_vm and parent == vm_inode:
        if not (isinstance(got, str) and got.startswith("unknown:")):
            problems.append(f"namespace {ino}: parent {got!r}, expected an unknown: placeholder")
        continue
    if ns_inode(got) != parent:
        problems.append(f"namespace {ino}: parent {got!r}, expected pid:[{parent}]")

# the other namespace types of every namespace, against the kernel's
NS_TYPES = ("mnt", "uts", "ipc", "net", "user", "cgroup", "time")
by_inode = {n.get("inode"): n for n in report.get("namespaces", [])}
for tn in truth["namespaces"]:
    rn = by_inode.get(tn["inode"])
    if rn is None:
        continue
    types = rn.get("types")
    if not isinstance(types, dict):
        problems.append(f"namespace {tn['inode']}: no types object in the report")
        continue
    for ty in NS_TYPES:
        got, want = types.get(ty), tn["types"][ty]
        if got is None and not args.types:
            continue
        if got != want:
            problems.append(f"namespace {tn['inode']}: {ty} {got}, the kernel says {want}")

def chain(ino):
    out = []
    while ino is not None:
        out.append(ino)
        ino = truth_parent.get(ino)
    return list(reversed(out))

def key_of_truth(p):
    return (p["pidns"], p["nspid"][-1])

before_keys = {key_of_truth(p) for p in truth["processes"]}
after_keys = {key_of_truth(p) for p in after["processes"]}
rep_procs = {}
for p in report.get("processes", []):
    ino = ns_inode(p.get("ns"))
    pids = p.get("pids") or []
    if ino is None or not pids:
        problems.append(f"report process without a known namespace or pids: {p}")
        continue
    rep_procs[(ino, pids[-1]["pid"])] = p

checked = 0
for p in truth["processes"]:
    key = key_of_truth(p)
    if key not in after_keys:
        continue  # it ended during the run: nothing stable to compare
    levels = list(zip(chain(p["pidns"]), p["nspid"]))
    if args.no_vm:
        if p["pidns"] == vm_inode:
            continue
        levels = levels[1:]
    want = [(ino, pid) for ino, pid in levels]
    got_p = rep_procs.get(key)
    if got_p is None:
        problems.append(f"process {p['comm']!r} {p['nspid']} (ns {p['pidns']}) missing from the report")
        continue
    got = [(ns_inode(x["ns"]), x["pid"]) for x in got_p["pids"]]
    if got != want:
        problems.append(f"process {p['comm']!r}: pids {got}, expected {want}")
    if got_p.get("comm") != p["comm"]:
        problems.append(f"process {p['nspid']}: comm {got_p.get('comm')!r}, expected {p['comm']!r}")
    checked += 1

for key, p in rep_procs.items():
    if key not in before_keys and key in after_keys:
        problems.append(f"report has process {p.get('comm')!r} {key} that the truth did not have before")

# sources
def find_source(kind, distro):
    for s in report.get("sources", []):
        if s.get("kind") == kind and (distro is None or s.get("distro") == distro):
            return s
    return None

for spec in args.source:
    what, _, expect = spec.partition("=")
    kind, _, distro = what.partition(":")
    status, _, text = expect.partition(":")
    s = find_source(kind, distro or None)
    if s is None:
        problems.append(f"no source {what}")
    elif s.get("status") != status or (text and text not in (s.get("reason") or "")):
        problems.append(f"source {what}: {s.get('status')} {s.get('reason')!r}, expected {status} {text!r}")

for spec in args.parent:
    view, _, parent = spec.partition("=")
    ino, pino = views[view]["pidns"], views[parent]["pidns"]
    if ns_inode(rep_parent.get(ino)) != pino:
        problems.append(f"view {view}: parent {rep_parent.get(ino)!r}, expected pid:[{pino}] ({parent})")

for p in problems:
    print("MISMATCH:", p)
print(f"{checked} lab processes compared, {len(truth_parent)} namespaces, {len(problems)} mismatches")
sys.exit(1 if problems or checked == 0 else 0)
