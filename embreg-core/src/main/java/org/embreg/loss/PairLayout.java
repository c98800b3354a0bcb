package org.embreg.loss;

/**
 * Where a ranking loss's pairwise host quantities (the similarities S, dL/dS and the factor F of the gradient) live
 * in a host array. All pairs: row-major b x b, entry i b + j, each pair twice (i, j) and (j, i). A block of rows x
 * columns ({@link PairLoss.Block}): one entry per pair (rows[k], columns[l]) at k n + l, whichever order the loss
 * names it in, then the b diagonal entries at m n + i: for N-pair a quarter of b x b, read in order (the b x b form's
 * mirrored entries are a cache line apart each).
 */
final class PairLayout {
    private final int b;
    private final PairLoss.Block block;
    /** With a block: 1 for its rows, 2 for its columns, 0 for neither. */
    private final byte[] side;
    /** With a block: row i's place among the rows or among the columns. */
    private final int[] position;

    PairLayout(int b, PairLoss.Block block) {
        this.b = b;
        this.block = block;
        if (block == null) {
            side = null;
            position = null;
            return;
        }
        side = new byte[b];
        position = new int[b];
        int[] rows = block.rows();
        int[] columns = block.columns();
        for (int k = 0; k < rows.length; k++) {
            side[rows[k]] = 1;
            position[rows[k]] = k;
        }
        for (int l = 0; l < columns.length; l++) {
            if (side[columns[l]] != 0) {
                throw new IllegalStateException("row " + columns[l] + " is in both the rows and the columns of the block");
            }
            side[columns[l]] = 2;
            position[columns[l]] = l;
        }
    }

    /** b. */
    int rows() {
        return b;
    }

    /** The block, or null for all pairs. */
    PairLoss.Block block() {
        return block;
    }

    /** The array's length: b^2, or m n + b. */
    int size() {
        return block == null ? b * b : block.rows().length * block.columns().length + b;
    }

    /** Where (i, i) lives. */
    int diagonal(int i) {
        return block == null ? i * b + i : block.rows().length * block.columns().length + i;
    }

    /** Where (i, j), i != j, lives; refuses a pair outside the block (its similarity was never formed). */
    int index(int i, int j) {
        if (block == null) {
            return i * b + j;
        }
        if (side[i] + side[j] != 3) {
            throw outside(i, j);
        }
        int n = block.columns().length;
        return side[i] == 1 ? position[i] * n + position[j] : position[j] * n + position[i];
    }

    private static IllegalStateException outside(int i, int j) {
        return new IllegalStateException("the loss reads the pair (" + i + ", " + j + "), outside the block of rows x columns it declared");
    }

    /** Where (i, j) lives, the diagonal included. */
    int at(int i, int j) {
        return i == j ? diagonal(i) : index(i, j);
    }

    /** With a block: the b x b array of a block-layout array (zero outside the block and the diagonal), for the engine. */
    double[] toFull(double[] compact) {
        if (block == null) {
            return compact;
        }
        double[] full = new double[b * b];
        int[] rows = block.rows();
        int[] columns = block.columns();
        int n = columns.length;
        for (int k = 0; k < rows.length; k++) {
            for (int l = 0; l < n; l++) {
                double v = compact[k * n + l];
                full[rows[k] * b + columns[l]] = v;
                full[columns[l] * b + rows[k]] = v;
            }
        }
        for (int i = 0; i < b; i++) {
            full[i * b + i] = compact[diagonal(i)];
        }
        return full;
    }

    /** With a block: a b x b array's entries at the block and the diagonal, in this layout. */
    double[] fromFull(double[] full) {
        if (block == null) {
            return full;
        }
        double[] compact = new double[size()];
        int[] rows = block.rows();
        int[] columns = block.columns();
        int n = columns.length;
        for (int k = 0; k < rows.length; k++) {
            for (int l = 0; l < n; l++) {
                compact[k * n + l] = full[rows[k] * b + columns[l]];
            }
        }
        for (int i = 0; i < b; i++) {
            compact[diagonal(i)] = full[i * b + i];
        }
        return compact;
    }
}
