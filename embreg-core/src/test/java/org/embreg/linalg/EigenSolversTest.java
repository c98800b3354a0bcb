package org.embreg.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.embreg.testing.Batches;
import org.embreg.testing.Reference;
import org.junit.jupiter.api.Test;

/** Both eigensolvers give the same spectrum and the same nuclear-norm gradient, tall and wide. */
class EigenSolversTest {
    static double[] gram(double[][] e) {
        int d = e[0].length;
        double[] g = new double[d * d];
        for (double[] row : e) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    g[i * d + j] += row[i] * row[j];
                }
            }
        }
        return g;
    }

    /**
     * The same matrix gives bit-identical eigenvectors every time, however the native heap is laid
     * out (MKL's rounding depends on the alignment of the buffers it is given).
     */
    @Test
    void aNonFiniteMatrixIsATypedDivergenceForEverySolver() {
        double[] m = {2, 1, 1, Double.POSITIVE_INFINITY};
        for (SymmetricEigenSolver solver : new SymmetricEigenSolver[] {EigenSolvers.ejml(), EigenSolvers.fastest()}) {
            org.embreg.NonFiniteException e = org.junit.jupiter.api.Assertions.assertThrows(org.embreg.NonFiniteException.class,
                    () -> solver.decompose(m, 2, false));
            org.junit.jupiter.api.Assertions.assertEquals(org.embreg.NonFiniteException.Source.TERM, e.source());
            org.junit.jupiter.api.Assertions.assertTrue(e.where().contains("2 x 2"), e.where());
        }
    }

    /**
     * A batch whose Gram matrix is not finite (a NaN, an infinity, or entries whose products overflow) is a typed
     * divergence on the native nuclear-norm path too, where finiteness is judged from the Gram matrix's diagonal.
     */
    @Test
    void aBatchWithANonFiniteGramMatrixIsATypedDivergence() {
        try (NDManager ignored = NDManager.newBaseManager()) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1e200}) {
                double[] x = new java.util.Random(3).doubles(12 * 5).toArray();
                x[7] = bad;
                for (SymmetricEigenSolver solver : new SymmetricEigenSolver[] {EigenSolvers.ejml(), EigenSolvers.fastest()}) {
                    org.embreg.NonFiniteException e = org.junit.jupiter.api.Assertions.assertThrows(org.embreg.NonFiniteException.class,
                            () -> NuclearNorm.of(x, 12, 5, solver), solver.name() + " " + bad);
                    assertEquals(org.embreg.NonFiniteException.Source.TERM, e.source());
                }
            }
        }
    }

    /** Every transpose case of the host product agrees with a plain triple loop, for both solvers, and repeats bit for bit. */
    @Test
    void hostProductsMatchATripleLoopAndRepeat() {
        try (NDManager ignored = NDManager.newBaseManager()) {
            java.util.Random r = new java.util.Random(3);
            int m = 37, n = 29, k = 131;
            double[] a = r.doubles(m * k).toArray();
            double[] b = r.doubles(k * n).toArray();
            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        expected[i * n + j] += a[i * k + p] * b[p * n + j];
                    }
                }
            }
            double[] at = transpose(a, m, k);
            double[] bt = transpose(b, k, n);
            for (SymmetricEigenSolver solver : new SymmetricEigenSolver[] {EigenSolvers.ejml(), EigenSolvers.fastest()}) {
                assertArrayEquals(expected, solver.multiply(a, false, b, false, m, n, k), 1e-12, solver.name() + " NN");
                assertArrayEquals(expected, solver.multiply(at, true, b, false, m, n, k), 1e-12, solver.name() + " TN");
                assertArrayEquals(expected, solver.multiply(a, false, bt, true, m, n, k), 1e-12, solver.name() + " NT");
                assertArrayEquals(expected, solver.multiply(at, true, bt, true, m, n, k), 1e-12, solver.name() + " TT");
                double[] first = solver.multiply(at, true, b, false, m, n, k);
                List<com.sun.jna.Memory> clutter = new java.util.ArrayList<>();
                for (int round = 0; round < 20; round++) {
                    clutter.add(new com.sun.jna.Memory(1 + r.nextInt(200)));
                    assertArrayEquals(first, solver.multiply(at, true, b, false, m, n, k), 0.0, solver.name() + " round " + round);
                }
                clutter.forEach(com.sun.jna.Memory::close);
            }
        }
    }

    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    @Test
    void theFastestSolverIsBitReproducible() {
        try (NDManager ignored = NDManager.newBaseManager()) {
            double[] g = gram(Batches.gaussian(300, 128, 8));
            SymmetricEigen first = EigenSolvers.fastest().decompose(g, 128, true);
            java.util.Random r = new java.util.Random(1);
            List<com.sun.jna.Memory> clutter = new java.util.ArrayList<>();
            for (int round = 0; round < 40; round++) {
                clutter.add(new com.sun.jna.Memory(1 + r.nextInt(200)));
                SymmetricEigen again = EigenSolvers.fastest().decompose(g, 128, true);
                assertArrayEquals(first.values(), again.values(), 0.0, "round " + round);
                assertArrayEquals(first.vectors(), again.vectors(), 0.0, "round " + round);
            }
            clutter.forEach(com.sun.jna.Memory::close);
        }
    }

    @Test
    void solversAgreeOnEigenvaluesAndEigenvectors() {
        try (NDManager ignored = NDManager.newBaseManager()) {
            double[][] e = Batches.gaussian(30, 9, 4);
            double[] g = gram(e);
            SymmetricEigen a = EigenSolvers.ejml().decompose(g, 9, true);
            SymmetricEigen b = EigenSolvers.fastest().decompose(g, 9, true);
            assertArrayEquals(a.values(), b.values(), 1e-10);
            for (int k = 0; k < 9; k++) {
                double dot = 0;
                for (int r = 0; r < 9; r++) {
                    dot += a.vectors()[k * 9 + r] * b.vectors()[k * 9 + r];
                }
                assertEquals(1.0, Math.abs(dot), 1e-9, "vector " + k);
            }
        }
    }

    /**
     * The fastest solver's nuclear norm, kept in native buffers, agrees with the path through its decompose and
     * multiply on Java arrays (to rounding: the Gram matrix is formed in blocks there; with the engine's MKL on the
     * development machine the bits are the same): tall, wide, b &lt; d, rank one, identical rows, all zero, one row.
     */
    @Test
    void theNativeNuclearNormAgreesWithTheArrayPath() {
        try (NDManager ignored = NDManager.newBaseManager()) {
            SymmetricEigenSolver solver = EigenSolvers.fastest();
            List<double[][]> batches = List.of(Batches.gaussian(144, 128, 1), Batches.gaussian(64, 128, 2), Batches.gaussian(12, 5, 3),
                    Batches.rankOnePlusNoise(40, 24, 0, 4), Batches.rankOnePlusNoise(40, 24, 1e-6, 5), Batches.identicalRows(9, 20, 6),
                    new double[7][6], Batches.gaussian(1, 8, 7));
            for (double[][] e : batches) {
                int b = e.length;
                int d = e[0].length;
                double[] x = new double[b * d];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(e[i], 0, x, i * d, d);
                }
                double[] copy = x.clone();
                NuclearNorm fast = NuclearNorm.of(x, b, d, solver);
                NuclearNorm arrays = NuclearNorm.throughDecomposition(x, b, d, solver);
                String shape = b + " x " + d;
                assertArrayEquals(copy, x, 0.0, shape + ": the input is not modified");
                double scale = Math.max(1, arrays.value());
                assertEquals(arrays.value(), fast.value(), 1e-12 * scale, shape);
                assertArrayEquals(arrays.singularValues(), fast.singularValues(), 1e-12 * scale, shape);
                assertArrayEquals(arrays.polar(), fast.polar(), 1e-6, shape);
                // the Gram route counts singular values below sqrt(n 1e-13) s_max as zero (SymmetricEigen.noiseThreshold)
                int n = Math.min(b, d);
                double unresolved = n * Math.sqrt(n * 1e-13) * fast.singularValues()[0];
                assertEquals(Reference.nuclearNorm(e), fast.value(), 1e-9 * Math.max(1, fast.value()) + unresolved, shape);
            }
        }
    }

    /** The library's routines give the same bits bound directly and called through JNA's Function (the fallback). */
    @Test
    void directlyBoundAndInvokedRoutinesGiveTheSameBits() {
        try (NDManager ignored = NDManager.newBaseManager()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(EigenSolvers.fastest() instanceof LapackEigenSolver, "no LAPACK in this engine");
            LapackEigenSolver direct = (LapackEigenSolver) EigenSolvers.fastest();
            LapackEigenSolver invoked = direct.throughInvokedFunctions();
            double[] x = new java.util.Random(4).doubles(144 * 128).toArray();
            NuclearNorm a = NuclearNorm.of(x, 144, 128, direct);
            NuclearNorm b = NuclearNorm.of(x, 144, 128, invoked);
            assertEquals(a.value(), b.value(), 0.0);
            assertArrayEquals(a.polar(), b.polar(), 0.0);
            double[] g = gram(Batches.gaussian(40, 30, 5));
            assertArrayEquals(direct.decompose(g, 30, true).vectors(), invoked.decompose(g, 30, true).vectors(), 0.0);
        }
    }

    @Test
    void nuclearNormAndGradientAgreeAcrossSolvers() {
        for (double[][] e : List.of(Batches.gaussian(12, 5, 1), Batches.gaussian(4, 9, 2), Batches.rankOnePlusNoise(10, 6, 1e-3, 3))) {
            double[][] grads = new double[2][];
            double[] values = new double[2];
            List<SymmetricEigenSolver> solvers = List.of(EigenSolvers.ejml(), EigenSolvers.fastest());
            for (int s = 0; s < 2; s++) {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray x = m.create(e);
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray v = NuclearNorm.of(x, solvers.get(s)).value();
                        values[s] = v.getDouble();
                        gc.backward(v);
                    }
                    grads[s] = x.getGradient().toDoubleArray();
                }
            }
            assertEquals(Reference.nuclearNorm(e), values[0], 1e-9);
            assertEquals(values[0], values[1], 1e-9);
            assertArrayEquals(grads[0], grads[1], 1e-8);
        }
    }
}
