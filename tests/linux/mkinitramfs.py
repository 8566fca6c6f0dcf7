#!/usr/bin/env python3
"""mkinitramfs.py OUT INIT: write a newc cpio archive (the initramfs format,
Linux Documentation/driver-api/early-userspace/buffer-format.rst) holding
/dev, /dev/console (char 5:1, so the kernel can give /init a console) and
INIT as /init. Written here rather than with cpio(1) because creating the
device node needs no root and the archive is byte-for-byte reproducible
(every time stamp and owner is zero)."""
import sys


def entry(ino, mode, name, data=b"", rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
        len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkinitramfs.py OUT INIT")
    with open(sys.argv[2], "rb") as f:
        init = f.read()
    arc = entry(1, 0o040755, "dev")
    arc += entry(2, 0o020600, "dev/console", rdev=(5, 1))
    arc += entry(3, 0o100755, "init", init)
    arc += entry(0, 0, "TRAILER!!!")
    arc += b"\0" * (-len(arc) % 512)
    with open(sys.argv[1], "wb") as f:
        f.write(arc)


main()
