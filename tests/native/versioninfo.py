#!/usr/bin/env python3
"""versioninfo.py EXE - prints the VERSIONINFO resource of a PE file as
"<fixed FileVersion a.b.c.d> <FileVersion string> <ProductVersion string>".

A tiny reader of the documented layout (no Windows needed): section table -> .rsrc ->
resource directory (type 16 = RT_VERSION) -> VS_VERSIONINFO, whose VS_FIXEDFILEINFO starts
with the signature 0xFEEF04BD, and whose StringFileInfo holds UTF-16 key/value pairs."""
import struct
import sys


def rva_to_offset(sections, rva):
    for virt, size, raw in sections:
        if virt <= rva < virt + size:
            return rva - virt + raw
    raise ValueError(f"RVA {rva:#x} is in no section")


def version_resource(data):
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        raise ValueError("not a PE file")
    nsections, opt_size = struct.unpack_from("<H12xH", data, pe + 6)
    opt = pe + 24
    magic = struct.unpack_from("<H", data, opt)[0]
    dirs = opt + (112 if magic == 0x20B else 96)
    rsrc_rva = struct.unpack_from("<I", data, dirs + 2 * 8)[0]
    sections = []
    for i in range(nsections):
        s = opt + opt_size + 40 * i
        vsize, virt, rawsize, raw = struct.unpack_from("<IIII", data, s + 8)
        sections.append((virt, max(vsize, rawsize), raw))
    base = rva_to_offset(sections, rsrc_rva)

    def first_entry(directory, wanted=None):
        named, ids = struct.unpack_from("<HH", data, directory + 12)
        for i in range(named + ids):
            name, target = struct.unpack_from("<II", data, directory + 16 + 8 * i)
            if wanted is None or name == wanted:
                return target
        raise ValueError(f"no resource entry {wanted}")

    t = first_entry(base, 16)  # RT_VERSION
    n = first_entry(base + (t & 0x7FFFFFFF))
    lang = first_entry(base + (n & 0x7FFFFFFF))
    rva, size = struct.unpack_from("<II", data, base + lang)
    off = rva_to_offset(sections, rva)
    return data[off:off + size]


def strings(block):
    """Key/value pairs of the String structures, found by walking the tree of blocks."""
    out = {}

    def walk(pos, end, depth):
        while pos + 6 <= end:
            length, value_len, kind = struct.unpack_from("<HHH", block, pos)
            if length == 0:
                break
            key_end = block.index(b"\0\0", pos + 6)
            while (key_end - pos) % 2:
                key_end = block.index(b"\0\0", key_end + 1)
            key = block[pos + 6:key_end].decode("utf-16-le")
            value = (key_end + 2 + 3) & ~3
            if depth == 3 and kind == 1:
                text = block[value:value + 2 * value_len].decode("utf-16-le").rstrip("\0")
                out[key] = text
            children = value + (value_len * (2 if kind == 1 else 1))
            children = (children + 3) & ~3
            if depth < 3:
                walk(children, pos + length, depth + 1)
            pos = (pos + length + 3) & ~3

    walk(0, len(block), 0)
    return out


def main():
    data = open(sys.argv[1], "rb").read()
    block = version_resource(data)
    fixed = block.index(struct.pack("<I", 0xFEEF04BD))
    ms, ls = struct.unpack_from("<II", block, fixed + 8)
    pairs = strings(block)
    print(f"{ms >> 16}.{ms & 0xFFFF}.{ls >> 16}.{ls & 0xFFFF} "
          f"{pairs['FileVersion']} {pairs['ProductVersion']}")


if __name__ == "__main__":
    main()
