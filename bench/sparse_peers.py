#!/usr/bin/python3
"""Peers of SpmmBench: C[M x n] = A[M x K] * B[K x n] with a uniform random mask of exactly
round((1 - sparsity) M K) nonzeros, timed for

  torch CSR   torch.sparse_csr_tensor(...) @ dense   (torch.set_num_threads(t))
  scipy CSR   scipy.sparse.csr_matrix @ dense        (single-threaded: only t = 1)
  OpenBLAS    numpy float32 matmul of the dense A    (OPENBLAS_NUM_THREADS = t)
  OpenBLAS matvec (n = 1 only)  numpy float32 A @ x with a 1-D x: sgemv, the dense
              matrix-vector product (the 2-D A @ B with B of shape (K, 1) is timed as "openblas")

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/sparse_peers.py \
        [--shapes 1024x1024] [--n 1,256] [--sparsity 0.5,0.9] [--threads 1,2] [--json out.json]

Each thread count runs in its own subprocess because OpenBLAS reads OPENBLAS_NUM_THREADS when
it loads. Every timing is the best of REPEATS samples (the machine is shared and noisy), each
sample repeating the product until it lasts SAMPLE_SECONDS. Prints a markdown table of
microseconds per product and effective GFLOP/s (2 M K n / t); every library's result is
checked against numpy's before it is timed.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from peer_timing import best_seconds  # bench/ is on sys.path when run as a script

SHAPES = ["300x784", "1024x1024"]
NS = [1, 16, 64, 256]
SPARSITIES = [0.5, 0.6, 0.8, 0.9, 0.95, 0.98, 0.99]
THREADS = [1, 2]


def random_csr(np, m, k, sparsity, rng):
    """Dense A (zeros off the mask) with exactly round((1 - sparsity) m k) uniform nonzeros."""
    nnz = int(round((1 - sparsity) * m * k))
    cells = rng.choice(m * k, size=nnz, replace=False)
    a = np.zeros(m * k, dtype=np.float32)
    a[cells] = rng.uniform(-1, 1, size=nnz).astype(np.float32)
    return a.reshape(m, k), nnz


def worker(threads, shapes, ns, sparsities):
    import numpy as np
    import scipy.sparse
    import torch
    torch.set_num_threads(threads)
    rng = np.random.default_rng(42)
    for shape in shapes:
        m, k = map(int, shape.split("x"))
        for s in sparsities:
            a, nnz = random_csr(np, m, k, s, rng)
            a_scipy = scipy.sparse.csr_matrix(a)
            a_torch = torch.from_numpy(a).to_sparse_csr()
            for n in ns:
                b = rng.uniform(-1, 1, size=(k, n)).astype(np.float32)
                b_torch = torch.from_numpy(b)
                expected = a @ b
                tol = dict(rtol=1e-4, atol=1e-3)
                results = {}
                c = np.empty((m, n), dtype=np.float32)
                results["openblas"] = best_seconds(lambda: np.matmul(a, b, out=c))
                if n == 1:
                    x = np.ascontiguousarray(b[:, 0])
                    y = np.empty(m, dtype=np.float32)
                    assert np.allclose(np.matmul(a, x), expected[:, 0], **tol)
                    results["openblas_matvec"] = best_seconds(lambda: np.matmul(a, x, out=y))
                assert np.allclose(a_torch.matmul(b_torch).numpy(), expected, **tol)
                results["torch_csr"] = best_seconds(lambda: a_torch.matmul(b_torch))
                if threads == 1:
                    assert np.allclose(a_scipy @ b, expected, **tol)
                    results["scipy_csr"] = best_seconds(lambda: a_scipy @ b)
                for lib, sec in results.items():
                    print(json.dumps(dict(lib=lib, shape=shape, n=n, sparsity=s, threads=threads,
                                          nnz=nnz, us=sec * 1e6)), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--worker", type=int)
    p.add_argument("--shapes", default=",".join(SHAPES))
    p.add_argument("--n", default=",".join(map(str, NS)))
    p.add_argument("--sparsity", default=",".join(map(str, SPARSITIES)))
    p.add_argument("--threads", default=",".join(map(str, THREADS)))
    p.add_argument("--json")
    args = p.parse_args()
    shapes = args.shapes.split(",")
    ns = [int(x) for x in args.n.split(",")]
    sparsities = [float(x) for x in args.sparsity.split(",")]
    if args.worker is not None:
        worker(args.worker, shapes, ns, sparsities)
        return
    rows = []
    for threads in [int(x) for x in args.threads.split(",")]:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        out = subprocess.run([sys.executable, __file__, "--worker", str(threads), "--shapes", args.shapes,
                              "--n", args.n, "--sparsity", args.sparsity], env=env, check=True,
                             capture_output=True, text=True).stdout
        rows += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    print("| shape MxK | n | sparsity | threads | library | us (best) | effective GFLOP/s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        m, k = map(int, r["shape"].split("x"))
        gflops = 2.0 * m * k * r["n"] / (r["us"] * 1e3)
        print(f"| {r['shape']} | {r['n']} | {r['sparsity']} | {r['threads']} | {r['lib']} | {r['us']:.1f} | {gflops:.1f} |")


if __name__ == "__main__":
    main()
