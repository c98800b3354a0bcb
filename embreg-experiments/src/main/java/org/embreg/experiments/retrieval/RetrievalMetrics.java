package org.embreg.experiments.retrieval;

import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.embreg.data.Matrix;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.metric.KMeans;
import org.embreg.metric.MapAtR;
import org.embreg.metric.NeighbourMetrics;
import org.embreg.metric.Nmi;
import org.embreg.metric.RankingMetrics;
import org.embreg.metric.RecallAtK;
import org.embreg.spectrum.CollapseMeasures;
import org.embreg.spectrum.DimensionStats;
import org.embreg.spectrum.Spectrum;

/**
 * What a retrieval evaluation reports on L2-normalized test embeddings.
 *
 * @param recallAt Recall@K for K = 1, 2, 4, 8 ({@link RecallAtK#PAPER_KS}), by K
 * @param nmi NMI of k-means (k = number of classes) against the labels
 * @param mapAtR MAP@R (pytorch-metric-learning's definition)
 * @param rPrecision R-precision
 * @param ami AMI of the same k-means (scikit-learn's adjusted_mutual_info_score, arithmetic); null in results written
 *     before it was reported
 * @param precisionAt1 precision@1 (pytorch-metric-learning's: queries whose class has no other row left out, unlike
 *     Recall@1); null in older results
 * @param meanReciprocalRank mean reciprocal rank over a list as deep as the largest class; null in older results
 * @param meanAveragePrecision mean average precision over that list; null in older results
 * @param meanSingularValue s_mu of the whole test matrix
 * @param lowerBound L for its shape
 * @param upperBound U for its shape
 * @param bandPosition (s_mu - L) / (U - L)
 * @param effectiveRank exp of the spectral entropy
 * @param normalizedRowStd mean column std of the normalized rows (1/sqrt(d) when spread uniformly)
 * @param collapsedDimensions columns of the embeddings as the network gives them (not normalized) with std below 1e-3
 */
public record RetrievalMetrics(Map<Integer, Double> recallAt, double nmi, double mapAtR, double rPrecision, Double ami, Double precisionAt1,
        Double meanReciprocalRank, Double meanAveragePrecision, double meanSingularValue,
        double lowerBound, double upperBound, double bandPosition, double effectiveRank, double normalizedRowStd, int collapsedDimensions) {
    public RetrievalMetrics {
        recallAt = Collections.unmodifiableMap(new TreeMap<>(recallAt));
        if (!recallAt.keySet().equals(new java.util.TreeSet<>(RecallAtK.PAPER_KS))) {
            throw new IllegalArgumentException("Recall@K needs K = " + RecallAtK.PAPER_KS + ", got " + recallAt.keySet());
        }
    }

    /** R@1. */
    public double recallAt1() {
        return recallAt.get(1);
    }

    /**
     * Evaluates embeddings against labels: retrieval and the spectrum on the L2-normalized rows,
     * collapsed dimensions on the embeddings as given ({@link CollapseMeasures}, as the training
     * monitor and {@code analyze} define them).
     */
    public static RetrievalMetrics of(NDManager manager, Matrix embeddings, int[] labels, long seed, SymmetricEigenSolver solver) {
        Matrix x = embeddings.normalizedRows();
        int[] ks = RecallAtK.paperKs();
        NeighbourMetrics.Result search = NeighbourMetrics.compute(manager, x, labels, ks);
        double[] recall = search.recallAt();
        Map<Integer, Double> byK = new TreeMap<>();
        for (int i = 0; i < ks.length; i++) {
            byK.put(ks[i], recall[i]);
        }
        int classes = (int) java.util.Arrays.stream(labels).distinct().count();
        int[] clusters = KMeans.withClusters(classes, seed).fit(manager, x).assignment();
        Spectrum s = Spectrum.of(x, solver);
        CollapseMeasures c = CollapseMeasures.of(embeddings, s, DimensionStats.DEFAULT_THRESHOLD);
        MapAtR.Result map = search.map();
        RankingMetrics.Result ranking = search.ranking();
        return new RetrievalMetrics(byK, Nmi.of(labels, clusters), map.mapAtR(), map.rPrecision(), Nmi.ami(labels, clusters), ranking.precisionAt1(),
                ranking.meanReciprocalRank(), ranking.meanAveragePrecision(), s.meanSingularValue(), s.lowerBound(), s.upperBound(),
                s.bandPosition(), s.effectiveRank(), c.normalizedRowStd(), c.collapsedDimensions());
    }
}
