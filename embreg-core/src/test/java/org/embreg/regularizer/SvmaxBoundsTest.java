package org.embreg.regularizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.embreg.testing.Batches;
import org.junit.jupiter.api.Test;

class SvmaxBoundsTest {
    @Test
    void randomNormalizedBatchesLieInsideTheBounds() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[][] shapes = {{144, 128}, {32, 64}, {64, 16}, {2, 2}, {10, 3}};
            for (int[] s : shapes) {
                for (long seed = 0; seed < 5; seed++) {
                    SvmaxRegularizer reg = SvmaxRegularizer.builder().build();
                    reg.evaluate(new NDList(), new NDList(m.create(Batches.gaussian(s[0], s[1], seed))));
                    double mu = reg.lastTerms().get(0).value();
                    SvmaxBounds b = new SvmaxBounds(s[0], s[1]);
                    assertTrue(mu >= b.lower() - 1e-9 && mu <= b.upper() + 1e-9,
                            "s_mu " + mu + " outside [" + b.lower() + ", " + b.upper() + "] for " + s[0] + "x" + s[1]);
                }
            }
        }
    }

    @Test
    void identicalRowsGiveTheLowerBoundAndLossE() {
        try (NDManager m = NDManager.newBaseManager()) {
            SvmaxRegularizer reg = SvmaxRegularizer.builder().build();
            double loss = reg.evaluate(new NDList(), new NDList(m.create(Batches.identicalRows(16, 8, 3)))).getDouble();
            assertEquals(new SvmaxBounds(16, 8).lower(), reg.lastTerms().get(0).value(), 1e-12);
            assertEquals(Math.E, loss, 1e-9);
        }
    }

    @Test
    void orthonormalRowsReachTheUpperBoundAndLossOne() {
        double[][] e = new double[4][6];
        for (int i = 0; i < 4; i++) {
            e[i][i] = 1;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            SvmaxRegularizer reg = SvmaxRegularizer.builder().build();
            double loss = reg.evaluate(new NDList(), new NDList(m.create(e))).getDouble();
            assertEquals(new SvmaxBounds(4, 6).upper(), reg.lastTerms().get(0).value(), 1e-12);
            assertEquals(1.0, loss, 1e-12);
        }
    }
}
