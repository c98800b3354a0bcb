package org.embreg.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.embreg.experiments.retrieval.ArmResult;
import org.embreg.train.MonitorRecord;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The experiments' PNG charts. */
public final class Charts {
    private Charts() {}

    /** s_mu of the training batches against iteration, one line per arm, inside its [L, U] band. */
    public static XYChart meanSingularValue(List<ArmResult> arms) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title("Mean singular value s_mu of training batches")
                .xAxisTitle("iteration").yAxisTitle("s_mu").build();
        chart.getStyler().setMarkerSize(0);
        boolean bandDrawn = false;
        for (ArmResult arm : arms) {
            if (arm.log().isEmpty()) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (MonitorRecord r : arm.log()) {
                x.add((double) r.iteration());
                y.add(r.measures().meanSingularValue());
            }
            chart.addSeries(arm.name(), x, y).setMarker(SeriesMarkers.NONE);
            if (!bandDrawn) {
                MonitorRecord first = arm.log().get(0);
                double lastX = x.get(x.size() - 1);
                addConstant(chart, "upper bound U", 0, lastX, first.measures().upperBound());
                addConstant(chart, "lower bound L", 0, lastX, first.measures().lowerBound());
                bandDrawn = true;
            }
        }
        return chart;
    }

    /** A dashed grey horizontal line from x0 to x1 at y (a bound). */
    public static void addConstant(XYChart chart, String name, double x0, double x1, double y) {
        XYSeries s = chart.addSeries(name, new double[] {x0, x1}, new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.GRAY);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }

    /** Recall@K for K = 1, 2, 4, 8, one group of bars per arm. */
    public static CategoryChart recall(List<ArmResult> arms) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560).title("Recall@K on unseen classes")
                .xAxisTitle("K").yAxisTitle("Recall@K").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        for (ArmResult arm : arms) {
            if (arm.metrics() == null) {
                continue; // diverged: nothing to show
            }
            List<String> ks = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            arm.metrics().recallAt().forEach((k, r) -> {
                ks.add(Integer.toString(k));
                v.add(r);
            });
            chart.addSeries(arm.name(), ks, v);
        }
        return chart;
    }
}
