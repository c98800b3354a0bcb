package org.embreg.experiments.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.embreg.data.Matrix;
import org.embreg.linalg.EigenSolvers;
import org.embreg.train.CollapseMeasure;
import org.junit.jupiter.api.Test;

class EmbeddingAnalysisTest {
    static EmbeddingAnalysis.Analysis analyze(Matrix e, Matrix z) {
        try (NDManager m = NDManager.newBaseManager()) {
            return EmbeddingAnalysis.run(m, new EmbeddingAnalysis.Input(e, z, null, true, 1e-3, 1), EigenSolvers.ejml());
        }
    }

    static Matrix gaussian(int rows, int cols, long seed) {
        return org.embreg.testing.Batches.gaussianMatrix(rows, cols, seed);
    }

    @Test
    void constantColumnsCountAsCollapsedOnTheEmbeddingsAsGiven() {
        Matrix m = gaussian(256, 32, 4);
        float[] x = m.data().clone();
        for (int i = 0; i < 256; i++) {
            for (int c = 0; c < 5; c++) {
                x[i * 32 + c] = 0.7f; // constant: std 0, but not after row normalization
            }
        }
        EmbeddingAnalysis.Analysis a = analyze(new Matrix(x, 256, 32), null);
        assertEquals(5, a.dimensions().collapsed());
        assertEquals(List.of(CollapseMeasure.COLLAPSED_DIMENSIONS), a.collapse().stream().map(EmbeddingAnalysis.Finding::measure).toList());
        assertTrue(EmbeddingAnalysis.report(a).contains("verdict: collapse"));
    }

    @Test
    void uniformityAndAlignmentFollowWangAndIsola() {
        Matrix e = gaussian(300, 16, 5);
        EmbeddingAnalysis.Analysis a = analyze(e, e);
        assertEquals(0.0, a.spread().alignment(), 1e-12, "a view aligned with itself");
        // brute force: log mean over i != j of exp(-2 |x_i - x_j|^2), rows normalized
        Matrix u = e.normalizedRows();
        double sum = 0;
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 300; j++) {
                if (i != j) {
                    double s = 0;
                    for (int k = 0; k < 16; k++) {
                        double d = u.get(i, k) - u.get(j, k);
                        s += d * d;
                    }
                    sum += Math.exp(-2 * s);
                }
            }
        }
        assertEquals(Math.log(sum / (300.0 * 299)), a.spread().uniformity(), 1e-6);
        assertEquals(300, a.spread().uniformityRows());
        EmbeddingAnalysis.Analysis other = analyze(e, gaussian(300, 16, 6));
        assertTrue(other.spread().alignment() > 1.5, "independent unit rows are about sqrt(2) apart: " + other.spread().alignment());
        assertTrue(Math.abs(a.spread().normalizedRowStd() - a.spread().healthyRowStd()) < 0.02, "Gaussian rows are spread uniformly");
    }
}
