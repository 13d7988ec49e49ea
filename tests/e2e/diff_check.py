#!/usr/bin/env python3
"""diff_check.py - checks a wslns-diff/1 document from the e2e "diff" case.

    diff_check.py DIFF.json STARTED_ARG ENDED_ARG

Between the two lab runs one `sleep ENDED_ARG` was killed and one `sleep STARTED_ARG` started
in Ubuntu, nothing else: the diff must list exactly those two processes (in Ubuntu's own
namespace, with their start times), no namespace, no view, no GUI change, the same boot.
Prints every mismatch; exit 1 if there is any.

One thing is left out: a wslns runner caught mid-exec. The merge hides this run's runner
`sh -c RUNNER wslns-run-<marker>` only in that form, but a view taken while another view's
runner is still the emulator's `env VAR=... sh -c RUNNER wslns-run-<marker>` (or the lab's
relay between fork and exec) shows it under that name for an instant. Such a process carries
the run's marker as its last argument, which nothing else of the lab does.
"""
import json
import sys

path, started_arg, ended_arg = sys.argv[1:4]
with open(path, encoding="utf-8") as f:
    d = json.load(f)
errors = []


def expect(cond, what):
    if not cond:
        errors.append(what)


expect(d.get("schema") == "wslns-diff/1", f"schema is {d.get('schema')!r}")
expect(d.get("boot_changed") is False, "boot_changed is not false")
for side in ("old", "new"):
    expect(isinstance(d.get(side, {}).get("boot_id"), str), f"{side}.boot_id missing")
procs = d.get("processes", {})


def runner_mid_exec(p):
    args = p.get("cmdline") or []
    return bool(args) and args[-1].startswith("wslns-run-") and args[-1] != args[0]


for key, arg in (("started", started_arg), ("ended", ended_arg)):
    got = [p for p in procs.get(key, []) if not runner_mid_exec(p)]
    shown = [(p.get("comm"), p.get("cmdline"), p.get("ns")) for p in got]
    expect(len(got) == 1, f"processes.{key}: {len(got)} entries, expected 1: {shown}")
    if got:
        p = got[0]
        expect(p.get("cmdline") == ["sleep", arg], f"processes.{key}[0].cmdline is {p.get('cmdline')}")
        expect(isinstance(p.get("starttime"), int), f"processes.{key}[0] has no starttime")
        pids = p.get("pids", [])
        expect(pids and pids[-1].get("ns") == p.get("ns"), f"processes.{key}[0].pids {pids}")
        expect(len(pids) >= 2, f"processes.{key}[0] is not seen from an outer level: {pids}")
ns = d.get("namespaces", {})
expect(ns.get("appeared") == [] and ns.get("gone") == [], f"namespaces changed: {ns}")
expect(d.get("sources") == [], f"views changed: {d.get('sources')}")
expect(d.get("distros") == [], f"GUI states changed: {d.get('distros')}")
for e in errors:
    print("diff_check:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
