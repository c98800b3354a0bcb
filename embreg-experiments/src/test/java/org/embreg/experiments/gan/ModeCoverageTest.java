package org.embreg.experiments.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * VEEGAN's measures on hand-made sample sets, against values worked out by hand (the ring: 8 modes
 * on radius 2, std 0.02, so "high quality" means within 0.06 of a mode's mean).
 */
class ModeCoverageTest {
    private static final GaussianRing RING = GaussianRing.PAPER;

    /** n points: point i at mode modeOf(i), moved by (dx, dy). */
    private static float[] points(int n, java.util.function.IntUnaryOperator modeOf, double dx, double dy) {
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int k = modeOf.applyAsInt(i);
            xy[2 * i] = (float) (RING.meanX(k) + dx);
            xy[2 * i + 1] = (float) (RING.meanY(k) + dy);
        }
        return xy;
    }

    @Test
    void allOnOneModeIsOneModeWithTheLargestDivergence() {
        ModeCoverage c = ModeCoverage.of(points(2500, i -> 3, 0.01, -0.01), RING);
        assertEquals(1.0, c.highQualityFraction());
        assertEquals(1, c.modesCaptured());
        assertEquals(1, c.modesCovered());
        // p = (1, 0, ..., 0): KL(p || 1/8) = 1 * log(1 / (1/8)) = log 8
        assertEquals(Math.log(8), c.klFromUniform(), 1e-12);
    }

    @Test
    void evenlyOnAllEightIsFullCoverageAndNoDivergence() {
        ModeCoverage c = ModeCoverage.of(points(2400, i -> i % 8, 0.0, 0.0), RING);
        assertEquals(1.0, c.highQualityFraction());
        assertEquals(8, c.modesCaptured());
        assertEquals(8, c.modesCovered());
        assertEquals(0.0, c.klFromUniform(), 1e-12);
    }

    @Test
    void halfOffModeHalvesTheQualityAndKeepsTheModes() {
        // even points on the modes (evenly), odd points at the origin, 2 away from every mode
        float[] xy = points(1600, i -> (i / 2) % 8, 0, 0);
        for (int i = 1; i < 1600; i += 2) {
            xy[2 * i] = 0;
            xy[2 * i + 1] = 0;
        }
        ModeCoverage c = ModeCoverage.of(xy, RING);
        assertEquals(0.5, c.highQualityFraction());
        assertEquals(8, c.modesCaptured());
        // each mode holds 100 of 1600 = 6.25% >= 1%
        assertEquals(8, c.modesCovered());
        assertEquals(0.0, c.klFromUniform(), 1e-12);
    }

    @Test
    void aFewStraySamplesCaptureAModeButDoNotCoverIt() {
        // 995 on mode 0, 5 on mode 4: mode 4 is captured (>= 1 sample) but holds 0.5% < 1%, not covered
        ModeCoverage c = ModeCoverage.of(points(1000, i -> i < 995 ? 0 : 4, 0, 0), RING);
        assertEquals(2, c.modesCaptured());
        assertEquals(1, c.modesCovered());
        double p0 = 0.995;
        double p4 = 0.005;
        assertEquals(p0 * Math.log(p0 * 8) + p4 * Math.log(p4 * 8), c.klFromUniform(), 1e-12);
    }

    @Test
    void theThresholdIsThreeStandardDeviations() {
        assertEquals(1.0, ModeCoverage.of(points(10, i -> 1, 0.0599, 0), RING).highQualityFraction());
        assertEquals(0.0, ModeCoverage.of(points(10, i -> 1, 0.0601, 0), RING).highQualityFraction());
    }

    @Test
    void noHighQualitySampleLeavesTheHistogramUndefined() {
        float[] xy = new float[] {0, 0, Float.NaN, 1, 0.5f, 0.5f};
        ModeCoverage c = ModeCoverage.of(xy, RING);
        assertEquals(0.0, c.highQualityFraction());
        assertEquals(0, c.modesCaptured());
        assertEquals(0, c.modesCovered());
        assertNull(c.klFromUniform());
    }

    @Test
    void samplesFromTheTruthScoreAsTheTruth() {
        ModeCoverage c = ModeCoverage.of(RING.sample(2500, new Random(7)), RING);
        // 3 std of a 2-D isotropic Gaussian hold 1 - exp(-9/2) = 98.9% of it
        assertEquals(1 - Math.exp(-4.5), c.highQualityFraction(), 0.01);
        assertEquals(8, c.modesCovered());
        assertEquals(0.0, c.klFromUniform(), 0.01);
    }

    @Test
    void refusesAnOddNumberOfValues() {
        assertThrows(IllegalArgumentException.class, () -> ModeCoverage.of(new float[] {1, 2, 3}, RING));
    }
}
