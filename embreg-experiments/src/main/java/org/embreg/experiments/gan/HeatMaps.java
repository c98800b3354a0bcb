package org.embreg.experiments.gan;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.embreg.experiments.report.Snapshots;

/**
 * A grid of 2-D sample densities like Figure 3 of the SVMax paper: one row per configuration, one
 * column per chosen step, a last column of the true distribution. Each panel is a histogram of the
 * points over [-extent, extent]^2 drawn white to dark green on a log scale, with the true modes
 * marked by small grey rings.
 */
public final class HeatMaps {
    /** Half the side of the square each panel shows. */
    public static final double EXTENT = 3.0;
    private static final int BINS = 100;
    private static final int CELL = 180;
    private static final int LEFT = 130;
    private static final int TOP = 40;
    private static final int GAP = 6;

    private HeatMaps() {}

    /** One panel: its title (e.g. the step it shows) and its points (n x 2, row-major). */
    public record Panel(String title, float[] points) {}

    /** One row: its label and one panel per column. */
    public record Row(String label, List<Panel> panels) {}

    /**
     * Draws the grid as PNG bytes.
     *
     * @param columns the column headers (the last one is the truth's)
     * @param rows the rows, each with one panel per column
     * @param ring the true modes, marked on every panel
     */
    public static byte[] png(List<String> columns, List<Row> rows, GaussianRing ring) {
        int width = LEFT + columns.size() * (CELL + GAP);
        int height = TOP + rows.size() * (CELL + GAP);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int c = 0; c < columns.size(); c++) {
            g.drawString(columns.get(c), LEFT + c * (CELL + GAP) + 6, TOP - 12);
        }
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (row.panels().size() != columns.size()) {
                throw new IllegalArgumentException("row " + row.label() + " has " + row.panels().size() + " panels for " + columns.size() + " columns");
            }
            int y0 = TOP + r * (CELL + GAP);
            g.setColor(Color.BLACK);
            g.drawString(row.label(), 8, y0 + CELL / 2);
            for (int c = 0; c < columns.size(); c++) {
                Panel panel = row.panels().get(c);
                drawPanel(g, LEFT + c * (CELL + GAP), y0, panel.points(), ring);
                g.setColor(Color.DARK_GRAY);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.drawString(panel.title(), LEFT + c * (CELL + GAP) + 4, y0 + 14);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            }
        }
        g.dispose();
        return Snapshots.png(image);
    }

    /** The 2-D histogram of points over [-EXTENT, EXTENT]^2 in BINS x BINS cells (row 0 at the top); points outside are dropped. */
    static int[][] histogram(float[] xy) {
        int[][] h = new int[BINS][BINS];
        for (int i = 0; i + 1 < xy.length; i += 2) {
            double x = xy[i];
            double y = xy[i + 1];
            if (!(Math.abs(x) < EXTENT) || !(Math.abs(y) < EXTENT)) {
                continue;
            }
            int col = (int) ((x + EXTENT) / (2 * EXTENT) * BINS);
            int row = (int) ((EXTENT - y) / (2 * EXTENT) * BINS);
            h[Math.min(BINS - 1, row)][Math.min(BINS - 1, col)]++;
        }
        return h;
    }

    private static void drawPanel(Graphics2D g, int x0, int y0, float[] xy, GaussianRing ring) {
        int[][] h = histogram(xy);
        int max = 0;
        for (int[] row : h) {
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        double scale = max == 0 ? 1 : Math.log1p(max);
        double px = (double) CELL / BINS;
        for (int r = 0; r < BINS; r++) {
            for (int c = 0; c < BINS; c++) {
                double t = h[r][c] == 0 ? 0 : 0.25 + 0.75 * Math.log1p(h[r][c]) / scale;
                g.setColor(green(t));
                int xa = x0 + (int) Math.round(c * px);
                int ya = y0 + (int) Math.round(r * px);
                g.fillRect(xa, ya, x0 + (int) Math.round((c + 1) * px) - xa, y0 + (int) Math.round((r + 1) * px) - ya);
            }
        }
        g.setColor(new Color(150, 150, 150));
        g.setStroke(new BasicStroke(1f));
        double unit = CELL / (2 * EXTENT);
        for (int k = 0; k < ring.modes(); k++) {
            int cx = x0 + (int) Math.round((ring.meanX(k) + EXTENT) * unit);
            int cy = y0 + (int) Math.round((EXTENT - ring.meanY(k)) * unit);
            g.drawOval(cx - 7, cy - 7, 14, 14);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x0, y0, CELL - 1, CELL - 1);
    }

    /** White (t = 0) to dark green (t = 1). */
    static Color green(double t) {
        double u = Math.max(0, Math.min(1, t));
        return new Color((int) Math.round(255 - u * (255 - 0)), (int) Math.round(255 - u * (255 - 90)), (int) Math.round(255 - u * (255 - 30)));
    }
}
