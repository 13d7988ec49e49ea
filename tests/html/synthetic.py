#!/usr/bin/env python3
"""synthetic.py N OUT [DISTROS] - a wslns-probe/1 document of a VM root seeing N processes,
laid out as a busy WSL machine: the VM root's own processes, DISTROS distros (8 unless given)
each below its system distro, and 3 containers below every other distro (docker-style, 4
levels deep). Command lines are long and varied like real ones. For scripts/bench-html.sh
(wslns --from OUT --html ...); 14 distros make the 50 namespaces of the picture's readability
test (check.mjs picture50)."""
import json
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
distros = int(sys.argv[3]) if len(sys.argv) > 3 else 8
rng = random.Random(680001)
ROOT = 4026531836
next_inode = ROOT + 400
namespaces = [{"inode": ROOT, "parent": None, "parent_visible": False}]
procs = []
vm_pid = 0
own_pid = {}  # namespace -> last pid used there
chains = {ROOT: [ROOT]}


def new_ns(parent):
    global next_inode
    next_inode += 1
    namespaces.append({"inode": next_inode, "parent": parent, "parent_visible": True})
    chains[next_inode] = chains[parent] + [next_inode]
    return next_inode


def add(ns, comm, cmdline, ppid=0):
    global vm_pid
    vm_pid += 1
    nspid = []
    for level in chains[ns]:
        own_pid[level] = own_pid.get(level, 0) + 1
        nspid.append(vm_pid if level == ROOT else own_pid[level])
    procs.append({"pid": vm_pid, "nspid": nspid, "ppid": ppid, "pidns": ns, "uid": rng.choice([0, 0, 1000]),
                  "comm": comm[:15], "cmdline": cmdline, "starttime": 1000 + vm_pid})


WORDS = ["node", "python3", "java", "postgres", "nginx", "redis-server", "gunicorn", "code-server",
         "dotnet", "bash", "sleep", "tail", "ssh-agent", "dbus-daemon", "systemd-journal", "cron"]
add(ROOT, "mini_init", ["/init"])
add(ROOT, "gns", ["/gns", "--socket", "3"], 1)
add(ROOT, "localhost", ["/localhost", "--port-tracker"], 1)
groups = []
for d in range(distros):
    name = f"Distro{d:02d}"
    system = new_ns(ROOT)
    distro = new_ns(system)
    add(system, "init", ["/init"], 1)
    add(system, "WSLGd", ["/usr/bin/WSLGd"])
    add(distro, f"init({name})", ["/init"])
    groups += [system, distro]
    if d % 2 == 0:
        for _ in range(3):
            c = new_ns(distro)
            add(c, "nginx", ["nginx: master process", "nginx", "-g", "daemon off;"])
            groups += [c, c]
while len(procs) < n:
    ns = rng.choice(groups)
    w = rng.choice(WORDS)
    args = [f"/usr/bin/{w}"] + [f"--{rng.choice(['port', 'config', 'workers', 'log-level'])}="
                                f"{rng.randrange(1, 99999)}" for _ in range(rng.randrange(0, 5))]
    if w == "sleep":
        args = ["sleep", str(rng.randrange(1, 999999))]
    add(ns, w, args, 1)
# Each namespace's other types as WSL makes them: a system distro owns mnt, uts and ipc, its
# distro mnt and uts (ipc is the system distro's), a container all but user.
TYPES = ["mnt", "uts", "ipc", "net", "user", "cgroup", "time"]
by_inode = {ns["inode"]: ns for ns in namespaces}
for ns in namespaces:
    level = len(chains[ns["inode"]]) - 1
    up = by_inode.get(ns["parent"])
    own = {0: TYPES, 1: TYPES[:3], 2: TYPES[:2]}.get(level, [t for t in TYPES if t != "user"])
    ns["ns"] = {t: (ns["inode"] * 10 + i if t in own else up["ns"][t]) for i, t in enumerate(TYPES)}
doc = {"schema": "wslns-probe/1",
       "kernel": {"release": "6.6.87.2-microsoft-standard-WSL2", "boot_id": "b0b0b0b0-0000-4000-8000-000000000001"},
       "self": {"pid": 1, "nspid": [1], "pidns": ROOT},
       "context": {"distro": None}, "namespaces": namespaces, "processes": procs, "errors": []}
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f)
