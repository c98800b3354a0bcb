package org.embreg.regularizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.DoubleBinaryOperator;
import org.embreg.loss.EmbeddingLoss;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden values from numpy (float64, numpy's SVD): the script that produced them is
 * src/test/resources/golden/losses_golden.py; run it with /usr/bin/python3 to regenerate.
 */
class GoldenValuesTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static double[][] mat(int b, int d, DoubleBinaryOperator f) {
        double[][] m = new double[b][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = f.applyAsDouble(i, j);
            }
        }
        return m;
    }

    static final double[][] E = mat(12, 6, (i, j) -> Math.sin(0.7 * i + 1.3 * j + 0.1) + 0.05 * (i % 3));
    static final double[][] Z2 = mat(12, 6, (i, j) -> Math.cos(0.5 * i - 0.9 * j));
    static final double[][] W = mat(4, 9, (i, j) -> Math.sin(1.1 * i + 0.3 * j));

    private static double eval(EmbeddingLoss loss, double[][]... views) {
        try (NDManager m = manager.newSubManager()) {
            NDList list = new NDList();
            for (double[][] v : views) {
                list.add(m.create(v));
            }
            NDArray r = loss.evaluate(new NDList(), list);
            return r.getDouble();
        }
    }

    private static void near(double want, double got) {
        assertEquals(want, got, 1e-10 * Math.max(1, Math.abs(want)));
    }

    @Test
    void svmax() {
        near(1.9383601386578757, eval(SvmaxRegularizer.builder().build(), E));
        near(1.8317741442864326, eval(SvmaxRegularizer.builder().build(), W));
        near(-1.4997499810714976, eval(SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA).build(), E));
        near(-0.6644954519029335, eval(SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA).build(), W));
        SvmaxRegularizer s = SvmaxRegularizer.builder().build();
        eval(s, E);
        near(0.8603420136466494, s.lastTerms().get(0).value());
    }

    @Test
    void vicreg() {
        VicregTermRegularizer.Builder v = VicregTermRegularizer.builder(VicregTermRegularizer.Term.VARIANCE);
        near(0.275062914480718, eval(v.build(), E));
        double[][] small = mat(12, 6, (i, j) -> 0.01 * E[(int) i][(int) j]);
        near(0.9876482736943754, eval(v.build(), small));
        near(0.5806724693348587, eval(VicregTermRegularizer.builder(VicregTermRegularizer.Term.COVARIANCE).build(), E));
        near(0.9038237251572272, eval(VicregTermRegularizer.builder(VicregTermRegularizer.Term.INVARIANCE).build(), E, Z2));
        near(30.50466167038976, eval(VicregLoss.builder().build(), E, Z2));
    }
}
