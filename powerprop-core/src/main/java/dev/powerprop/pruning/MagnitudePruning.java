package dev.powerprop.pruning;

import dev.powerprop.engine.Tensor;
import dev.powerprop.layers.Prunable;
import java.util.Arrays;
import java.util.List;

/**
 * One-shot magnitude pruning: keep the weights with the largest |w| and mask the rest.
 *
 * <p>A <em>keep fraction</em> p in (0, 1] is the fraction of weights kept (1 - sparsity), and a
 * layer of n weights keeps exactly {@code floor(p * n)}. Ranking uses the learned effective
 * weight ignoring any current mask, so pruning again at another level starts from the trained
 * model, not from the last pruned one. |v| and |w| rank identically (w = sign(v)|v|^alpha is
 * monotone in |v|); we rank |w| because every statistic is reported on w.
 */
public final class MagnitudePruning {
    private MagnitudePruning() {}

    /** floor(p * numel) for a keep fraction p in (0, 1]. */
    public static int keptCount(double keepFraction, int numel) {
        checkKeepFraction(keepFraction);
        return (int) Math.floor(keepFraction * numel);
    }

    /** Refuses a keep fraction outside (0, 1] (or NaN) with a message that says what it is. */
    public static void checkKeepFraction(double keepFraction) {
        if (!(keepFraction > 0 && keepFraction <= 1)) {
            throw new IllegalArgumentException("keep fraction must be in (0, 1] (the fraction of weights kept), got "
                    + keepFraction);
        }
    }

    /**
     * A 0/1 mask of {@code w}'s shape keeping exactly {@code k} entries of largest |w|; among
     * equal magnitudes the lower index is kept, so the result is deterministic.
     */
    public static Tensor topKMask(Tensor w, int k) {
        int n = w.numel();
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot keep " + k + " of " + n + " weights");
        }
        return maskOf(w, k == 0 ? new int[0] : rankByMagnitude(w), k);
    }

    /** The indices of {@code w} from largest |w| to smallest, the lower index first among equals. */
    static int[] rankByMagnitude(Tensor w) {
        int n = w.numel();
        // Sort (|w|, -index) packed in one long: the float bits of a non-negative float order
        // like the floats themselves, and the low half breaks ties toward the lower index.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            float magnitude = Math.abs((float) w.get(i));
            keys[i] = ((long) Float.floatToIntBits(magnitude) << 32) | (Integer.MAX_VALUE - i);
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int j = 0; j < n; j++) {
            order[j] = Integer.MAX_VALUE - (int) (keys[n - 1 - j] & 0xFFFFFFFFL);
        }
        return order;
    }

    /** Ones at the first {@code k} indices of {@code order}, zeros elsewhere, in {@code like}'s shape. */
    private static Tensor maskOf(Tensor like, int[] order, int k) {
        Tensor mask = Tensor.zeros(like.dtype(), like.shape());
        for (int j = 0; j < k; j++) {
            mask.set(order[j], 1.0);
        }
        return mask;
    }

    /**
     * Each layer's weights ranked once, to prune at many levels without sorting again (Figure 1
     * prunes the same model at 20). Ranks the weights as they are now: prune again after
     * training changes them and the ranking is stale.
     */
    public static final class LayerwiseRanking {
        private final List<? extends Prunable> layers;
        private final Tensor[] weights;
        private final int[][] orders;

        private LayerwiseRanking(List<? extends Prunable> layers) {
            this.layers = List.copyOf(layers);
            this.weights = new Tensor[layers.size()];
            this.orders = new int[layers.size()][];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = layers.get(i).unmaskedWeight().toHost();
                orders[i] = rankByMagnitude(weights[i]);
            }
        }

        /** As {@link #pruneLayerwise}, from this ranking. */
        public void prune(double keepFraction, boolean outputKeepsDouble) {
            checkKeepFraction(keepFraction);
            for (int i = 0; i < weights.length; i++) {
                boolean last = i == weights.length - 1;
                double p = last && outputKeepsDouble ? Math.min(1.0, 2 * keepFraction) : keepFraction;
                layers.get(i).setMask(maskOf(weights[i], orders[i], keptCount(p, weights[i].numel())));
            }
        }
    }

    /** Ranks every layer's weights by |w| once; see {@link LayerwiseRanking}. */
    public static LayerwiseRanking rankLayerwise(List<? extends Prunable> layers) {
        return new LayerwiseRanking(layers);
    }

    /**
     * Layerwise pruning: every layer keeps {@code floor(p * numel)} weights; with
     * {@code outputKeepsDouble} the last layer keeps {@code floor(min(1, 2p) * numel)}, as the
     * paper does for the (small, sensitive) output layer. Sets each layer's mask.
     */
    public static void pruneLayerwise(List<? extends Prunable> layers, double keepFraction, boolean outputKeepsDouble) {
        checkKeepFraction(keepFraction);
        rankLayerwise(layers).prune(keepFraction, outputKeepsDouble);
    }

    /**
     * Global pruning: one magnitude ranking over all layers together keeps
     * {@code floor(p * total)} weights, so layers end up with different densities.
     */
    public static void pruneGlobal(List<? extends Prunable> layers, double keepFraction) {
        checkKeepFraction(keepFraction);
        Tensor[] weights = new Tensor[layers.size()];
        int total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = layers.get(i).unmaskedWeight().toHost();
            total += weights[i].numel();
        }
        Tensor all = Tensor.zeros(weights.length == 0 ? dev.powerprop.engine.DType.F32 : weights[0].dtype(),
                dev.powerprop.engine.Shape.of(total));
        int offset = 0;
        for (Tensor w : weights) {
            for (int i = 0; i < w.numel(); i++) {
                all.set(offset + i, w.get(i));
            }
            offset += w.numel();
        }
        Tensor allMask = topKMask(all, keptCount(keepFraction, total));
        offset = 0;
        for (int l = 0; l < weights.length; l++) {
            Tensor mask = Tensor.zeros(weights[l].dtype(), weights[l].shape());
            for (int i = 0; i < mask.numel(); i++) {
                mask.set(i, allMask.get(offset + i));
            }
            offset += mask.numel();
            layers.get(l).setMask(mask);
        }
    }

    /**
     * Layerwise block pruning: each layer's weight, seen as a matrix of {@code shape[0]} output
     * rows (units) by the rest, is cut into blocks of {@code blockRows} consecutive output rows in
     * one input column, and whole blocks are kept or pruned ({@link #topKBlockMask}). Each layer
     * keeps {@code floor(p * blocks)} blocks; with {@code outputKeepsDouble} the last layer keeps
     * {@code floor(min(1, 2p) * blocks)}. A sparse kernel can then read each kept input once for
     * {@code blockRows} outputs, instead of once per output. {@code blockRows = 1} is
     * {@link #pruneLayerwise}, mask for mask.
     */
    public static void pruneLayerwiseBlocks(List<? extends Prunable> layers, double keepFraction,
                                            boolean outputKeepsDouble, int blockRows) {
        checkKeepFraction(keepFraction);
        for (int i = 0; i < layers.size(); i++) {
            Tensor w = layers.get(i).unmaskedWeight().toHost();
            boolean last = i == layers.size() - 1;
            double p = last && outputKeepsDouble ? Math.min(1.0, 2 * keepFraction) : keepFraction;
            layers.get(i).setMask(topKBlockMask(w, blockRows, keptCount(p, blockCount(w, blockRows))));
        }
    }

    /**
     * Blocks of {@code blockRows} output rows in one column of {@code w} (rows = {@code shape[0]}):
     * {@code ceil(rows / blockRows)} per column, the last one shorter when blockRows does not
     * divide the rows.
     */
    public static int blockCount(Tensor w, int blockRows) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("block rows must be at least 1, got " + blockRows);
        }
        int rows = w.shape().dim(0);
        return (rows + blockRows - 1) / blockRows * (w.numel() / Math.max(rows, 1));
    }

    /**
     * A 0/1 mask of {@code w}'s shape keeping the {@code keptBlocks} blocks ({@link #blockCount})
     * of largest root mean square of w, the block of the lower (first row, column) index first
     * among equals. The mean, not the sum, so that a shorter last block competes on equal terms; a
     * block of one weight ranks by |w| exactly (the square of a float is exact in double, and so
     * is its root), which makes {@code blockRows = 1} the same mask as {@link #topKMask}.
     */
    public static Tensor topKBlockMask(Tensor w, int blockRows, int keptBlocks) {
        int blocks = blockCount(w, blockRows);
        if (keptBlocks < 0 || keptBlocks > blocks) {
            throw new IllegalArgumentException("cannot keep " + keptBlocks + " of " + blocks + " blocks");
        }
        int rows = w.shape().dim(0);
        int cols = blocks == 0 ? 0 : w.numel() / rows;
        int blockRowsCount = (rows + blockRows - 1) / Math.max(blockRows, 1);
        double[] rms = new double[blocks];
        Integer[] order = new Integer[blocks];
        for (int rb = 0; rb < blockRowsCount; rb++) {
            int r0 = rb * blockRows;
            int r1 = Math.min(rows, r0 + blockRows);
            for (int col = 0; col < cols; col++) {
                double squares = 0;
                for (int r = r0; r < r1; r++) {
                    double x = w.get(r * cols + col);
                    squares += x * x;
                }
                int block = rb * cols + col;
                rms[block] = Math.sqrt(squares / (r1 - r0));
                order[block] = block;
            }
        }
        // Largest first; among equals the lower block, whose first weight has the lower index.
        Arrays.sort(order, (a, b) -> {
            int larger = Double.compare(rms[b], rms[a]);
            return larger != 0 ? larger : Integer.compare(a, b);
        });
        Tensor mask = Tensor.zeros(w.dtype(), w.shape());
        for (int j = 0; j < keptBlocks; j++) {
            int rb = order[j] / cols;
            int col = order[j] % cols;
            for (int r = rb * blockRows; r < Math.min(rows, (rb + 1) * blockRows); r++) {
                mask.set(r * cols + col, 1.0);
            }
        }
        return mask;
    }

    /** Removes every mask: the layers are dense again. */
    public static void unprune(List<? extends Prunable> layers) {
        layers.forEach(l -> l.setMask(null));
    }

    /**
     * {@code num} points from {@code start} to {@code stop} evenly spaced on a log scale, as
     * {@code numpy.geomspace} computes them (10^linspace of the log10s, ends set exactly), so
     * that floor(p * n) gives the same kept counts as the paper's notebook.
     */
    public static double[] geomspace(double start, double stop, int num) {
        if (!(start > 0 && stop > 0) || num < 1) {
            throw new IllegalArgumentException("geomspace needs positive ends and num >= 1, got " + start + ", "
                    + stop + ", " + num);
        }
        double logStart = Math.log10(start);
        double logStop = Math.log10(stop);
        double[] out = new double[num];
        double step = num > 1 ? (logStop - logStart) / (num - 1) : 0;
        for (int i = 0; i < num; i++) {
            out[i] = Math.pow(10.0, logStart + i * step);
        }
        out[0] = start;
        out[num - 1] = stop;
        return out;
    }
}
