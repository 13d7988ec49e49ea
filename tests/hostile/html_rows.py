"""html_rows.py - the processes of a wslns HTML report, read back from its rows (docs/html.md:
the rows are the page's only copy of them; the embedded report keeps what they do not show).

    processes(page) -> [{"ns", "pids": [{"ns", "pid"}], "comm", "cmdline"}, ...]

in the rows' order, which is the --json report's (a row is a line "<tr>" and its cells). Text is given back as the page
shows it undone: entities decoded, escapes (span.raw: \\xNN, \\n, \\t, \\e, \\u{XXXX}) made
their characters again (a byte that is not UTF-8 becomes U+FFFD, as in the JSON), command
lines split into arguments by escape.h's quoting."""
import html
import re

_BLOCK = re.compile(r'<div class="rows"[^>]*><noscript>(.*?)</noscript></div>', re.S)
_NS = ' data-ns="'
_HEAD = re.compile(r'<th class="p" title="([^"]*)">')
_RAW = re.compile(r'<span class="raw" title="[^"]*">([^<]*)</span>')


def _unescape(form):
    if form.startswith("\\x"):
        byte = int(form[2:], 16)
        return chr(byte) if byte < 0x80 else "\ufffd"
    if form.startswith("\\u{"):
        return chr(int(form[3:-1], 16))
    return {"\\n": "\n", "\\t": "\t", "\\e": "\x1b"}.get(form, form)


def _text(cell):
    return html.unescape(_RAW.sub(lambda m: _unescape(m.group(1)), cell))


def _args(cell):
    """escape.h's quoting undone: an argument that is empty or holds a blank or a quote is
    in "..." with \\" inside; a backslash of an argument is shown doubled."""
    text, args, arg, quoted, i = _text(cell), [], None, False, 0
    while i < len(text):
        c = text[i]
        i += 1
        if arg is None:
            if c == " ":
                continue
            arg, quoted = "", c == '"'
            if quoted:
                continue
        if c == "\\" and i < len(text):
            arg += text[i]
            i += 1
        elif (c == '"') if quoted else (c == " "):
            args.append(arg)
            arg, quoted = None, False
        else:
            arg += c
    if arg is not None:
        args.append(arg)
    return args


def processes(page):
    rows = []
    for m in _BLOCK.finditer(page):
        # A namespace's rows come before its children: the last data-ns is their namespace's.
        at = page.rindex(_NS, 0, m.start()) + len(_NS)
        ns, block = html.unescape(page[at:page.index('"', at)]), m.group(1)
        head = block[:block.index("</thead>")]
        levels = [html.unescape(t).rsplit(" ", 1)[-1] for t in _HEAD.findall(head)]
        for line in block.split("\n"):
            if not line.startswith("<tr>"):
                continue
            cells = line[len("<tr>"):].split("<td")[1:]
            cells = [c[c.index(">") + 1:] for c in cells]
            pids = [{"ns": levels[j], "pid": int(c)} for j, c in enumerate(cells[:-4]) if c != "?"]
            rows.append({"ns": ns, "pids": pids, "comm": _text(cells[-3]), "cmdline": _args(cells[-2])})
    return rows
