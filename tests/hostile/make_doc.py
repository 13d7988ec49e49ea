#!/usr/bin/env python3
"""make_doc.py CASE BASE OUT [PIDS] - writes one hostile answer for the hostile-view suite,
or one input of scripts/bench-hostile.sh (the super-linear cases at the end).

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
# ---- Super-linear paths (scripts/bench-hostile.sh): each crafted case has a benign twin of
# about the same size that does the same kind of work without the attack. ----
elif case in ("hex-args", "hex-args-benign"):
    # 65,000 arguments of one process, each with its hex twin (one not UTF-8, so the twins are
    # read); the benign twin spreads them over 650 processes of 100 arguments.
    def hexed(n, bad, first=0):
        args = ["a%d" % k for k in range(first, first + n)]
        hexes = [a.encode().hex() for a in args]
        args[bad], hexes[bad] = "\ufffd", "ff"
        return args, hexes
    if case == "hex-args":
        args, hexes = hexed(65000, 4242)
        procs[0]["cmdline"], procs[0]["cmdline_hex"] = args, hexes
    else:
        top = max(p["pid"] for p in procs)
        for k in range(650):
            args, hexes = hexed(100, 42, 100 * k)
            q = proc_like(procs[0], pid=top + 1 + k, nspid=[top + 1 + k], ppid=1,
                          comm="p%d" % k, cmdline=args, cmdline_hex=hexes)
            procs.append(q)
    out = dump(doc)
elif case in ("colliding-pids", "sequential-pids"):
    # 100,000 processes. colliding-pids takes its pids from argv[4] (one a line): pids whose
    # hash under idmap's old public function falls in the same few slots (found by
    # bench-hostile.sh); sequential-pids numbers them 2, 3, 4, ...
    if case == "colliding-pids":
        with open(sys.argv[4]) as f:
            pids = [int(line) for line in f if line.strip()][:100000]
    else:
        pids = list(range(2, 100002))
    init = proc_like(procs[0], pid=1, nspid=[1], ppid=0)
    doc["processes"] = [init] + [
        {"pid": p, "nspid": [p], "ppid": 1, "pidns": root, "uid": 1000, "comm": "sleep",
         "cmdline": ["sleep", "600"], "starttime": 200000 + k, "state": "S", "kthread": False}
        for k, p in enumerate(pids) if p != 1]
    doc["self"]["pid"] = doc["processes"][1]["pid"]
    out = dump(doc)
elif case in ("wslg-children", "wslg-children-benign", "many-distros", "many-distros-benign"):
    # Below a VM root (pid 1 mini_init): namespaces whose pid 1 is init(NAME), which makes
    # each a distro. wslg-children: 10,000 of them below one parent holding 40,000 other
    # processes (the merge asked "is the parent WSLg-like?" once per child). many-distros:
    # 50,000 of them right below the root (the JSON report searched its distros list for
    # each). The benign twins name pid 1 "initd": the same tree, no distro.
    wslg = case.startswith("wslg")
    children, parent_procs = (10000, 40000) if wslg else (50000, 0)
    name = "init(D%05d)" if not case.endswith("benign") else "initd%05d"
    vm, parent = root, root + 1
    nss = [{"inode": vm, "parent": None, "parent_visible": False}]
    ps = [{"pid": 1, "nspid": [1], "ppid": 0, "pidns": vm, "uid": 0, "comm": "mini_init",
           "cmdline": ["/init"], "starttime": 1, "state": "S", "kthread": False}]
    base_level = [1]
    if wslg:
        nss.append({"inode": parent, "parent": vm, "parent_visible": True})
        for k in range(parent_procs):
            ps.append({"pid": 100 + k, "nspid": [100 + k, 1 + k], "ppid": 1, "pidns": parent,
                       "uid": 0, "comm": "sleep", "cmdline": ["sleep"], "starttime": 2 + k,
                       "state": "S", "kthread": False})
    for c in range(children):
        inode = 4030000000 + c
        nss.append({"inode": inode, "parent": parent if wslg else vm, "parent_visible": True})
        g = 1000000 + c
        nspid = [g, 500000 + c, 1] if wslg else [g, 1]
        ps.append({"pid": g, "nspid": nspid, "ppid": 1, "pidns": inode, "uid": 0,
                   "comm": name % c, "cmdline": ["/init"], "starttime": 50000 + c,
                   "state": "S", "kthread": False})
    doc["namespaces"], doc["processes"] = nss, ps
    doc["self"] = {"pid": 1, "nspid": [1], "pidns": vm}
    doc["context"] = {}
    out = dump(doc)
elif case in ("wsl-conf-section", "wsl-conf-benign", "wslconfig-section", "wslconfig-benign"):
    # 64 KiB of config: a 32 KiB section name above 8,000 unknown keys (every key and every
    # warning once copied the name), or a short section, the same keys and a 32 KiB comment.
    keys = "".join("k%04d=1\n" % k for k in range(8000))
    if case.endswith("section"):
        text = "[" + "a" * 32768 + "]\n" + keys
    else:
        text = "[" + ("boot" if case.startswith("wsl-conf") else "wsl2") + "]\n" + keys + \
            "#" + "a" * 32767 + "\n"
    if case.startswith("wsl-conf"):
        doc["context"]["wsl_conf"] = text
        doc["context"]["wsl_conf_truncated"] = False
        out = dump(doc)
    else:
        out = text.encode()
else:
    sys.exit(f"make_doc.py: unknown case {case}")
with open(out_path, "wb") as f:
    f.write(out)
