#!/usr/bin/env python3
"""console_check.py OUTPUT [--expect TEXT]... [--html] - what untrusted text may leave on a
console (docs/hostile.md, "Terminal escapes"):

  - the bytes are valid UTF-8 (a stray byte could complete a C1 sequence);
  - no C0 control but the line end (so no ESC, no BEL, no CR), no DEL, no C1 control
    (U+0080..U+009F), no character escape.h shows escaped (bidi controls, invisible ones);
  - no line starts (after blanks) with "fix: curl": a newline in untrusted text cannot start
    a spoofed fix line;
  - each --expect TEXT is there (the attack was shown escaped, not dropped).
With --html the file is an HTML page: only its shown part (before the embedded report's
<script type="application/json">) is checked, and the same characters may not appear raw
there. Prints every problem; exit 1 if there is any.
"""
import argparse
import re
import sys

ap = argparse.ArgumentParser()
ap.add_argument("output")
ap.add_argument("--expect", action="append", default=[])
ap.add_argument("--html", action="store_true")
args = ap.parse_args()

# escape.h's set (common/utf8.c), spelled out again so the test does not trust the code.
HIDDEN = [(0x80, 0x9F), (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160),
          (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x2028, 0x202E),
          (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
          (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
          (0xE0000, 0xE0FFF)]

problems = []
data = open(args.output, "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    problems.append(f"not valid UTF-8 at byte {e.start}: {data[max(0, e.start - 20):e.start + 20]!r}")
    text = data.decode("utf-8", "replace")
if args.html:
    cut = text.find('<script type="application/json"')
    text = text[:cut] if cut >= 0 else text
for i, ch in enumerate(text):
    cp = ord(ch)
    bad = (cp < 0x20 and ch != "\n") or cp == 0x7F or any(a <= cp <= b for a, b in HIDDEN)
    if bad:
        problems.append(f"U+{cp:04X} raw at character {i}: {text[max(0, i - 30):i + 10]!r}")
        if len(problems) > 20:
            break
for n, line in enumerate(text.split("\n"), 1):
    if re.match(r"\s*fix: curl", line):
        problems.append(f"line {n} is a spoofed fix line: {line[:80]!r}")
for e in args.expect:
    if e not in text:
        problems.append(f"{e!r} is not shown")

for p in problems:
    print(f"console_check.py: {args.output}: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
