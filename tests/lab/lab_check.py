#!/usr/bin/python3
"""lab_check.py CHECK ARGS... - the comparisons behind tests/lab/test_*.sh.

  layout TRUTH              the truth has WSL's layout: views, parents, depths, names
  parents TRUTH LSNS        lsns -J -t pid -o NS,PNS (run at the VM root) agrees with the
                            namespace parents the lab recorded
  probe TRUTH VIEW PROBE    a probe document taken in VIEW matches the truth
  lsns PROBE LSNS           a probe document and `lsns -J -t pid` from the same view name the
                            same pid namespaces with the same process counts
  members INODE...          the live processes in these pid namespaces, "pid starttime" per
                            line (take it while the lab runs: after it, an inode may already
                            belong to a newer namespace, e.g. another test's lab)
  survivors MEMBERS         none of the processes listed in the file MEMBERS is alive

Prints one line per disagreement and exits 1 if there was any; a test fails loudly that way.
"""
import json
import os
import sys

problems = []


def problem(msg):
    problems.append(msg)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Truth:
    def __init__(self, doc):
        if doc.get("schema") != "wslns-lab-truth/1":
            sys.exit(f"not a lab truth document: schema {doc.get('schema')!r}")
        self.views = {v["name"]: v for v in doc["views"]}
        self.parent = {n["inode"]: n["parent"] for n in doc["namespaces"]}
        self.processes = doc["processes"]
        self.doc = doc
        self.by_vm_pid = {p["nspid"][0]: p for p in self.processes}

    def depth(self, inode):
        """Levels below the VM root (which is 0)."""
        d = 0
        while self.parent.get(inode) is not None:
            inode = self.parent[inode]
            d += 1
        return d

    def within(self, inode, top):
        """True when pid namespace `inode` is `top` or lies below it."""
        while inode is not None:
            if inode == top:
                return True
            inode = self.parent.get(inode)
        return False


EXPECTED_VIEWS = [
    ("vm", "vm", None, None),
    ("system:Ubuntu", "system", "Ubuntu", "vm"),
    ("Ubuntu", "distro", "Ubuntu", "system:Ubuntu"),
    ("system:Ubuntu-18.04", "system", "Ubuntu-18.04", "vm"),
    ("Ubuntu-18.04", "distro", "Ubuntu-18.04", "system:Ubuntu-18.04"),
    ("NoGui", "distro", "NoGui", "vm"),
    ("system:Debian", "system", "Debian", "vm"),
    ("Debian", "distro", "Debian", "system:Debian"),
    ("system:docker-desktop", "system", "docker-desktop", "vm"),
    ("docker-desktop", "distro", "docker-desktop", "system:docker-desktop"),
    ("container:docker-desktop", "container", "docker-desktop", "docker-desktop"),
]

# (view, pid inside the view, comm): WSL's names, cut to 15 bytes like the kernel does.
EXPECTED_NAMES = [
    ("vm", 1, "mini_init"),
    # WSL src/linux/init/main.cpp + init.cpp (3e27a6a5): gns is /init run as "gns", named
    # "GNS" by StartGns; the port tracker is /init run as "localhost" and keeps comm "init";
    # DebugShell (a mini_init child) restarts agetty on hvc2.
    ("vm", 2, "GNS"),
    ("vm", 3, "init"),
    ("vm", 4, "DebugShell"),
    # The system distro is an instance with an empty name: init() (config.cpp sets
    # "init(<name>)"; WslCoreInstance.cpp gives the system distro no name).
    ("system:Ubuntu", 1, "init()"),
    ("Ubuntu", 1, "init(Ubuntu)"),
    ("Ubuntu-18.04", 1, "init(Ubuntu-18."),
    ("NoGui", 1, "init(NoGui)"),
    ("Debian", 1, "systemd"),
    ("Debian", 2, "init-systemd(De"),
    ("docker-desktop", 1, "init(docker-des"),
]

# Length of every NSpid chain (seen from the VM root) per view.
EXPECTED_DEPTH = {"vm": 1, "system:Ubuntu": 2, "Ubuntu": 3, "NoGui": 2, "Debian": 3,
                  "container:docker-desktop": 4}


# Which namespaces besides pid each view has of its own (WSL src/linux/init/main.cpp
# (3e27a6a5): mini_init clones a system distro's or a GUI-less distro's init with new mount,
# pid, UTS and IPC namespaces, a user distro's from its system distro's with new mount, pid
# and UTS ones; net, user, cgroup and time stay the VM's; the lab's container is docker's:
# new IPC, network and cgroup too). Every other type is its parent view's.
OWN_TYPES = {"vm": {"mnt", "uts"},
             "system:Ubuntu": {"mnt", "uts", "ipc"}, "Ubuntu": {"mnt", "uts"},
             "system:Ubuntu-18.04": {"mnt", "uts", "ipc"}, "Ubuntu-18.04": {"mnt", "uts"},
             "NoGui": {"mnt", "uts", "ipc"},
             "system:Debian": {"mnt", "uts", "ipc"}, "Debian": {"mnt", "uts"},
             "system:docker-desktop": {"mnt", "uts", "ipc"}, "docker-desktop": {"mnt", "uts"},
             "container:docker-desktop": {"mnt", "uts", "ipc", "net", "cgroup"},
             "bench": {"mnt", "uts", "ipc"}}
NS_TYPES = ("mnt", "uts", "ipc", "net", "user", "cgroup", "time")


def check_types(t):
    """Each view's types against its parent view's: new exactly where WSL makes new ones."""
    types = {n["inode"]: n.get("types") or {} for n in t.doc["namespaces"]}
    for name, v in t.views.items():
        mine = types.get(v["pidns"], {})
        parent = t.parent.get(v["pidns"])
        theirs = types.get(parent, {}) if parent else None
        for ty in NS_TYPES:
            if not isinstance(mine.get(ty), int):
                problem(f"view {name}: no {ty} namespace in the truth")
                continue
            if theirs is None:
                continue
            own = mine[ty] != theirs.get(ty)
            want = ty in OWN_TYPES.get(name, set())
            if own != want:
                problem(f"view {name}: {'own' if own else 'shared'} {ty} namespace, want "
                        f"{'own' if want else 'its parent view' + chr(39) + 's'}")


def check_layout(truth_path):
    t = Truth(load(truth_path))
    names = [v["name"] for v in load(truth_path)["views"]]
    if names != [e[0] for e in EXPECTED_VIEWS]:
        problem(f"views are {names}")
    for name, kind, distro, parent in EXPECTED_VIEWS:
        v = t.views.get(name)
        if not v:
            continue
        if (v["kind"], v["distro"]) != (kind, distro):
            problem(f"view {name}: kind/distro {v['kind']}/{v['distro']}, want {kind}/{distro}")
        want = t.views[parent]["pidns"] if parent else None
        if t.parent.get(v["pidns"], "absent") != want:
            problem(f"view {name}: parent namespace {t.parent.get(v['pidns'], 'absent')}, "
                    f"want {want} ({parent})")
    inode_view = {v["pidns"]: name for name, v in t.views.items()}
    sizes = {}
    for p in t.processes:
        view = inode_view.get(p["pidns"])
        if view is None:
            problem(f"process {p} is in no view's namespace")
            continue
        sizes[view] = sizes.get(view, 0) + 1
        want = EXPECTED_DEPTH.get(view)
        if want is not None and len(p["nspid"]) != want:
            problem(f"{view}: {p['comm']} has NSpid {p['nspid']}, want {want} levels")
        if len(p["nspid"]) != t.depth(p["pidns"]) + 1:
            problem(f"{view}: {p['comm']} NSpid {p['nspid']} disagrees with its namespace depth")
    for view in t.views:
        if not sizes.get(view):
            problem(f"view {view} has no processes")
    for view, pid, comm in EXPECTED_NAMES:
        inode = t.views[view]["pidns"]
        found = [p for p in t.processes if p["pidns"] == inode and p["nspid"][-1] == pid]
        if not found or found[0]["comm"] != comm:
            problem(f"{view}: pid {pid} is {found[0]['comm'] if found else 'missing'}, "
                    f"want {comm}")
    if not any(p["comm"] == "sleep" for p in t.processes
               if p["pidns"] == t.views["Ubuntu"]["pidns"]):
        problem("Ubuntu: no sleep process")
    check_types(t)


def flatten_lsns(doc):
    out = []

    def walk(entries):
        for e in entries:
            out.append(e)
            walk(e.get("children", []))
    walk(doc["namespaces"])
    return out


def check_parents(truth_path, lsns_path):
    t = Truth(load(truth_path))
    seen = {int(e["ns"]): e for e in flatten_lsns(load(lsns_path))}
    vm = t.views["vm"]["pidns"]
    for inode, parent in t.parent.items():
        e = seen.get(inode)
        if e is None:
            problem(f"lsns does not list pid:[{inode}]")
        elif inode != vm and int(e["pns"]) != parent:
            problem(f"pid:[{inode}]: lsns says parent {e['pns']}, the lab recorded {parent}")
    extra = set(seen) - set(t.parent)
    if extra:
        problem(f"lsns lists pid namespaces the lab does not know: {sorted(extra)}")


def check_probe(truth_path, view_name, probe_path):
    t = Truth(load(truth_path))
    doc = load(probe_path)
    if doc.get("schema") != "wslns-probe/1":
        problem(f"{view_name}: schema {doc.get('schema')!r}")
        return
    view = t.views[view_name]
    top = view["pidns"]
    level = t.depth(top)
    if doc["self"]["pidns"] != top:
        problem(f"{view_name}: the probe ran in pid:[{doc['self']['pidns']}], want pid:[{top}]")

    by_chain = {tuple(p["nspid"]): p for p in doc["processes"]}
    matched = set()
    for tp in t.processes:
        if not t.within(tp["pidns"], top):
            continue
        chain = tuple(tp["nspid"][level:])
        what = f"{view_name}: {tp['comm']} (NSpid from the VM root {tp['nspid']})"
        pp = by_chain.get(chain)
        if pp is None:
            problem(f"{what}: no process with NSpid {list(chain)} in the probe's view")
            continue
        matched.add(chain)
        if pp["pid"] != chain[0]:
            problem(f"{what}: pid {pp['pid']}, want {chain[0]}")
        if pp["pidns"] != tp["pidns"]:
            problem(f"{what}: pidns {pp['pidns']}, want {tp['pidns']}")
        if pp["comm"] != tp["comm"]:
            problem(f"{what}: comm {pp['comm']!r}")
        parent = t.by_vm_pid.get(tp["ppid"])
        want_ppid = parent["nspid"][level] if parent and t.within(parent["pidns"], top) else 0
        if pp["ppid"] != want_ppid:
            problem(f"{what}: ppid {pp['ppid']}, want {want_ppid}")
    extra = [p for chain, p in by_chain.items() if chain not in matched]
    if [p["pid"] for p in extra] != [doc["self"]["pid"]]:
        problem(f"{view_name}: processes beyond the lab and the probe itself: "
                f"{[(p['pid'], p['comm']) for p in extra]}")

    want_ns = {inode for inode in t.parent if t.within(inode, top)}
    got_ns = {n["inode"]: n for n in doc["namespaces"]}
    if set(got_ns) != want_ns:
        problem(f"{view_name}: namespaces {sorted(got_ns)}, want {sorted(want_ns)}")
    truth_types = {n["inode"]: n["types"] for n in t.doc["namespaces"]}
    for inode, n in got_ns.items():
        if inode not in t.parent:
            continue
        if n.get("ns") != truth_types[inode]:
            problem(f"{view_name}: pid:[{inode}] ns {n.get('ns')}, the kernel says "
                    f"{truth_types[inode]}")
        if inode == top:
            # Its parent lies outside the view: the kernel does not tell (EPERM).
            if n["parent_visible"] is not False:
                problem(f"{view_name}: pid:[{inode}] (the view's own) has parent_visible "
                        f"{n['parent_visible']}, want false")
            if n["parent"] not in (None, t.parent[inode]):
                problem(f"{view_name}: pid:[{inode}] parent {n['parent']}")
        else:
            if n["parent_visible"] is not True or n["parent"] != t.parent[inode]:
                problem(f"{view_name}: pid:[{inode}] parent {n['parent']} visible "
                        f"{n['parent_visible']}, want {t.parent[inode]} visible")


def check_lsns(probe_path, lsns_path):
    doc = load(probe_path)
    lsns = {int(e["ns"]): int(e["nprocs"]) for e in flatten_lsns(load(lsns_path))}
    counts = {}
    for p in doc["processes"]:
        counts[p["pidns"]] = counts.get(p["pidns"], 0) + 1
    probe_ns = {n["inode"] for n in doc["namespaces"]}
    if probe_ns != set(lsns):
        problem(f"namespaces: probe {sorted(probe_ns)}, lsns {sorted(lsns)}")
    for inode in sorted(set(lsns) | set(counts)):
        if lsns.get(inode) != counts.get(inode):
            problem(f"pid:[{inode}]: lsns counts {lsns.get(inode)} processes, "
                    f"the probe {counts.get(inode)}")


def proc_state(pid):
    """(state, starttime) of pid, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[0], int(fields[19])


def list_members(inodes):
    wanted = {int(i) for i in inodes}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            inode = os.stat(f"/proc/{entry}/ns/pid").st_ino
        except OSError:
            continue
        st = proc_state(entry)
        if inode in wanted and st and st[0] != "Z":
            print(entry, st[1])


def check_survivors(members_path):
    with open(members_path) as f:
        members = [line.split() for line in f if line.strip()]
    if not members:
        problem("no members listed: nothing was checked")
    for pid, start in members:
        st = proc_state(pid)
        if st and st[0] != "Z" and st[1] == int(start):
            try:
                with open(f"/proc/{pid}/comm") as f:
                    comm = f.read().strip()
            except OSError:
                comm = "?"
            problem(f"pid {pid} ({comm}) of the lab is still alive")


def main():
    checks = {"layout": (check_layout, 1), "parents": (check_parents, 2),
              "probe": (check_probe, 3), "lsns": (check_lsns, 2)}
    if len(sys.argv) >= 2 and sys.argv[1] == "members":
        list_members(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "survivors":
        check_survivors(sys.argv[2])
    elif len(sys.argv) >= 2 and sys.argv[1] in checks and \
            len(sys.argv) == 2 + checks[sys.argv[1]][1]:
        checks[sys.argv[1]][0](*sys.argv[2:])
    else:
        sys.exit(__doc__)
    for p in problems:
        print(f"MISMATCH: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
