package org.embreg.experiments.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Which of a run's measured states a picture shows (start, quarters, end), and the PNG bytes of a picture. */
public final class Snapshots {
    /** The fractions of a run the pictures show. */
    public static final double[] FRACTIONS = {0, 0.25, 0.5, 0.75, 1.0};

    private Snapshots() {}

    /**
     * The indices of the measured positions nearest to each fraction of the planned length (the
     * earlier one on a tie), each index once; a run that stopped early ends on its last state.
     *
     * @param positions where the run was measured (steps or epochs), increasing
     * @param planned the run's planned length in the same unit
     */
    public static List<Integer> pick(List<Integer> positions, int planned) {
        List<Integer> out = new ArrayList<>();
        for (double f : FRACTIONS) {
            double target = f * planned;
            int best = 0;
            for (int i = 1; i < positions.size(); i++) {
                if (Math.abs(positions.get(i) - target) < Math.abs(positions.get(best) - target)) {
                    best = i;
                }
            }
            if (!out.contains(best)) {
                out.add(best);
            }
        }
        return out;
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
