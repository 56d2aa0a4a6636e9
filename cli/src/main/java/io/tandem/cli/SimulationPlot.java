package io.tandem.cli;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * The final allocation as a picture: one stacked bar per resource, a segment per framework (and role),
 * each segment the percentage of the cluster's total of that resource, and what is left free in grey.
 * Percentages, not amounts, so that cpus and MB of memory share one axis. PNG or SVG, by the file's suffix.
 */
final class SimulationPlot {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    private static final String FREE = "free";

    private SimulationPlot() {}

    /**
     * @param segments series label (e.g. {@code A} or {@code A (role eng)}) -> resource -> percent of the cluster
     * @throws IllegalArgumentException for a file that is neither .png nor .svg
     */
    static void write(Path file, String title, List<String> resources, Map<String, Map<String, Double>> segments)
            throws IOException {
        String lower = requireFormat(file);
        System.setProperty("java.awt.headless", "true");   // draws off-screen, also where there is no display
        JFreeChart chart = chart(title, resources, segments);
        if (lower.endsWith(".png")) {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } else {
            SVGGraphics2D svg = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(svg, new java.awt.Rectangle(0, 0, WIDTH, HEIGHT));
            Files.writeString(file, svg.getSVGDocument());
        }
    }

    /** @return the file name in lower case; @throws IllegalArgumentException unless it ends in .png or .svg */
    static String requireFormat(Path file) {
        String lower = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".png") && !lower.endsWith(".svg")) {
            throw new IllegalArgumentException("--plot needs a file ending in .png or .svg, got " + file);
        }
        return lower;
    }

    static JFreeChart chart(String title, List<String> resources, Map<String, Map<String, Double>> segments) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String resource : resources) {
            double used = 0;
            for (var segment : segments.entrySet()) {
                double percent = segment.getValue().getOrDefault(resource, 0.0);
                data.addValue(percent, segment.getKey(), resource);
                used += percent;
            }
            data.addValue(Math.max(0, 100 - used), FREE, resource);
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(title, "resource", "% of the cluster's total", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        NumberAxis axis = (NumberAxis) plot.getRangeAxis();
        axis.setRange(0, 100);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.25);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{0} {2}%",
                new java.text.DecimalFormat("0.#")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        renderer.setSeriesPaint(data.getRowIndex(FREE), new Color(0xDD, 0xDD, 0xDD));
        return chart;
    }
}
