package org.embreg.loss;

/**
 * {@link HostMath} in plain loops. The exponential is not {@link Math#exp} but one fixed sequence of correctly rounded
 * operations (additions, multiplications, fused multiply-adds, exact conversions), which {@link VectorHostMath} runs
 * lane by lane: so both give the same bits for the same input, in every JIT tier and with or without the vector
 * module (the vector API's own exponential differs from {@link Math#exp} once compiled, which would make a run's
 * numbers depend on when the compiler got to it). Within two ulps of {@link Math#exp} (HostMathTest).
 *
 * <p>The method: x is clamped to [-746, 710] (beyond it exp is 0 or infinite in double), k = round(x / ln 2) by the
 * 1.5 * 2^52 shift, r = x - k ln 2 in two parts (|r| &lt;= ln 2 / 2), e^r by its Taylor series to r^13 / 13! in
 * Horner's form (the first omitted term is below 5e-18), and the result e^r 2^k scaled in two halves of k, so that
 * subnormal results round once.
 */
final class PlainHostMath implements HostMath {
    static final double LOG2E = 1.4426950408889634;
    /** ln 2's leading bits (its low 32 bits zero, so k * LN2_HI is exact for |k| < 2^20). */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5 * 2^52: t + SHIFT - SHIFT rounds t to an integer (to even), for |t| < 2^51. */
    static final double SHIFT = 6755399441055744.0;
    static final double LOW = -746;
    static final double HIGH = 710;
    /** The Taylor series' last power. */
    static final int DEGREE = 13;
    /** 1 / n! for n = 0..DEGREE (never written; read through {@link #coefficient}). */
    private static final double[] INVERSE_FACTORIALS = inverseFactorials();

    private static double[] inverseFactorials() {
        double[] c = new double[DEGREE + 1];
        double f = 1;
        for (int n = 0; n < c.length; n++) {
            f *= Math.max(n, 1);
            c[n] = 1 / f;
        }
        return c;
    }

    /** 1 / n!, the Taylor series' coefficient of r^n. */
    static double coefficient(int n) {
        return INVERSE_FACTORIALS[n];
    }

    @Override
    public void multiply(float[] a, float[] b, float[] c, int m, int k, int n) {
        multiplyInOrder(a, b, c, k, n, 0, m, 0);
    }

    /**
     * c = a b over rows [rowFrom, rowTo) and columns [columnFrom, n): c_ij = fma(a_ip, b_pj, c_ij) for p = 0..k-1,
     * from c_ij = 0 (the order {@link VectorHostMath} keeps lane by lane).
     */
    static void multiplyInOrder(float[] a, float[] b, float[] c, int k, int n, int rowFrom, int rowTo, int columnFrom) {
        for (int i = rowFrom; i < rowTo; i++) {
            java.util.Arrays.fill(c, i * n + columnFrom, i * n + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                for (int j = columnFrom; j < n; j++) {
                    c[i * n + j] = Math.fma(aip, b[p * n + j], c[i * n + j]);
                }
            }
        }
    }

    @Override
    public void exp(double[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = exp(a[i]);
        }
    }

    /** The exponential of one value, by the method above. */
    static double exp(double value) {
        double x = Math.min(Math.max(value, LOW), HIGH);
        double k = (x * LOG2E + SHIFT) - SHIFT;
        double r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, x));
        double p = coefficient(DEGREE);
        for (int n = DEGREE - 1; n >= 0; n--) {
            p = Math.fma(p, r, coefficient(n));
        }
        long k1 = ((long) k) >> 1;
        long k2 = (long) k - k1;
        return p * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k2 + 1023) << 52);
    }
}
