package org.embreg.experiments.ssl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.train.MonitorRecord;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG charts and the online k-NN CSV of an {@code ssl} run. */
final class SslCharts {
    private SslCharts() {}

    /** Charts and the online k-NN CSV of one pretraining, file names starting with {@code prefix}. */
    static void write(RunDirectory dir, String prefix, List<OnlineKnnListener.Point> onlineKnn, List<MonitorRecord> embedding,
            List<MonitorRecord> representation) throws IOException {
        XYChart terms = chart("VICReg loss terms (unweighted)", "term");
        for (String term : List.of("vicreg.invariance", "vicreg.variance", "vicreg.covariance")) {
            series(terms, term, embedding, m -> m.term(term));
        }
        dir.writePng(prefix + "terms.png", terms);
        XYChart rank = chart("Effective rank (RankMe) of the training batches", "effective rank");
        series(rank, "representation", representation, m -> m.measures().effectiveRank());
        series(rank, "embedding (expander)", embedding, m -> m.measures().effectiveRank());
        dir.writePng(prefix + "effective-rank.png", rank);
        XYChart band = chart("Position of s_mu in [L, U] (0: L, 1: U)", "band position");
        series(band, "representation", representation, m -> m.measures().bandPosition());
        series(band, "embedding (expander)", embedding, m -> m.measures().bandPosition());
        dir.writePng(prefix + "band-position.png", band);
        XYChart knn = chart("Online k-NN top-1 on held-out test images", "top-1");
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<List<?>> rows = new ArrayList<>();
        rows.add(List.of("step", "knnTop1"));
        for (OnlineKnnListener.Point p : onlineKnn) {
            x.add((double) p.step());
            y.add(p.knnTop1());
            rows.add(List.of(p.step(), p.knnTop1()));
        }
        if (!x.isEmpty()) {
            knn.addSeries("VICReg", x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        dir.writePng(prefix + "online-knn.png", knn);
        dir.writeCsv(prefix + "online-knn.csv", rows);
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("step").yAxisTitle(y).build();
        c.getStyler().setMarkerSize(4);
        return c;
    }

    private static void series(XYChart chart, String name, List<MonitorRecord> records, java.util.function.ToDoubleFunction<MonitorRecord> f) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (MonitorRecord m : records) {
            double v = f.applyAsDouble(m);
            if (Double.isFinite(v)) {
                x.add((double) m.iteration());
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        }
    }
}
