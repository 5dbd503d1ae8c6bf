#!/usr/bin/python3
"""OpenBLAS side of the GEMM comparison: float32 matmul through Debian's numpy (which calls
OpenBLAS's cblas_sgemm) for the shapes and layouts of GemmBench, at 1 and 2 threads.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/openblas_sgemm.py

Each thread count runs in its own subprocess because OPENBLAS_NUM_THREADS is read when the
library loads. Transposed operands are passed as transposed views (a.T of a C-contiguous
array is Fortran-contiguous), so numpy hands sgemm a transpose flag instead of copying; the
script checks that by timing the view against an explicit copy. It prints the best GFLOP/s
(2*m*n*k / time) of several repeats, as a markdown table.

Usage (the comparison in bench/RESULTS.md; the machine is shared, so run several rounds
and keep the best of each side):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/openblas_sgemm.py \
        --save openblas1.json                      # measure; print and save the OpenBLAS table
    /usr/bin/python3 bench/openblas_sgemm.py --openblas openblas1.json openblas2.json \
        --jmh gemm1.json gemm2.json                # compare with GemmBench's JSON (-rf json)

JMH's average time per op of each measurement iteration becomes GFLOP/s; the comparison shows
the best iteration over all files (slower iterations are mostly other people's work), the
median, OpenBLAS's best and the ratio of the bests.
"""
import json
import statistics
import argparse
import ctypes
import os
import subprocess
import sys
import time

from peer_timing import best_seconds  # bench/ is on sys.path when run as a script

SHAPES = ["1024x1024x1024", "60x300x784", "784x300x60", "60x784x300",
          "256x300x784", "784x300x256", "256x784x300"]
LAYOUTS = ["NN", "NT", "TN"]
THREADS = [1, 2]


def openblas_info():
    """Which OpenBLAS numpy loaded: its config string and the core type it chose."""
    import numpy  # noqa: F401  (loads the BLAS library into this process)
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps
                       if "blas" in line and line.split()[-1].startswith("/")})
    for path in libs:
        lib = ctypes.CDLL(path)
        if hasattr(lib, "openblas_get_corename"):
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_num_threads.restype = ctypes.c_int
            return (path, lib.openblas_get_config().decode(), lib.openblas_get_corename().decode(),
                    lib.openblas_get_num_threads())
    return (", ".join(libs), "unknown", "unknown", -1)


def operands(np, m, n, k, layout):
    """op(A) and op(B) as numpy wants them; T means stored transposed, passed as a .T view."""
    rng = np.random.default_rng(1)
    a = rng.standard_normal((k, m) if layout[0] == "T" else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if layout[1] == "T" else (k, n), dtype=np.float32)
    return (a.T if layout[0] == "T" else a), (b.T if layout[1] == "T" else b)


def worker(threads):
    """Runs in a subprocess with OPENBLAS_NUM_THREADS set; prints one line per configuration."""
    import numpy as np
    path, config, core, nthreads = openblas_info()
    print(f"# library {path}; config: {config}; core: {core}; threads: {nthreads}", flush=True)
    for shape in SHAPES:
        m, n, k = map(int, shape.split("x"))
        for layout in LAYOUTS:
            a, b = operands(np, m, n, k, layout)
            c = np.empty((m, n), dtype=np.float32)
            seconds = best_seconds(lambda: np.matmul(a, b, out=c))
            line = f"{shape} {layout} {threads} {2.0 * m * n * k / seconds / 1e9:.1f}"
            if layout != "NN":
                # A view that numpy copied before the call would cost as much as this does.
                ac, bc = np.ascontiguousarray(a), np.ascontiguousarray(b)
                copied = best_seconds(lambda: np.matmul(np.ascontiguousarray(a), np.ascontiguousarray(b), out=c))
                line += f" view/copy-time {seconds / copied:.2f}"
                assert np.allclose(np.matmul(ac, bc), c, rtol=1e-3, atol=1e-2)
            print(line, flush=True)


def jmh_gflops(paths):
    """(shape, layout, threads) -> (best, median) GFLOP/s over all measurement iterations."""
    samples = {}
    for path in paths:
        with open(path) as f:
            for run in json.load(f):
                params = run["params"]
                m, n, k = map(int, params["shape"].split("x"))
                metric = run["primaryMetric"]
                assert metric["scoreUnit"] == "us/op", metric["scoreUnit"]
                key = (params["shape"], params["layout"], int(params["threads"]))
                for fork in metric["rawData"]:
                    samples.setdefault(key, []).extend(2.0 * m * n * k / (us * 1e3) for us in fork)
    return {key: (max(v), statistics.median(v)) for key, v in samples.items()}


def measure_openblas(coretype=None):
    """(shape, layout, threads) -> best GFLOP/s, one subprocess per thread count."""
    results = {}
    for threads in THREADS:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
        # Old-OpenBLAS workarounds must not pick the kernel for this comparison, unless asked:
        # an OpenBLAS older than the CPU picks older kernels (0.3.21 on Zen 5: Haswell's AVX2),
        # and --coretype SkylakeX then measures its AVX-512 kernels, the stronger peer.
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        if coretype:
            env["OPENBLAS_CORETYPE"] = coretype
        out = subprocess.run([sys.executable, __file__, "--worker", str(threads)], env=env,
                             check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            print(line if line.startswith("#") else "  " + line, file=sys.stderr)
            if not line.startswith("#"):
                shape, layout, t, gflops = line.split()[:4]
                results[(shape, layout, int(t))] = float(gflops)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--save", help="write the OpenBLAS results to this JSON file")
    parser.add_argument("--openblas", nargs="+", help="saved OpenBLAS results to compare, best of all")
    parser.add_argument("--jmh", nargs="+", help="GemmBench JSON results (-rf json), best of all")
    parser.add_argument("--coretype", help="OPENBLAS_CORETYPE for the measurement (default: OpenBLAS picks)")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    if args.openblas:
        theirs = {}
        for path in args.openblas:
            with open(path) as f:
                for shape, layout, threads, gflops in json.load(f):
                    key = (shape, layout, threads)
                    theirs[key] = max(gflops, theirs.get(key, 0.0))
    else:
        theirs = measure_openblas(args.coretype)
        if args.save:
            with open(args.save, "w") as f:
                json.dump([[*key, gflops] for key, gflops in theirs.items()], f)
    order = lambda key: (SHAPES.index(key[0]), LAYOUTS.index(key[1]), key[2])
    if not args.jmh:
        print("| shape MxNxK | layout | threads | OpenBLAS GFLOP/s (best) |")
        print("| --- | --- | --- | --- |")
        for key in sorted(theirs, key=order):
            print(f"| {key[0]} | {key[1]} | {key[2]} | {theirs[key]:.1f} |")
        return
    ours = jmh_gflops(args.jmh)
    print("| shape MxNxK | layout | threads | ours GFLOP/s (best) | ours (median) "
          "| OpenBLAS GFLOP/s (best) | ratio best/best |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for key in sorted(ours, key=order):
        best, median = ours[key]
        other = theirs.get(key)
        ratio = f"{best / other:.2f}" if other else "-"
        other_text = f"{other:.1f}" if other else "-"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {best:.1f} | {median:.1f} | {other_text} | {ratio} |")


if __name__ == "__main__":
    main()
