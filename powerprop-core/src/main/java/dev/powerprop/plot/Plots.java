package dev.powerprop.plot;

import dev.powerprop.experiments.Figure1;
import dev.powerprop.nn.io.AtomicFiles;
import dev.powerprop.pruning.WeightStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The figure's PNGs, drawn with JFreeChart (headless) and written atomically. */
public final class Plots {
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private Plots() {}

    /** "Baseline" for alpha = 1, as the paper labels it; "alpha = a" otherwise. */
    public static String label(double alpha) {
        return alpha == 1.0 ? "Baseline" : "\u03b1 = " + trim(alpha);
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Test accuracy against the fraction of weights remaining, on a log axis from 1 down to
     * 0.01 (reversed, as the paper draws it), one line per alpha.
     */
    public static void accuracyVsKeptFraction(List<Figure1.AlphaResult> results, String title, Path png)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Figure1.AlphaResult r : results) {
            XYSeries s = new XYSeries(label(r.alpha()));
            for (int i = 0; i < r.keepFractions().length; i++) {
                s.add(r.keepFractions()[i], r.testAccuracy()[i]);
            }
            data.addSeries(s);
        }
        LogAxis x = new LogAxis("Fraction of weights remaining");
        x.setBase(10);
        x.setRange(0.009, 1.05);
        x.setInverted(true);
        x.setSmallestValue(1e-3);
        x.setTickUnit(new NumberTickUnit(0.5)); // ticks at 10^(k/2): 1, 0.316, 0.1, 0.0316, 0.01
        x.setNumberFormatOverride(new DecimalFormat("0.###"));
        NumberAxis y = new NumberAxis("Test accuracy");
        y.setRange(0, 1);
        save(title, data, x, y, true, png);
    }

    /**
     * The distribution of the final |w| per alpha: the fraction of weights in each logarithmic
     * bin of magnitude (exact zeros and anything below 1e-6 in the first bin).
     */
    public static void weightMagnitudes(List<Figure1.AlphaResult> results, Path png) throws IOException {
        double low = 1e-6;
        double high = 1;
        int bins = 60;
        XYSeriesCollection data = new XYSeriesCollection();
        for (Figure1.AlphaResult r : results) {
            long[] counts = WeightStats.logHistogram(r.finalWeights(), low, high, bins);
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            XYSeries s = new XYSeries(label(r.alpha()));
            double logWidth = (Math.log10(high) - Math.log10(low)) / bins;
            for (int b = 0; b < bins; b++) {
                double center = Math.pow(10, Math.log10(low) + (b + 0.5) * logWidth);
                s.add(center, (double) counts[b] / total);
            }
            data.addSeries(s);
        }
        LogAxis x = new LogAxis("|w| (final effective weights, all layers)");
        x.setBase(10);
        x.setRange(low, high);
        x.setSmallestValue(1e-9);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new DecimalFormat("0E0"));
        NumberAxis y = new NumberAxis("Fraction of weights per bin");
        save("Distribution of |w| after training", data, x, y, false, png);
    }

    private static void save(String title, XYSeriesCollection data, org.jfree.chart.axis.ValueAxis x,
                             NumberAxis y, boolean shapes, Path png) throws IOException {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.RIGHT);
        AtomicFiles.writeStream(png, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 560));
    }
}
