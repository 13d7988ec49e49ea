#!/usr/bin/env python3
"""make_doc.py CASE BASE OUT - writes one hostile answer for the hostile-view suite.

BASE is a real wslns-probe/1 document (a fixture of the lab, or the live lab's probe output
for the view that turns hostile); OUT gets the hostile bytes. Big inputs (100 MB, 100,000-deep
nesting) are made here at test time, never stored in git. docs/hostile.md lists what each
case feeds and what the suite expects.
"""
import copy
import json
import sys

case, base_path, out_path = sys.argv[1:4]
with open(base_path, encoding="utf-8") as f:
    base = json.load(f)
doc = copy.deepcopy(base)
root = doc["namespaces"][0]["inode"] if doc["namespaces"] else doc["self"]["pidns"]
procs = doc["processes"]


def dump(d):
    return json.dumps(d).encode()


def proc_like(p, **changes):
    q = copy.deepcopy(p)
    q.update(changes)
    return q


if case == "empty":
    out = b""
elif case == "null":
    out = b"null"
elif case == "truncated":
    whole = dump(doc)
    out = whole[: len(whole) // 2]
elif case == "bad-utf8":
    # Raw invalid UTF-8 (a lone continuation byte, an overlong NUL, a cut sequence) in a
    # member the document cannot do without.
    out = dump(doc).replace(
        json.dumps(doc["kernel"]["release"]).encode(), b'"6.6\x80\xc0\x80\xe2\x82"', 1)
elif case == "bad-utf8-comm":
    # A process name with raw invalid UTF-8 and no comm_hex twin (the probe always sends one).
    victim = next(p for p in procs if p["comm"] != "wslns-probe" and p["nspid"][-1] != 1)
    victim.pop("comm_hex", None)
    marker = "bad-comm-here"
    victim["comm"] = marker
    out = dump(doc).replace(b'"' + marker.encode() + b'"', b'"bad\xff\xc0\x80comm"', 1)
elif case == "huge":
    # A valid document followed by 100 MB of blanks: only a reader without a cap takes it.
    out = dump(doc) + b" " * (100 * 1024 * 1024)
elif case == "deep":
    depth = 100000
    doc["context"]["deep"] = None
    out = dump(doc).replace(b'"deep": null', b'"deep": ' + b"[" * depth + b"]" * depth, 1)
elif case == "numbers":
    # Every process's pid out of range: negative, 2^64, 1e400 (cJSON reads it as infinity).
    out = dump(doc)
    for i, p in enumerate(procs):
        bad = [b"-5", b"18446744073709551616", b"1e400"][i % 3]
        one = json.dumps(p).encode()
        out = out.replace(one, one.replace(b'"pid": %d,' % p["pid"], b'"pid": ' + bad + b",", 1), 1)
elif case == "types":
    doc["processes"] = {"1": procs[0]}
    doc["namespaces"] = "none"
    out = dump(doc)
elif case == "nspid-contradicts":
    # The namespace list says the view's root has no parent in the view, yet every process
    # claims two more levels above it.
    for p in procs:
        p["nspid"] = [p["pid"] + 1000, p["pid"] + 500] + p["nspid"]
        p["pid"] = p["nspid"][0]
    out = dump(doc)
elif case == "cycle":
    # Two namespaces each other's parent, drawn on inodes the good views know too.
    parent = doc["namespaces"][0].get("parent") or 4026532224
    # And three namespaces no other view knows, in a ring: only the merge can break it.
    ring = [4026600001, 4026600002, 4026600003]
    doc["namespaces"] = [
        {"inode": root, "parent": parent, "parent_visible": True},
        {"inode": parent, "parent": root, "parent_visible": True},
    ] + [{"inode": a, "parent": b, "parent_visible": True} for a, b in zip(ring, ring[1:] + ring[:1])]
    out = dump(doc)
elif case == "self-parent":
    doc["namespaces"] = [{"inode": root, "parent": root, "parent_visible": True}]
    out = dump(doc)
elif case == "duplicates":
    doc["processes"] = procs + [proc_like(p, comm="dup-" + p["comm"]) for p in procs]
    out = dump(doc)
elif case == "unlisted-ns":
    # Every process lives in a namespace the document does not list.
    for p in procs:
        p["pidns"] = 4026599999
    out = dump(doc)
elif case == "other-boot":
    doc["kernel"]["boot_id"] = "00000000-0000-4000-8000-000000000000"
    out = dump(doc)
elif case == "schema":
    doc["schema"] = "wslns-probe/2"
    out = dump(doc)
elif case == "many-processes":
    # One entry past VIEW_MAX_PROCESSES: the count alone rejects it, before any entry is read.
    out = dump(doc).replace(b'"processes": [', b'"processes": [' + b"0," * 1000001, 1)
elif case == "many-namespaces":
    out = dump(doc).replace(b'"namespaces": [', b'"namespaces": [' + b"0," * 100001, 1)
elif case == "many-errors":
    doc["errors"] = [0] * 100001
    out = dump(doc)
elif case == "many-args":
    procs[0]["cmdline"] = ["x"] * 65537
    out = dump(doc)
elif case == "many-warnings":
    # More dropped entries than VIEW_MAX_WARNINGS keeps word for word: the rest are counted.
    doc["processes"] = procs + [proc_like(procs[0], pid=-1 - k) for k in range(100)]
    out = dump(doc)
elif case == "deep-parents":
    # A chain of 80 namespaces, each the parent of the next: deeper than MODEL_MAX_DEPTH (64).
    chain = [4026600000 + k for k in range(80)]
    doc["namespaces"] += [{"inode": a, "parent": b, "parent_visible": True}
                          for a, b in zip(chain[1:], chain)]
    out = dump(doc)
else:
    sys.exit(f"make_doc.py: unknown case {case}")
with open(out_path, "wb") as f:
    f.write(out)
