"""How a run file stands damage: N copies of FILE, each with one random bit of its first 400 KB
flipped, read in full with h5py in a process of its own (every dataset and attribute); prints
how many crashed the reader (a signal), how many it refused with an error, and how many it read
without one (damage, if any, read as numbers). The figures of docs/output.md:

    ./clustersim run baseline --set scale=0.001 --steps 6 -o f.h5 --quiet
    /usr/bin/python3 scripts/flip_bits.py f.h5 150 SEED     # SEED 1, 2 and 3

(the older format's figures: the same command on the same run made by the build of bce5de2).
"""
import os
import random
import subprocess
import sys
import tempfile

READ_ALL = """
import h5py, sys
with h5py.File(sys.argv[1], "r") as f:
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            obj[()]
        for k in obj.attrs:
            obj.attrs[k]
    f.visititems(visit)
"""


def main(path, n, seed):
    rng = random.Random(seed)
    data = open(path, "rb").read()
    crashed = refused = read = 0
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "flipped.h5")
        for _ in range(n):
            b = bytearray(data)
            pos = rng.randrange(min(len(b), 400000))
            b[pos] ^= 1 << rng.randrange(8)
            with open(copy, "wb") as f:
                f.write(b)
            rc = subprocess.run([sys.executable, "-c", READ_ALL, copy], capture_output=True,
                                timeout=60).returncode
            crashed += rc < 0
            refused += rc > 0
            read += rc == 0
    print(f"{path}: {n} copies: {crashed} crashed the reader, {refused} refused with an error, "
          f"{read} read without one")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: flip_bits.py RUN.h5 N SEED")
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
