package org.embreg.experiments.circle;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.embreg.experiments.report.Snapshots;

/**
 * Pictures of 2-D embeddings on the unit circle like Figure 4 of the SVMax paper: one frame per
 * epoch (points coloured by class, the circle drawn), a grid of rows of frames as PNG, and an
 * animated GIF of an arm's frames.
 */
public final class CircleFrames {
    /** Side of a frame in pixels. */
    public static final int SIDE = 300;
    private static final int LABEL_WIDTH = 90;
    /** Ten distinct class colours (matplotlib's tab10). */
    private static final int[] PALETTE = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

    private CircleFrames() {}

    /**
     * One frame.
     *
     * @param xy n x 2 points, row-major (on or near the unit circle)
     * @param labels their classes
     * @param title drawn at the top left
     */
    public static BufferedImage frame(float[] xy, int[] labels, String title) {
        if (xy.length != 2 * labels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + xy.length / 2 + " points");
        }
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIDE, SIDE);
        double scale = SIDE / 2.0 / 1.15;
        double c = SIDE / 2.0;
        g.setColor(new Color(200, 200, 200));
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Ellipse2D.Double(c - scale, c - scale, 2 * scale, 2 * scale));
        for (int i = 0; i < labels.length; i++) {
            g.setColor(new Color(PALETTE[Math.floorMod(labels[i], PALETTE.length)]));
            double x = c + xy[2 * i] * scale;
            double y = c - xy[2 * i + 1] * scale;
            g.fill(new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7));
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(title, 8, 18);
        g.dispose();
        return image;
    }

    /** One row of the grid: its label and its frames. */
    public record Row(String label, List<BufferedImage> frames) {}

    /** A grid of rows of frames (every row the same number), as PNG bytes. */
    public static byte[] gridPng(List<Row> rows) {
        int columns = rows.get(0).frames().size();
        BufferedImage image = new BufferedImage(LABEL_WIDTH + columns * SIDE, rows.size() * SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (row.frames().size() != columns) {
                throw new IllegalArgumentException("row " + row.label() + " has " + row.frames().size() + " frames, the first row " + columns);
            }
            g.setColor(Color.BLACK);
            g.drawString(row.label(), 10, r * SIDE + SIDE / 2);
            for (int k = 0; k < columns; k++) {
                g.drawImage(row.frames().get(k), LABEL_WIDTH + k * SIDE, r * SIDE, null);
                g.setColor(new Color(220, 220, 220));
                g.drawRect(LABEL_WIDTH + k * SIDE, r * SIDE, SIDE - 1, SIDE - 1);
            }
        }
        g.dispose();
        return Snapshots.png(image);
    }

    /**
     * An animated GIF that loops forever.
     *
     * @param frames the frames, all {@link #SIDE} x {@link #SIDE}
     * @param delayMillis how long each frame shows (the last one three times as long)
     */
    public static byte[] gif(List<BufferedImage> frames, int delayMillis) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            ImageWriteParam param = writer.getDefaultWriteParam();
            for (int i = 0; i < frames.size(); i++) {
                int delay = i == frames.size() - 1 ? 3 * delayMillis : delayMillis;
                writer.writeToSequence(new IIOImage(frames.get(i), null, gifMetadata(writer, param, delay, i == 0)), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static IIOMetadata gifMetadata(ImageWriter writer, ImageWriteParam param, int delayMillis, boolean first) throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB), param);
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(Math.max(1, delayMillis / 10)));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode extensions = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0}); // loop forever
            extensions.appendChild(loop);
        }
        metadata.setFromTree(format, root);
        return metadata;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
