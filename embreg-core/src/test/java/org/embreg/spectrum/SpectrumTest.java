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

    /**
     * A float32 matrix of rank 2 plus noise of 1e-6 relative: its 30 small singular values lie near
     * 1.5e-6 of the largest, below what the Gram matrix resolves. They are found all the same, to
     * 1% of their size, and so is the effective rank (tall and wide).
     */
    @Test
    void smallSingularValuesAreResolvedDownToAbout1e7OfTheLargest() {
        for (boolean wide : new boolean[] {false, true}) {
            int b = wide ? 32 : 256;
            int d = wide ? 256 : 32;
            double[][] u = Batches.gaussian(b, 2, 3);
            double[][] v = Batches.gaussian(2, d, 4);
            double[][] noise = Batches.gaussian(b, d, 5);
            double[][] rows = new double[b][d];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < d; j++) {
                    rows[i][j] = u[i][0] * v[0][j] + u[i][1] * v[1][j] + 1e-6 * noise[i][j];
                }
            }
            Matrix m = matrix(rows);
            double[] want = Reference.singularValues(m.toDoubleRows());
            java.util.Arrays.sort(want);
            double[] got = Spectrum.of(m, org.embreg.linalg.EigenSolvers.ejml()).singularValues();
            double largest = want[want.length - 1];
            assertEquals(32, got.length);
            for (int k = 0; k < 32; k++) {
                double w = want[want.length - 1 - k];
                assertEquals(w, got[k], 0.01 * w + 1e-12 * largest, (wide ? "wide" : "tall") + " singular value " + k);
            }
            assertTrue(got[2] > 1e-7 * largest && got[2] < 1e-5 * largest, "the noise lies near 1.5e-6 of the largest: " + got[2] / largest);
            assertEquals(Spectrum.fromSingularValues(reversed(want), b, d).effectiveRank(), Spectrum.of(m, org.embreg.linalg.EigenSolvers.fastest())
                    .effectiveRank(), 1e-6);
        }
    }

    static double[] reversed(double[] ascending) {
        double[] out = new double[ascending.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ascending[ascending.length - 1 - i];
        }
        return out;
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
