package org.embreg.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.embreg.data.Matrix;
import org.embreg.testing.Batches;
import org.embreg.testing.Reference;
import org.junit.jupiter.api.Test;

class SpectrumTest {
    static Matrix matrix(double[][] rows) {
        float[] x = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[0].length; j++) {
                x[i * rows[0].length + j] = (float) rows[i][j];
            }
        }
        return new Matrix(x, rows.length, rows[0].length);
    }

    @Test
    void singularValuesMatchTheSvdTallAndWide() {
        for (int[] s : new int[][] {{50, 8}, {6, 20}}) {
            Matrix m = matrix(Batches.gaussian(s[0], s[1], 7));
            double[] want = Reference.singularValues(m.toDoubleRows());
            double[] got = Spectrum.of(m, org.embreg.linalg.EigenSolvers.fastest()).singularValues().clone();
            java.util.Arrays.sort(got);
            assertArrayEquals(want, got, 1e-9);
        }
    }

    @Test
    void identicalNormalizedRowsSitOnTheLowerBound() {
        Matrix m = matrix(Batches.identicalRows(32, 16, 1)).normalizedRows();
        Spectrum s = Spectrum.of(m, org.embreg.linalg.EigenSolvers.fastest());
        assertEquals(s.lowerBound(), s.meanSingularValue(), 1e-6);
        assertEquals(Math.E, s.svmaxLoss(), 1e-5);
        assertEquals(1.0, s.effectiveRank(), 1e-3);
    }

    @Test
    void dimensionStatsCountCollapsedColumns() {
        double[][] rows = Batches.gaussian(20, 4, 2);
        for (double[] r : rows) {
            r[1] = 0.5;
            r[3] = 1e-5 * r[3];
        }
        DimensionStats d = DimensionStats.of(matrix(rows), DimensionStats.DEFAULT_THRESHOLD);
        assertEquals(2, d.collapsed());
        assertEquals(0, d.std()[1], 1e-12);
    }
}
