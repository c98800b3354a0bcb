package org.embreg.loss;

import static org.embreg.loss.PlainHostMath.DEGREE;
import static org.embreg.loss.PlainHostMath.HIGH;
import static org.embreg.loss.PlainHostMath.LN2_HI;
import static org.embreg.loss.PlainHostMath.LN2_LO;
import static org.embreg.loss.PlainHostMath.LOG2E;
import static org.embreg.loss.PlainHostMath.LOW;
import static org.embreg.loss.PlainHostMath.SHIFT;

import jdk.incubator.vector.DoubleVector;
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
