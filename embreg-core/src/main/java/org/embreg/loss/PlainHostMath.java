package org.embreg.loss;

/** {@link HostMath} in plain loops over {@link Math}. */
final class PlainHostMath implements HostMath {
    @Override
    public void exp(double[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = Math.exp(a[i]);
        }
    }
}
