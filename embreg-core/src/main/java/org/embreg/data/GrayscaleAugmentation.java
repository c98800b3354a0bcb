package org.embreg.data;

import java.util.Random;

/**
 * VICReg's view augmentations adapted to one-channel images, each applied with its probability in
 * this order: a random resized crop (area share uniform in [cropMin, cropMax], aspect ratio
 * log-uniform in [3/4, 4/3], resized back bilinearly, as torchvision's {@code RandomResizedCrop}), a
 * horizontal flip, brightness and contrast jitter (factors uniform in [1 - b, 1 + b] and
 * [1 - c, 1 + c], in random order, as {@code ColorJitter}; saturation and hue have no meaning in
 * one channel), a Gaussian blur (sigma uniform in [0.1, 2] pixels) and solarization (pixels of
 * 0.5 and above inverted, as PIL's threshold 128). VICReg's two views differ only in the blur (1.0
 * and 0.1) and solarization (0 and 0.2) probabilities: {@link #vicregFirst()}, {@link
 * #vicregSecond()}. Results stay in [0, 1].
 *
 * @param cropMin smallest area share of the crop
 * @param cropMax largest area share of the crop
 * @param flipProbability of the horizontal flip
 * @param jitterProbability of brightness and contrast jitter
 * @param brightness b
 * @param contrast c
 * @param blurProbability of the Gaussian blur
 * @param solarizeProbability of solarization
 */
public record GrayscaleAugmentation(double cropMin, double cropMax, double flipProbability, double jitterProbability, double brightness,
        double contrast, double blurProbability, double solarizeProbability) implements ImageAugmentation {
    public static final double BLUR_SIGMA_MIN = 0.1;
    public static final double BLUR_SIGMA_MAX = 2.0;

    public GrayscaleAugmentation {
        if (!(cropMin > 0 && cropMin <= cropMax && cropMax <= 1)) {
            throw new IllegalArgumentException("need 0 < cropMin <= cropMax <= 1, got " + cropMin + ", " + cropMax);
        }
        for (double p : new double[] {flipProbability, jitterProbability, blurProbability, solarizeProbability}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must lie in [0, 1], got " + p);
            }
        }
        if (!(brightness >= 0 && brightness < 1) || !(contrast >= 0 && contrast < 1)) {
            throw new IllegalArgumentException("brightness and contrast must lie in [0, 1), got " + brightness + ", " + contrast);
        }
    }

    /** VICReg's first view: crop, flip 0.5, jitter 0.8 (0.4, 0.4), blur 1.0, no solarization. */
    public static GrayscaleAugmentation vicregFirst() {
        return new GrayscaleAugmentation(0.08, 1.0, 0.5, 0.8, 0.4, 0.4, 1.0, 0.0);
    }

    /** VICReg's second view: as the first with blur 0.1 and solarization 0.2. */
    public static GrayscaleAugmentation vicregSecond() {
        return new GrayscaleAugmentation(0.08, 1.0, 0.5, 0.8, 0.4, 0.4, 0.1, 0.2);
    }

    @Override
    public float[] apply(float[] image, int height, int width, Random random) {
        if (image.length != height * width) {
            throw new IllegalArgumentException("an image of " + height + " x " + width + " has " + height * width + " pixels, got " + image.length);
        }
        float[] x = resizedCrop(image, height, width, random);
        if (random.nextDouble() < flipProbability) {
            flip(x, height, width);
        }
        if (random.nextDouble() < jitterProbability) {
            double b = 1 + brightness * (2 * random.nextDouble() - 1);
            double c = 1 + contrast * (2 * random.nextDouble() - 1);
            if (random.nextBoolean()) {
                scale(x, b);
                contrast(x, c);
            } else {
                contrast(x, c);
                scale(x, b);
            }
        }
        if (random.nextDouble() < blurProbability) {
            x = blur(x, height, width, BLUR_SIGMA_MIN + (BLUR_SIGMA_MAX - BLUR_SIGMA_MIN) * random.nextDouble());
        }
        if (random.nextDouble() < solarizeProbability) {
            for (int i = 0; i < x.length; i++) {
                if (x[i] >= 0.5f) {
                    x[i] = 1 - x[i];
                }
            }
        }
        return x;
    }

    /** torchvision's RandomResizedCrop: 10 tries at a random area and ratio, else the whole image; bilinear back to h x w. */
    private float[] resizedCrop(float[] image, int h, int w, Random random) {
        double area = (double) h * w;
        int ch = h;
        int cw = w;
        int top = 0;
        int left = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (cropMin + (cropMax - cropMin) * random.nextDouble());
            double logRatio = Math.log(3.0 / 4) + (Math.log(4.0 / 3) - Math.log(3.0 / 4)) * random.nextDouble();
            double ratio = Math.exp(logRatio);
            int tw = (int) Math.round(Math.sqrt(target * ratio));
            int th = (int) Math.round(Math.sqrt(target / ratio));
            if (tw > 0 && th > 0 && tw <= w && th <= h) {
                ch = th;
                cw = tw;
                top = random.nextInt(h - th + 1);
                left = random.nextInt(w - tw + 1);
                break;
            }
        }
        return resize(image, w, top, left, ch, cw, h, w);
    }

    /** Bilinear resize of the crop (top, left, ch x cw) of an image of width {@code stride} to h x w (pixel centres aligned). */
    static float[] resize(float[] image, int stride, int top, int left, int ch, int cw, int h, int w) {
        float[] out = new float[h * w];
        double sy = (double) ch / h;
        double sx = (double) cw / w;
        for (int r = 0; r < h; r++) {
            double y = Math.min(Math.max((r + 0.5) * sy - 0.5, 0), ch - 1);
            int y0 = (int) Math.floor(y);
            int y1 = Math.min(y0 + 1, ch - 1);
            double fy = y - y0;
            for (int c = 0; c < w; c++) {
                double x = Math.min(Math.max((c + 0.5) * sx - 0.5, 0), cw - 1);
                int x0 = (int) Math.floor(x);
                int x1 = Math.min(x0 + 1, cw - 1);
                double fx = x - x0;
                double v00 = image[(top + y0) * stride + left + x0];
                double v01 = image[(top + y0) * stride + left + x1];
                double v10 = image[(top + y1) * stride + left + x0];
                double v11 = image[(top + y1) * stride + left + x1];
                out[r * w + c] = (float) ((1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11));
            }
        }
        return out;
    }

    private static void flip(float[] x, int h, int w) {
        for (int r = 0; r < h; r++) {
            for (int a = r * w, b = r * w + w - 1; a < b; a++, b--) {
                float t = x[a];
                x[a] = x[b];
                x[b] = t;
            }
        }
    }

    private static void scale(float[] x, double f) {
        for (int i = 0; i < x.length; i++) {
            x[i] = clamp(x[i] * f);
        }
    }

    /** torchvision's adjust_contrast on one channel: blend with the image's mean. */
    private static void contrast(float[] x, double f) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        for (int i = 0; i < x.length; i++) {
            x[i] = clamp(mean + f * (x[i] - mean));
        }
    }

    /** A separable Gaussian blur with radius ceil(3 sigma), edges replicated. */
    static float[] blur(float[] x, int h, int w, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[x.length];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double v = 0;
                for (int i = -radius; i <= radius; i++) {
                    v += k[i + radius] * x[r * w + Math.min(w - 1, Math.max(0, c + i))];
                }
                tmp[r * w + c] = (float) v;
            }
        }
        float[] out = new float[x.length];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double v = 0;
                for (int i = -radius; i <= radius; i++) {
                    v += k[i + radius] * tmp[Math.min(h - 1, Math.max(0, r + i)) * w + c];
                }
                out[r * w + c] = clamp(v);
            }
        }
        return out;
    }

    private static float clamp(double v) {
        return (float) Math.min(1.0, Math.max(0.0, v));
    }
}
