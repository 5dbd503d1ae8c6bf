package dev.powerprop.opencl;

import dev.powerprop.engine.cpu.gemm.Gemm;

/**
 * The build-time shape of the kernels for one device, passed to the OpenCL compiler as
 * {@code -D} defines. Chosen from the device's limits, never assumed:
 *
 * <ul>
 *   <li>CPU-like devices (PoCL): one work-item a work-group. PoCL runs a work-group's items as
 *       a loop and its work-group vectoriser did not vectorise our GEMM (1-3 GFLOP/s measured
 *       with 8x8 and 16x16 groups); a single item running explicit float vectors of the
 *       device's preferred width does (a 6 x 2-vector micro-kernel, as BLIS on AVX2, measured
 *       above 40 GFLOP/s). Elementwise kernels give each item a contiguous chunk.
 *   <li>GPUs: 16 x 16 work-items (8 x 8 if the device allows fewer than 256), one float per
 *       item per column so neighbouring items touch neighbouring addresses, 4 x 4 register
 *       blocks, grid-stride elementwise loops.
 * </ul>
 * The GEMM must keep each K block's sum in registers ({@code gemm.cl}): on CPUs a K tile is
 * as deep as the deepest block ({@link Gemm#MAX_K_BLOCK_DEPTH}), the tile shrinking in rows
 * until {@code 4 * (tsM + tsN) * tsK} bytes fit three quarters of local memory (else the GPU
 * shape with one work-item is used); on GPUs each work-item owns one micro-tile, whose
 * accumulators run across K tiles of any depth, and the depth shrinks until the tiles fit.
 *
 * @param vw          floats per vector (VW)
 * @param wx          work-group width of the GEMM (WX)
 * @param wy          work-group height of the GEMM (WY)
 * @param rm          micro-tile rows (RM)
 * @param rnv         micro-tile vectors along n (RNV)
 * @param tsM         work-group tile rows (TS_M)
 * @param tsN         work-group tile columns (TS_N)
 * @param tsK         K-tile depth (TS_K)
 * @param spmmNv      vectors along n per SpMM work-item (SPMM_NV)
 * @param contiguous  whether elementwise work-items own contiguous chunks (CONTIGUOUS_CHUNKS)
 * @param ownedItems  global size of the elementwise kernels
 * @param ownedGroup  local size of the elementwise kernels
 */
public record TileConfig(int vw, int wx, int wy, int rm, int rnv, int tsM, int tsN, int tsK, int spmmNv,
                         boolean contiguous, int ownedItems, int ownedGroup) {

    /** Validates the divisibility the GEMM kernel relies on. */
    public TileConfig {
        if (Integer.bitCount(vw) != 1 || vw > 16) {
            throw new IllegalArgumentException("vw must be 1, 2, 4, 8 or 16, got " + vw);
        }
        if (tsM % rm != 0 || tsN % (rnv * vw) != 0) {
            throw new IllegalArgumentException("tile " + tsM + "x" + tsN + " is not a multiple of the micro-tile "
                    + rm + "x" + (rnv * vw));
        }
        if (wx < 1 || wy < 1 || tsK < 1 || ownedItems < 1 || ownedGroup < 1) {
            throw new IllegalArgumentException("work-group sizes and tile depth must be >= 1");
        }
    }

    /** The configuration for a device, from its type, vector width, work-group and local-memory limits. */
    public static TileConfig forDevice(DeviceInfo device) {
        if (device.gpu()) {
            int side = device.maxWorkGroupSize() >= 256 ? 16 : device.maxWorkGroupSize() >= 64 ? 8 : 1;
            return gpu(side, device);
        }
        // The largest power of two not above the preferred width: 8 on AVX2, 16 on AVX-512.
        int vw = Math.min(16, Integer.highestOneBit(Math.max(1, device.preferredFloatVector())));
        int rm = 6;
        int rnv = 2;
        int tsN = 4 * rnv * vw;
        int tsK = Gemm.MAX_K_BLOCK_DEPTH;
        for (int tsM = 16 * rm; tsM >= rm; tsM /= 2) {
            if (4L * (tsM + tsN) * tsK <= localBudget(device)) {
                return new TileConfig(vw, 1, 1, rm, rnv, tsM, tsN, tsK, 4,
                        true, Math.max(1, device.computeUnits()) * 4, 1);
            }
        }
        return gpu(1, device);
    }

    /** The GPU shape with a {@code side x side} work-group; {@link OpenClContext} retries with a smaller side. */
    static TileConfig gpu(int side, DeviceInfo device) {
        int rm = 4;
        int rnv = 4;
        int group = (int) Math.min(256, device.maxWorkGroupSize());
        return new TileConfig(1, side, side, rm, rnv, rm * side, rnv * side,
                fitDepth(16, rm * side, rnv * side, device), 1, false,
                Math.max(1, device.computeUnits()) * 8 * group, group);
    }

    /**
     * Whether each GEMM work-item owns one micro-tile (the GPU shape), so that its accumulators
     * carry a K block across K tiles; otherwise a K tile must hold a whole block.
     */
    public boolean accumulatesAcrossKTiles() {
        return tsM / rm == wy && tsN / (rnv * vw) == wx;
    }

    /** A smaller work-group for a GEMM kernel the compiler could not fit in {@code wx * wy} items, or null. */
    TileConfig smallerGroup(DeviceInfo device) {
        return wx > 1 ? gpu(wx / 2, device) : null;
    }

    private static int fitDepth(int depth, int tsM, int tsN, DeviceInfo device) {
        while (depth > 1 && 4L * (tsM + tsN) * depth > localBudget(device)) {
            depth /= 2;
        }
        return depth;
    }

    /** Bytes of local memory the GEMM tiles may take: a quarter is kept for the compiler's own use. */
    private static long localBudget(DeviceInfo device) {
        return device.localMemBytes() * 3 / 4;
    }

    /** The {@code -D} options for clBuildProgram. */
    String buildOptions() {
        return "-DVW=" + vw + " -DWX=" + wx + " -DWY=" + wy + " -DRM=" + rm + " -DRNV=" + rnv
                + " -DTS_M=" + tsM + " -DTS_N=" + tsN + " -DTS_K=" + tsK + " -DSPMM_NV=" + spmmNv
                + " -DCONTIGUOUS_CHUNKS=" + (contiguous ? 1 : 0);
    }
}
