"""The image checksum, shared by embed-checksum and append-checksum: FNV-1a
over 64-bit little-endian words, as guest/lib/checksum.h computes it."""
import struct


def fnv64_words(data):
    h = 0xcbf29ce484222325
    for (w,) in struct.iter_unpack("<Q", data):
        h = ((h ^ w) * 0x100000001b3) & 0xffffffffffffffff
    return h
