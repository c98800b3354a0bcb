package org.embreg.loss;

import static org.embreg.loss.PlainHostMath.DEGREE;
import static org.embreg.loss.PlainHostMath.HIGH;
import static org.embreg.loss.PlainHostMath.LN2_HI;
import static org.embreg.loss.PlainHostMath.LN2_LO;
import static org.embreg.loss.PlainHostMath.LOG2E;
import static org.embreg.loss.PlainHostMath.LOW;
import static org.embreg.loss.PlainHostMath.SHIFT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link HostMath} with the JDK's vector API: {@link PlainHostMath}'s exponential, the same operations in the same
 * order, a lane group at a time (the tail in the plain loop), so the same bits. Loaded only when {@link HostMath#VECTOR}
 * says the module is present.
 */
final class VectorHostMath implements HostMath {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
    /** 256 bits where the machine has them (8 floats: a block of 4 rows x 3 vectors keeps 12 sums in registers). */
    private static final VectorSpecies<Float> FLOATS =
            FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
    private static final int ROWS = 4;

    /**
     * Blocks of 4 rows x 3 vectors of columns, then 4 rows x 1 vector, each c_ij a lane summing fma(b_pj, a_ip, .) over
     * p in order; the columns past the last whole vector and the rows past the last block of 4 in the plain loop.
     */
    @Override
    public void multiply(float[] a, float[] b, float[] c, int m, int k, int n) {
        int lanes = FLOATS.length();
        int wholeRows = m - m % ROWS;
        int wholeColumns = n - n % lanes;
        for (int i = 0; i < wholeRows; i += ROWS) {
            int j = 0;
            for (; j + 3 * lanes <= wholeColumns; j += 3 * lanes) {
                block4x3(a, b, c, k, n, i, j);
            }
            for (; j < wholeColumns; j += lanes) {
                block4x1(a, b, c, k, n, i, j);
            }
            PlainHostMath.multiplyInOrder(a, b, c, k, n, i, i + ROWS, wholeColumns);
        }
        PlainHostMath.multiplyInOrder(a, b, c, k, n, wholeRows, m, 0);
    }

    private static void block4x3(float[] a, float[] b, float[] c, int k, int n, int i, int j) {
        int lanes = FLOATS.length();
        FloatVector c00 = FloatVector.zero(FLOATS);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        for (int p = 0; p < k; p++) {
            int row = p * n + j;
            FloatVector b0 = FloatVector.fromArray(FLOATS, b, row);
            FloatVector b1 = FloatVector.fromArray(FLOATS, b, row + lanes);
            FloatVector b2 = FloatVector.fromArray(FLOATS, b, row + 2 * lanes);
            FloatVector a0 = FloatVector.broadcast(FLOATS, a[i * k + p]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            c02 = b2.fma(a0, c02);
            FloatVector a1 = FloatVector.broadcast(FLOATS, a[(i + 1) * k + p]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            c12 = b2.fma(a1, c12);
            FloatVector a2 = FloatVector.broadcast(FLOATS, a[(i + 2) * k + p]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            c22 = b2.fma(a2, c22);
            FloatVector a3 = FloatVector.broadcast(FLOATS, a[(i + 3) * k + p]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            c32 = b2.fma(a3, c32);
        }
        store3(c, i * n + j, c00, c01, c02);
        store3(c, (i + 1) * n + j, c10, c11, c12);
        store3(c, (i + 2) * n + j, c20, c21, c22);
        store3(c, (i + 3) * n + j, c30, c31, c32);
    }

    private static void store3(float[] c, int at, FloatVector v0, FloatVector v1, FloatVector v2) {
        int lanes = FLOATS.length();
        v0.intoArray(c, at);
        v1.intoArray(c, at + lanes);
        v2.intoArray(c, at + 2 * lanes);
    }

    private static void block4x1(float[] a, float[] b, float[] c, int k, int n, int i, int j) {
        FloatVector c0 = FloatVector.zero(FLOATS);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(FLOATS, b, p * n + j);
            c0 = b0.fma(FloatVector.broadcast(FLOATS, a[i * k + p]), c0);
            c1 = b0.fma(FloatVector.broadcast(FLOATS, a[(i + 1) * k + p]), c1);
            c2 = b0.fma(FloatVector.broadcast(FLOATS, a[(i + 2) * k + p]), c2);
            c3 = b0.fma(FloatVector.broadcast(FLOATS, a[(i + 3) * k + p]), c3);
        }
        c0.intoArray(c, i * n + j);
        c1.intoArray(c, (i + 1) * n + j);
        c2.intoArray(c, (i + 2) * n + j);
        c3.intoArray(c, (i + 3) * n + j);
    }

    @Override
    public void exp(double[] a, int from, int to) {
        int i = from;
        for (; i + SPECIES.length() <= to; i += SPECIES.length()) {
            exp(DoubleVector.fromArray(SPECIES, a, i)).intoArray(a, i);
        }
        for (; i < to; i++) {
            a[i] = PlainHostMath.exp(a[i]);
        }
    }

    private static DoubleVector exp(DoubleVector value) {
        DoubleVector x = value.max(LOW).min(HIGH);
        DoubleVector shifted = x.mul(LOG2E).add(SHIFT);
        DoubleVector k = shifted.sub(SHIFT);
        DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), x));
        DoubleVector p = DoubleVector.broadcast(SPECIES, PlainHostMath.coefficient(DEGREE));
        for (int n = DEGREE - 1; n >= 0; n--) {
            p = p.fma(r, DoubleVector.broadcast(SPECIES, PlainHostMath.coefficient(n)));
        }
        // k as an integer: the low bits of the shifted value (the same integer as the cast the plain loop makes)
        LongVector kl = shifted.reinterpretAsLongs().sub(SHIFT_BITS);
        LongVector k1 = kl.lanewise(VectorOperators.ASHR, 1);
        LongVector k2 = kl.sub(k1);
        DoubleVector s1 = k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = k2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(s1).mul(s2);
    }
}
