#!/usr/bin/env python3
"""names.py - labels come from the names WSL really gives its processes.

    names.py strip VM_DOC OUT_DOC        drop WSLg's processes (WSLGd, weston, Xwayland,
                                         pulseaudio) from a VM-root probe document
    names.py check REPORT TRUTH          every system distro of the truth is labelled as one

WSL names the system distro's pid 1 init() (an instance with an empty name: WSL
src/linux/init/config.cpp sets "init(<name>)", src/windows/service/exe/WslCoreInstance.cpp
gives the system distro none). wslns must recognise it from that name alone: a system distro
whose WSLg is not (or no longer) running has nothing else. Exit 1 on any mismatch.
"""
import json
import sys

WSLG = {"WSLGd", "weston", "Xwayland", "pulseaudio"}


def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)


if sys.argv[1] == "strip":
    doc = load(sys.argv[2])
    before = len(doc["processes"])
    doc["processes"] = [p for p in doc["processes"] if p.get("comm") not in WSLG]
    if len(doc["processes"]) == before:
        sys.exit("names.py: the VM-root document has no WSLg process to leave out")
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        json.dump(doc, f)
    sys.exit(0)

report, truth = load(sys.argv[2]), load(sys.argv[3])
by_inode = {n.get("inode"): n for n in report.get("namespaces", [])}
problems = []
checked = 0
for v in truth["views"]:
    want = {"vm": "vm", "system": "system"}.get(v["kind"])
    if not want:
        continue
    checked += 1
    n = by_inode.get(v["pidns"])
    if not n:
        problems.append(f"view {v['name']}: no namespace {v['pidns']} in the report")
        continue
    # From the VM root alone a long name is only known as the kernel's 15-byte comm cut,
    # shown with a trailing ellipsis.
    got = n.get("distro") or ""
    name_ok = got == v["distro"] or (got.endswith("\u2026") and v["distro"].startswith(got[:-1]))
    if n.get("kind") != want or (want == "system" and not name_ok):
        problems.append(f"view {v['name']}: labelled {n.get('kind')} {n.get('distro')!r} "
                        f"({n.get('label')!r}), expected {want} {v['distro']!r}")
for p in problems:
    print("MISMATCH", p)
print(f"{checked} views checked; {len(problems)} mismatches")
sys.exit(1 if problems else 0)
