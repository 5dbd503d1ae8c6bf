package dev.powerprop.engine.cpu.sparse;

/**
 * Splits the rows of a CSR matrix into contiguous ranges of about equal work, counting
 * nonzeros rather than rows: a pruned layer's rows are unbalanced (some output units keep
 * many weights, some none), so equal row counts would leave one thread doing most of the work.
 *
 * <p>The cost of rows {@code [0, r)} is modelled as {@code rowPtr[r] + r * rowCost}: every
 * nonzero is one unit and every row adds {@code rowCost} units for writing its output (an
 * empty row still stores N zeros or the bias). Boundaries are found by binary search on
 * this monotone prefix, so the split is O(parts * log rows) and deterministic.
 */
final class RowPartition {
    private RowPartition() {}

    /**
     * Row boundaries {@code b[0] = 0 <= b[1] <= ... <= b[parts] = rows}; part i owns rows
     * {@code [b[i], b[i+1])}.
     */
    static int[] split(int[] rowPtr, int rows, int parts, long rowCost) {
        int[] bounds = new int[parts + 1];
        long total = rowPtr[rows] + rows * rowCost;
        for (int part = 1; part < parts; part++) {
            long target = total * part / parts;
            // First row r whose prefix cost reaches the target.
            int lo = bounds[part - 1];
            int hi = rows;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (rowPtr[mid] + mid * rowCost < target) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            bounds[part] = lo;
        }
        bounds[parts] = rows;
        return bounds;
    }
}
