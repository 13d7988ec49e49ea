#!/usr/bin/env bash
# The probe's WSLg evidence in every view of a lab with a tmpfs over Debian's /tmp, against the
# kernel (util-linux `mountpoint`, run in the same view) and against the layout the lab built
# as WSL builds it (docs/lab.md): the share under the distro's automount root is a mount point
# (docker-desktop: /mnt/host/wslg, its /mnt/wslg an empty directory), /tmp/.X11-unix a read-only
# mount point with a reachable X0 in every GUI-on distro but Debian, whose tmpfs hides both.
. "$(dirname "$0")/../lab/lab_testenv.sh"

"$lab" start --tmp-mount Debian >"$work/start.log" 2>&1 || { cat "$work/start.log"; fail "lab start"; }
failed=0
for view in $("$lab" views); do
    base=$work/${view//:/_}
    "$lab" exec "$view" "$probe" >"$base.json" || { echo "FAIL: probe in $view" >&2; failed=1; continue; }
    share=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["context"]["wslg"]["share"]["path"])' "$base.json")
    # The kernel's answer, in the same view: "PATH yes|no" per path.
    "$lab" exec "$view" sh -c 'for p in "$@"; do
            if mountpoint -q "$p"; then echo "$p yes"; else echo "$p no"; fi; done' \
        sh /tmp/.X11-unix /tmp "$share" >"$base.kernel" ||
        { echo "FAIL: mountpoint in $view" >&2; failed=1; continue; }
    python3 - "$view" "$base.json" "$base.kernel" <<'EOF' || failed=1
import json, sys
view, doc, kernel = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
w = doc["context"]["wslg"]
errors = []
def expect(cond, what):
    if not cond:
        errors.append(what)
k = dict(line.split() for line in open(kernel) if line.strip())
share = w["share"]["path"]
expect(w["x11_unix"]["mount_point"] == (k["/tmp/.X11-unix"] == "yes"), f"/tmp/.X11-unix mount point: probe {w['x11_unix']['mount_point']}, kernel {k['/tmp/.X11-unix']}")
expect(w["tmp"]["mount_point"] == (k["/tmp"] == "yes"), f"/tmp mount point: probe {w['tmp']['mount_point']}, kernel {k['/tmp']}")
expect(w["share"]["mount_point"] == (k[share] == "yes"), f"{share} mount point: probe {w['share']['mount_point']}, kernel {k[share]}")
# What the lab built (tests/lab/lab.sh write_layout).
gui = {"Ubuntu": "/mnt/", "Ubuntu-18.04": "/mnt/", "Debian": "/mnt/", "docker-desktop": "/mnt/host/"}
if view in gui:
    expect(w["automount_root"] == gui[view], f"automount root {w['automount_root']!r}")
    expect(share == gui[view] + "wslg" and w["share"]["mount_point"] is True, f"share {share} not mounted")
    expect(w["share"]["x0"] == "reachable", f"share X0: {w['share']['x0']}")
    if view == "Debian":
        expect(w["x11_unix"]["x0"] == "missing" and w["tmp"]["fstype"] == "tmpfs", f"Debian: X0 {w['x11_unix']['x0']}, /tmp {w['tmp']['fstype']}")
    else:
        expect(w["x11_unix"]["type"] == "directory" and w["x11_unix"]["mount_point"] is True and w["x11_unix"]["read_only"] is True, f"/tmp/.X11-unix: {w['x11_unix']}")
        expect(w["x11_unix"]["x0"] == "reachable", f"X0: {w['x11_unix']['x0']}")
    if view == "docker-desktop":
        expect(w["mnt_wslg"] is True and k.get("/mnt/wslg", "no") == "no", "docker-desktop keeps an empty /mnt/wslg directory")
elif view.startswith("container:"):
    pass  # the lab's container shares docker-desktop's file system: only the kernel decides
elif view.startswith("system:"):
    expect(share == "/mnt/wslg" and w["share"]["mount_point"] is True and w["share"]["x0"] == "reachable", f"system share: {w['share']}")
else:
    expect(w["share"]["mount_point"] is False and w["x11_unix"]["x0"] == "missing", f"no WSLg expected: {w}")
for e in errors:
    print(f"FAIL: {view}: {e}", file=sys.stderr)
print(f"{view}: share {share} {'mounted' if w['share']['mount_point'] else 'not mounted'}, X0 {w['x11_unix']['x0']}")
sys.exit(1 if errors else 0)
EOF
done
[ "$failed" = 0 ] || fail "the probe's WSLg evidence disagrees with the kernel or the lab"
