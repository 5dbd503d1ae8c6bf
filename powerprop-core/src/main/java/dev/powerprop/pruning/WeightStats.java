package dev.powerprop.pruning;

import dev.powerprop.engine.Tensor;
import java.util.List;

/**
 * Statistics of effective weights pooled over layers, the numbers by which the paper shows
 * that powerprop puts more mass at zero.
 *
 * @param count how many weights were pooled
 * @param std the population standard deviation
 * @param kurtosis the excess (Fisher) kurtosis m4 / m2^2 - 3, as {@code scipy.stats.kurtosis}
 *     computes by default: 0 for a normal, large for a spike at 0 with heavy tails
 * @param fracBelow the fraction with |w| below {@code threshold}
 * @param threshold the threshold of {@code fracBelow} (the paper's 0.01)
 */
public record WeightStats(long count, double std, double kurtosis, double fracBelow, double threshold) {

    /** Pools every element of {@code weights}. */
    public static WeightStats of(List<Tensor> weights, double threshold) {
        long n = 0;
        double sum = 0;
        for (Tensor w : weights) {
            for (int i = 0; i < w.numel(); i++) {
                sum += w.get(i);
            }
            n += w.numel();
        }
        if (n == 0) {
            throw new IllegalArgumentException("no weights to describe");
        }
        double mean = sum / n;
        double m2 = 0;
        double m4 = 0;
        long below = 0;
        for (Tensor w : weights) {
            for (int i = 0; i < w.numel(); i++) {
                double d = w.get(i) - mean;
                double d2 = d * d;
                m2 += d2;
                m4 += d2 * d2;
                if (Math.abs(w.get(i)) < threshold) {
                    below++;
                }
            }
        }
        m2 /= n;
        m4 /= n;
        double kurtosis = m2 == 0 ? Double.NaN : m4 / (m2 * m2) - 3.0;
        return new WeightStats(n, Math.sqrt(m2), kurtosis, (double) below / n, threshold);
    }

    /**
     * Counts of |w| in {@code bins} logarithmic bins from {@code low} to {@code high} (values
     * below {@code low}, exact zeros included, go to bin 0; above {@code high} to the last).
     */
    public static long[] logHistogram(List<Tensor> weights, double low, double high, int bins) {
        long[] counts = new long[bins];
        double logLow = Math.log10(low);
        double width = (Math.log10(high) - logLow) / bins;
        for (Tensor w : weights) {
            for (int i = 0; i < w.numel(); i++) {
                double a = Math.abs(w.get(i));
                int b = a <= low ? 0 : (int) ((Math.log10(a) - logLow) / width);
                counts[Math.min(bins - 1, Math.max(0, b))]++;
            }
        }
        return counts;
    }
}
