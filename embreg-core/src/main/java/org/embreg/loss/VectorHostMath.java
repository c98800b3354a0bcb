package org.embreg.loss;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link HostMath} with the JDK's vector API: a lane group at a time, the tail in {@link Math}. Loaded only when
 * {@link HostMath#VECTOR} says the module is present.
 */
final class VectorHostMath implements HostMath {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    @Override
    public void exp(double[] a, int from, int to) {
        int width = SPECIES.length();
        int i = from;
        for (; i + width <= to; i += width) {
            DoubleVector.fromArray(SPECIES, a, i).lanewise(VectorOperators.EXP).intoArray(a, i);
        }
        for (; i < to; i++) {
            a[i] = Math.exp(a[i]);
        }
    }
}
