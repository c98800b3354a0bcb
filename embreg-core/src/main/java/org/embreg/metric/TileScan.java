package org.embreg.metric;

import java.nio.ByteBuffer;

/**
 * Offers the entries of one tile of a similarity matrix to the rows' running k best ({@link CandidateBuffers}). Every
 * implementation offers the same entries in the same order (row-major; for each entry its row first, then its column),
 * so that they keep the same candidates; they differ only in how fast they reject the entries below both floors.
 */
interface TileScan {
    /**
     * A tile off the diagonal: entry (t, c) of the rows x cols tile (row-major floats in native order) scores row
     * i0 + t against row j0 + c, and is offered to both.
     */
    void offDiagonal(ByteBuffer tile, int rows, int cols, int i0, int j0, CandidateBuffers buffers);

    /** A tile on the diagonal (rows x rows from row i0): each pair above the diagonal is offered to both its rows. */
    default void diagonal(ByteBuffer tile, int rows, int i0, CandidateBuffers buffers) {
        for (int t = 0; t < rows; t++) {
            int row = i0 + t;
            int base = t * rows;
            for (int c = t + 1; c < rows; c++) {
                float v = tile.getFloat((base + c) * Float.BYTES);
                offerBoth(buffers, row, i0 + c, v);
            }
        }
    }

    /**
     * Offers entry (row, j0 + col) of an off-diagonal tile to its row, then to its column, given the row's floor and
     * the tile's copy of the columns' floors (updated here); returns the row's floor after.
     */
    static float offerEntry(CandidateBuffers buffers, int row, float rowFloor, float[] colFloor, int j0, int col, float x) {
        float floor = rowFloor;
        if (x > floor) {
            buffers.offer(row, x, j0 + col);
            floor = buffers.floor(row);
        }
        if (x > colFloor[col]) {
            buffers.offer(j0 + col, x, row);
            colFloor[col] = buffers.floor(j0 + col);
        }
        return floor;
    }

    /** Offers a pair's score to its row, then to its column. */
    static void offerBoth(CandidateBuffers buffers, int row, int column, float v) {
        if (v > buffers.floor(row)) {
            buffers.offer(row, v, column);
        }
        if (v > buffers.floor(column)) {
            buffers.offer(column, v, row);
        }
    }

    /**
     * The fastest scan this JVM offers: the JDK's vector API when the {@code jdk.incubator.vector} module is present
     * (the launcher and the tests add it), else plain loops. A new scan for each search (it keeps buffers).
     */
    static TileScan fastest() {
        return TileScans.VECTOR ? new VectorTileScan() : new ScalarTileScan();
    }
}
