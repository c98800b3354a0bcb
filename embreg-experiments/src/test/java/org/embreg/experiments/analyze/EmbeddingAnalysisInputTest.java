package org.embreg.experiments.analyze;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.embreg.EmbregException;
import org.embreg.data.Matrix;
import org.junit.jupiter.api.Test;

class EmbeddingAnalysisInputTest {
    @Test
    void fewerThanTwoColumnsAreRefusedNamingTheShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int cols = 0; cols < 2; cols++) {
                Matrix m = new Matrix(new float[4 * cols], 4, cols);
                EmbregException e = assertThrows(EmbregException.class,
                        () -> EmbeddingAnalysis.run(manager, new EmbeddingAnalysis.Input(m, null, null, true, 1e-3, 1), org.embreg.linalg.EigenSolvers.ejml()));
                assertTrue(e.getMessage().contains("--embeddings") && e.getMessage().contains("(4, " + cols + ")")
                        && e.getMessage().contains("at least 2 columns"), e.getMessage());
            }
        }
    }

    @Test
    void aCollapseThresholdThatIsNotAFiniteNonNegativeNumberIsRefused() {
        Matrix m = new Matrix(new float[8], 4, 2);
        for (double bad : new double[] {Double.NaN, -1e-3, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EmbeddingAnalysis.Input(m, null, null, true, bad, 1));
            assertTrue(e.getMessage().contains("--collapse-threshold") && e.getMessage().contains(Double.toString(bad)), e.getMessage());
        }
        new EmbeddingAnalysis.Input(m, null, null, true, 0, 1);
    }
}
