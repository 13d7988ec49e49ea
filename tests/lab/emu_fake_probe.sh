#!/bin/sh
# emu_fake_probe.sh - stands in for wslns-probe in the collection tests: one line of JSON
# naming the view it ran in (FAKE_VIEW, set by emu_fake_lab.sh) and the uid it ran as.
# FAKE_CANNOT_MAP / FAKE_PARTIAL (space-separated view names) give exit 3 / exit 1 there;
# FAKE_OOM gives there what wslns-probe does when memory runs out (xalloc.h: exit 71);
# FAKE_HUGE makes the answer there 65 MiB long (past wslns's per-view cap).
case " ${FAKE_HUGE:-} " in *" $FAKE_VIEW "*) printf '{"pad":"'; head -c $((65 << 20)) /dev/zero | tr '\0' x; exit 0 ;; esac
case " ${FAKE_CANNOT_MAP:-} " in *" $FAKE_VIEW "*) echo "no NSpid line in /proc/self/status" >&2; exit 3 ;; esac
case " ${FAKE_OOM:-} " in *" $FAKE_VIEW "*) echo "out of memory: stopped (exit 71)" >&2; exit 71 ;; esac
printf '{"schema":"fake","view":"%s","uid":%s}\n' "$FAKE_VIEW" "$(id -u)"
case " ${FAKE_PARTIAL:-} " in *" $FAKE_VIEW "*) exit 1 ;; esac
exit 0
