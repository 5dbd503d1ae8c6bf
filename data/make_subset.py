#!/usr/bin/env python3
"""Cut the shipped Fashion-MNIST subset out of the full data set.

Takes the first 10,000 training and the first 2,000 test images and labels (no shuffling, so
the result is deterministic) and writes them as gzip IDX files with the standard names. Python
standard library only. Usage:

    python3 data/make_subset.py [SOURCE_DIR] [TARGET_DIR]

SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (Debian: apt-get install
dataset-fashion-mnist), TARGET_DIR to data/fashion-mnist-subset beside this script.
"""
import collections
import gzip
import os
import struct
import sys

UNSIGNED_BYTE = 0x08
TRAIN_COUNT = 10_000
TEST_COUNT = 2_000
SPLITS = [("train", TRAIN_COUNT), ("t10k", TEST_COUNT)]


def read_idx(path):
    """Return (dims, payload bytes) of an IDX file, gzip or raw, checking magic and length."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero0, zero1, dtype, rank = raw[0], raw[1], raw[2], raw[3]
    if zero0 != 0 or zero1 != 0 or dtype != UNSIGNED_BYTE:
        sys.exit(f"{path}: not an unsigned-byte IDX file (magic {raw[:4].hex()})")
    dims = list(struct.unpack(f">{rank}i", raw[4:4 + 4 * rank]))
    payload = raw[4 + 4 * rank:]
    expected = 1
    for d in dims:
        expected *= d
    if len(payload) != expected:
        sys.exit(f"{path}: {len(payload)} data bytes, expected {expected} for dims {dims}")
    return dims, payload


def write_idx_gz(path, dims, payload):
    """Write an unsigned-byte IDX file, gzip-compressed with a fixed mtime so reruns are identical."""
    header = bytes([0, 0, UNSIGNED_BYTE, len(dims)]) + struct.pack(f">{len(dims)}i", *dims)
    with open(path, "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
            gz.write(header + payload)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "fashion-mnist-subset")
    os.makedirs(target, exist_ok=True)
    for prefix, count in SPLITS:
        for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"):
            name = f"{prefix}-{kind}"
            src = os.path.join(source, name + ".gz")
            if not os.path.exists(src):
                src = os.path.join(source, name)
            dims, payload = read_idx(src)
            per_item = len(payload) // dims[0]
            write_idx_gz(os.path.join(target, name + ".gz"), [count] + dims[1:],
                         payload[:count * per_item])
            if kind.startswith("labels"):
                balance = collections.Counter(payload[:count])
                print(f"{prefix}: {count} labels, per class "
                      + " ".join(f"{c}:{balance[c]}" for c in sorted(balance)))


if __name__ == "__main__":
    main()
