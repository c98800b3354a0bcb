package org.embreg.experiments.gan;

import java.util.ArrayList;
import java.util.List;

/**
 * One GAN configuration.
 *
 * @param unrolledSteps discriminator updates the generator looks ahead through (0: a plain GAN)
 * @param svmaxWeight lambda of the vanilla SVMax term on the generated batch (0: none)
 */
public record GanArm(int unrolledSteps, double svmaxWeight) {
    /** The unrolling of the papers' unrolled GAN. */
    public static final int PAPER_UNROLLED_STEPS = 5;
    /** The SVMax paper's lambda for the GAN. */
    public static final double PAPER_SVMAX_WEIGHT = 0.01;

    public GanArm {
        if (unrolledSteps < 0) {
            throw new IllegalArgumentException("--unrolled-steps must be >= 0, got " + unrolledSteps);
        }
        if (!(svmaxWeight >= 0) || !Double.isFinite(svmaxWeight)) {
            throw new IllegalArgumentException("--svmax-weight must be finite and >= 0, got " + svmaxWeight);
        }
    }

    /** "plain", "plain+svmax", "unrolled" or "unrolled+svmax". */
    public String name() {
        return (unrolledSteps == 0 ? "plain" : "unrolled") + (svmaxWeight > 0 ? "+svmax" : "");
    }

    /**
     * The paper's four configurations (plain, plain + SVMax, unrolled, unrolled + SVMax); without
     * SVMax (weight 0), the two without it.
     */
    public static List<GanArm> paperArms(int unrolledSteps, double svmaxWeight) {
        if (unrolledSteps < 1) {
            throw new IllegalArgumentException("the unrolled configurations need --unrolled-steps >= 1, got " + unrolledSteps);
        }
        if (!(svmaxWeight >= 0) || !Double.isFinite(svmaxWeight)) {
            throw new IllegalArgumentException("--svmax-weight must be finite and >= 0, got " + svmaxWeight);
        }
        List<GanArm> arms = new ArrayList<>();
        for (int k : new int[] {0, unrolledSteps}) {
            arms.add(new GanArm(k, 0));
            if (svmaxWeight > 0) {
                arms.add(new GanArm(k, svmaxWeight));
            }
        }
        return List.copyOf(arms);
    }
}
