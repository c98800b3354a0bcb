package org.embreg.data;

/**
 * A dense row-major float matrix on the host: embeddings read from a file or pulled off an engine.
 *
 * @param data rows * cols values, row-major; not copied
 * @param rows row count
 * @param cols column count
 */
public record Matrix(float[] data, int rows, int cols) {
    public Matrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("matrix of " + rows + " x " + cols + " needs " + ((long) rows * cols) + " values, got " + data.length);
        }
    }

    /** The values widened to double, in order. */
    public static double[] doubles(float[] x) {
        double[] r = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            r[j] = x[j];
        }
        return r;
    }

    public float get(int r, int c) {
        return data[r * cols + c];
    }

    /** A copy with every row scaled to unit L2 norm (zero rows stay zero). */
    public Matrix normalizedRows() {
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            double n = 0;
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                n += (double) data[o + c] * data[o + c];
            }
            double inv = n > 0 ? 1 / Math.sqrt(n) : 0;
            for (int c = 0; c < cols; c++) {
                out[o + c] = (float) (data[o + c] * inv);
            }
        }
        return new Matrix(out, rows, cols);
    }

    /** The values as double[rows][cols]. */
    public double[][] toDoubleRows() {
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = data[r * cols + c];
            }
        }
        return out;
    }

    /** The first row that holds a NaN or an infinity, or -1. */
    public int firstNonFiniteRow() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i / cols;
            }
        }
        return -1;
    }
}
