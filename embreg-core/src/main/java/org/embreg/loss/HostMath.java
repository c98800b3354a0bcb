package org.embreg.loss;

/**
 * Elementwise functions over a range of a host array and a small matrix product, for the loops of the losses
 * computed on the host. The
 * exponential dominated those loops (about 6 ns a value in {@link Math#exp}, some 60 us of the angular loss's 90 us
 * on the host at the paper's layout); the JDK's vector API computes it several values at a time. Both
 * implementations compute one fixed sequence of correctly rounded operations ({@link PlainHostMath}), so they give
 * the same bits, within two ulps of {@link Math#exp}; {@link #fastest} picks the vector one where the JVM has the
 * incubator module (the launcher and the tests add it).
 */
interface HostMath {
    /** Replaces a[from..to) by their exponentials (exp(-infinity) = 0). */
    void exp(double[] a, int from, int to);

    /**
     * c = a b in float, row-major: a is m x k, b is k x n, c (m x n) is overwritten. Each c_ij is one running sum of
     * fused multiply-adds over p = 0..k-1 from 0 ({@link PlainHostMath#multiplyInOrder}), so every implementation
     * gives the same bits. The vector one runs near the core's peak (about 100 GFLOP/s here at 72 x 128 x 72, where
     * the engine's product costs twice as long with its call), which is what lets the ranking losses of a small batch
     * stay on the host.
     */
    void multiply(float[] a, float[] b, float[] c, int m, int k, int n);

    /**
     * Replaces z by the softmax exp(z_j - lse) of its used entries (0 elsewhere) and returns lse = log sum_j exp(z_j)
     * over them (with exp(0) = 1 besides when {@code withOne}), computed stably.
     */
    default double softmax(double[] z, boolean[] used, boolean withOne) {
        double max = withOne ? 0 : Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            // a compare and a branch rather than Math.max: the branch is predicted, so the loop does not wait on each max
            if (used[j] && z[j] > max) {
                max = z[j];
            }
        }
        for (int j = 0; j < z.length; j++) {
            z[j] = used[j] ? z[j] - max : Double.NEGATIVE_INFINITY;
        }
        if (max == Double.NEGATIVE_INFINITY) {
            // nothing used and no extra term: an empty sum
            java.util.Arrays.fill(z, 0);
            return Double.NEGATIVE_INFINITY;
        }
        exp(z, 0, z.length);
        double sum = (withOne ? Math.exp(-max) : 0) + sum(z, 0, z.length);
        double inverse = 1 / sum;
        for (int j = 0; j < z.length; j++) {
            z[j] *= inverse;
        }
        return max + Math.log(sum);
    }

    /** a[from] + ... + a[to - 1], in four running sums (one running sum waits on each addition). */
    static double sum(double[] a, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The vector API where this JVM has the module, else plain loops. */
    static HostMath fastest() {
        return VECTOR ? new VectorHostMath() : new PlainHostMath();
    }

    /** Whether the JDK's vector API (an incubator module, added by a flag) is present in this JVM. */
    boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
}
