#!/usr/bin/env python3
"""same_status.py - a run in another language classifies every view as the English run.

    same_status.py EN.json EN_EXIT OTHER.json OTHER_EXIT [--expect KIND[:DISTRO]=STATUS[:TEXT]]...

wsl.exe prints its messages, and the label of its "Error code:" line, in the user's Windows
language; wslns must decide from the Wsl/... codes alone. Checks: both reports hold the same
sources with the same status (kind, distro, status) - for wslns-doctor/1 documents the same
verdicts (gui, measured), findings and versions -, both runs exited alike, and each
--expect holds in both reports (TEXT: a part of the reason, which is wslns's own wording).
Prints every mismatch; exit 1 if there is any.
"""
import json
import sys


def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)


def statuses(r):
    if "distros" in r:  # a wslns-doctor/1 document: the verdicts and what they rest on
        return sorted([("distro", d.get("distro"), d.get("gui"), d.get("measured"))
                       for d in r["distros"]] +
                      [("finding", f.get("code"), f.get("severity"), f.get("distro") or "")
                       for f in r.get("findings", [])] +
                      [("versions", r.get("wsl_version") or "", r.get("wslg_version") or "", "")])
    return sorted((s.get("kind"), s.get("distro") or "", s.get("status")) for s in r.get("sources", []))


en, en_rc, other, other_rc = load(sys.argv[1]), sys.argv[2], load(sys.argv[3]), sys.argv[4]
expects = []
args = sys.argv[5:]
while args:
    if args[0] != "--expect" or len(args) < 2:
        sys.exit(f"usage: {sys.argv[0]} EN.json EN_EXIT OTHER.json OTHER_EXIT [--expect SPEC]...")
    expects.append(args[1])
    args = args[2:]

problems = []
if en_rc != other_rc:
    problems.append(f"exit code {other_rc}, English run {en_rc}")
a, b = statuses(en), statuses(other)
for x in sorted(set(a) - set(b)):
    problems.append(f"only the English run: {x}")
for x in sorted(set(b) - set(a)):
    problems.append(f"only this language's run: {x}")
for spec in expects:
    key, want = spec.split("=", 1)
    kind, _, distro = key.partition(":")
    status, _, text = want.partition(":")
    for name, r in (("English", en), ("other", other)):
        found = [s for s in r.get("sources", []) if s.get("kind") == kind and (s.get("distro") or "") == distro]
        if not found:
            problems.append(f"{name} run: no source {key}")
            continue
        s = found[0]
        if s.get("status") != status or text not in (s.get("reason") or ""):
            problems.append(f"{name} run: {key} is {s.get('status')} {s.get('reason')!r}, expected {status} {text!r}")
for p in problems:
    print("MISMATCH", p)
print(f"{len(a)} sources compared; {len(problems)} mismatches")
sys.exit(1 if problems else 0)
