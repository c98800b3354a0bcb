package org.embreg.experiments.retrieval;

import ai.djl.ndarray.NDManager;
import org.embreg.data.Matrix;
import org.embreg.metric.KMeans;
import org.embreg.metric.MapAtR;
import org.embreg.metric.Nmi;
import org.embreg.metric.RecallAtK;
import org.embreg.spectrum.DimensionStats;
import org.embreg.spectrum.Spectrum;

/**
 * What a retrieval evaluation reports on L2-normalized test embeddings.
 *
 * @param recallAt R@1, R@2, R@4, R@8
 * @param nmi NMI of k-means (k = number of classes) against the labels
 * @param meanSingularValue s_mu of the whole test matrix
 * @param lowerBound L for its shape
 * @param upperBound U for its shape
 * @param effectiveRank exp of the spectral entropy
 * @param collapsedDimensions columns with std below 1e-3
 * @param mapAtR MAP@R (pytorch-metric-learning's definition)
 * @param rPrecision R-precision
 */
public record RetrievalMetrics(double[] recallAt, double nmi, double meanSingularValue, double lowerBound, double upperBound,
        double effectiveRank, int collapsedDimensions, double mapAtR, double rPrecision) {

    /** Evaluates embeddings (normalized here) against labels. */
    public static RetrievalMetrics of(NDManager manager, Matrix embeddings, int[] labels, long seed) {
        Matrix x = embeddings.normalizedRows();
        double[] recall = RecallAtK.compute(manager, x, labels, RecallAtK.PAPER_KS);
        int classes = (int) java.util.Arrays.stream(labels).distinct().count();
        double nmi = Nmi.of(labels, KMeans.withClusters(classes, seed).fit(manager, x).assignment());
        Spectrum s = Spectrum.of(x);
        DimensionStats dims = DimensionStats.of(x, DimensionStats.DEFAULT_THRESHOLD);
        MapAtR.Result map = MapAtR.compute(manager, x, labels);
        return new RetrievalMetrics(recall, nmi, s.meanSingularValue(), s.lowerBound(), s.upperBound(), s.effectiveRank(), dims.collapsed(),
                map.mapAtR(), map.rPrecision());
    }
}
