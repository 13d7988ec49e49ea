#!/usr/bin/env python3
"""check.py - checks a wslns-doctor/1 document (docs/doctor.md) against what a scenario expects.

    check.py DOCTOR_JSON [--gui DISTRO=on|off|broken|unknown]... [--cause DISTRO=NAME]...
             [--finding [DISTRO:]CODE]... [--no-finding CODE]... [--no-problem]
             [--wsl-conf DISTRO=VALUE@LINE]... [--wslconfig VALUE@LINE] [--distros N]

Besides the scenario's expectations it checks the schema's shape: every member docs/doctor.md
names, with its type, in every distro, finding and problem. Prints every mismatch; exit 1 if
there is any.
"""
import argparse
import json
import sys

errors = []


def expect(cond, what):
    if not cond:
        errors.append(what)


def is_int_or_null(v):
    return v is None or (isinstance(v, int) and not isinstance(v, bool))


def check_setting(s, where):
    expect(isinstance(s, dict), f"{where}: not an object")
    if isinstance(s, dict):
        expect(s.get("value") is None or isinstance(s.get("value"), bool), f"{where}.value: {s.get('value')!r}")
        expect(is_int_or_null(s.get("line")), f"{where}.line: {s.get('line')!r}")


def check_problems(ps, where):
    expect(isinstance(ps, list), f"{where}: not a list")
    for i, p in enumerate(ps if isinstance(ps, list) else []):
        expect(isinstance(p.get("line"), int), f"{where}[{i}].line")
        expect(isinstance(p.get("code"), str), f"{where}[{i}].code")
        expect(isinstance(p.get("message"), str), f"{where}[{i}].message")


def check_shape(doc):
    expect(doc.get("schema") == "wslns-doctor/1", f"schema is {doc.get('schema')!r}")
    wc = doc.get("wslconfig", {})
    expect(isinstance(wc.get("path"), str), "wslconfig.path")
    expect(isinstance(wc.get("found"), bool), "wslconfig.found")
    check_setting(wc.get("gui_applications"), "wslconfig.gui_applications")
    expect(isinstance(wc.get("gui_applications", {}).get("value"), bool), "wslconfig value is a bool")
    check_problems(wc.get("problems"), "wslconfig.problems")
    for d in doc.get("distros", []):
        n = d.get("distro")
        expect(isinstance(n, str), "distro name")
        expect(d.get("gui") in ("on", "off", "broken", "unknown"), f"{n}: gui {d.get('gui')!r}")
        expect(isinstance(d.get("cause"), str) and d["cause"], f"{n}: cause")
        expect(d.get("fix") is None or isinstance(d.get("fix"), str), f"{n}: fix")
        check_setting(d.get("wsl_conf", {}).get("gui_applications"), f"{n}.wsl_conf.gui_applications")
        check_problems(d.get("wsl_conf", {}).get("problems"), f"{n}.wsl_conf.problems")
    for f in doc.get("findings", []):
        expect(isinstance(f.get("code"), str), "finding code")
        expect(f.get("severity") in ("error", "warning", "info"), f"finding severity {f.get('severity')!r}")
        for k in ("distro", "file", "fix"):
            expect(f.get(k) is None or isinstance(f.get(k), str), f"finding {f.get('code')}.{k}")
        expect(is_int_or_null(f.get("line")), f"finding {f.get('code')}.line")
        expect(isinstance(f.get("message"), str), f"finding {f.get('code')}.message")


def value_at(text):
    value, line = text.split("@")
    return {"true": True, "false": False, "null": None}[value], (None if line == "null" else int(line))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("doc")
    ap.add_argument("--gui", action="append", default=[])
    ap.add_argument("--cause", action="append", default=[])
    ap.add_argument("--finding", action="append", default=[])
    ap.add_argument("--no-finding", action="append", default=[])
    ap.add_argument("--no-problem", action="store_true")
    ap.add_argument("--wsl-conf", action="append", default=[])
    ap.add_argument("--wslconfig")
    ap.add_argument("--distros", type=int)
    a = ap.parse_args()
    with open(a.doc, encoding="utf-8") as f:
        doc = json.load(f)
    check_shape(doc)
    distros = {d.get("distro"): d for d in doc.get("distros", [])}
    if a.distros is not None:
        expect(len(distros) == a.distros, f"{len(distros)} distros, expected {a.distros}: {sorted(distros)}")
    for spec in a.gui:
        name, gui = spec.split("=")
        d = distros.get(name)
        expect(d is not None and d.get("gui") == gui,
               f"{name}: gui {d.get('gui') if d else 'missing'}, expected {gui} ({d.get('cause') if d else ''})")
    for spec in a.cause:
        name, cause = spec.split("=")
        d = distros.get(name)
        expect(d is not None and d.get("config_cause") == cause,
               f"{name}: config_cause {d.get('config_cause') if d else 'missing'}, expected {cause}")
    for spec in a.wsl_conf:
        name, rest = spec.split("=")
        value, line = value_at(rest)
        g = distros.get(name, {}).get("wsl_conf", {}).get("gui_applications", {})
        expect(g.get("value") == value and g.get("line") == line,
               f"{name}: wsl_conf.gui_applications {g}, expected value {value} line {line}")
    if a.wslconfig:
        value, line = value_at(a.wslconfig)
        g = doc.get("wslconfig", {}).get("gui_applications", {})
        expect(g.get("value") == value and g.get("line") == line,
               f"wslconfig.gui_applications {g}, expected value {value} line {line}")
    findings = doc.get("findings", [])
    for spec in a.finding:
        distro, _, code = spec.rpartition(":")
        hit = [f for f in findings if f.get("code") == code and (not distro or f.get("distro") == distro)]
        expect(hit, f"no finding {code} for {distro or 'any distro'}")
        for f in hit:
            expect(f.get("fix") or f.get("severity") == "info", f"finding {code} has no fix")
    for code in a.no_finding:
        expect(not [f for f in findings if f.get("code") == code], f"unexpected finding {code}")
    if a.no_problem:
        bad = [f"{f.get('severity')} {f.get('code')} {f.get('distro')}" for f in findings
               if f.get("severity") != "info"]
        expect(not bad, f"findings that ask for action: {bad}")
    for e in errors:
        print("MISMATCH:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
