package org.embreg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/** Every loss is built the same way: defaults, {@code optName}, and build() rejecting bad values by name and value. */
class LossBuildersTest {
    @Test
    void defaultsAndNames() {
        assertEquals("npair", NPairLoss.builder().build().getName());
        assertEquals("angular", AngularLoss.builder().build().getName());
        assertEquals(45.0, AngularLoss.builder().build().alphaDegrees());
        assertEquals("lifted", LiftedStructuredLoss.builder().build().getName());
        assertEquals(1.0, LiftedStructuredLoss.builder().build().margin());
        assertEquals("a", NPairLoss.builder().optName("a").build().getName());
        assertEquals("b", AngularLoss.builder().optName("b").build().getName());
        assertEquals("c", LiftedStructuredLoss.builder().optName("c").build().getName());
        assertEquals(30.0, AngularLoss.builder().optAlphaDegrees(30).build().alphaDegrees());
        assertEquals(0.5, LiftedStructuredLoss.builder().optMargin(0.5).build().margin());
    }

    @Test
    void buildRejectsOutOfRangeHyperparameters() {
        assertRejected("alphaDegrees", v -> AngularLoss.builder().optAlphaDegrees(v).build(), 0, 90, -10, Double.NaN);
        assertRejected("margin", v -> LiftedStructuredLoss.builder().optMargin(v).build(), 0, -1, Double.POSITIVE_INFINITY, Double.NaN);
        assertRejected("margin", v -> ContrastiveLoss.builder().optMargin(v).build(), 0, Double.NaN);
        assertRejected("margin", v -> TripletLoss.builder().optMargin(v).build(), -0.2, Double.NaN);
    }

    private static void assertRejected(String parameter, DoubleFunction<EmbeddingLoss> build, double... values) {
        for (double v : values) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build.apply(v), parameter + " = " + v);
            assertTrue(e.getMessage().contains(parameter) && e.getMessage().contains(String.valueOf(v)), e.getMessage());
        }
    }
}
