#!/bin/sh
# Builds the CLBlast SGEMM baseline (needs: apt-get install libclblast-dev ocl-icd-opencl-dev).
# Usage: bench/clblast/build.sh && bench/clblast/sgemm_bench [device-index] [reps] [n ...]
set -e
cd "$(dirname "$0")"
gcc -O2 -Wall -o sgemm_bench sgemm_bench.c -lclblast -lOpenCL -lm
