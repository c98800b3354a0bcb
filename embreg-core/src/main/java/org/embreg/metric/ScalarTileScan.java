package org.embreg.metric;

import java.nio.ByteBuffer;

/** {@link TileScan} in plain loops over a copy of the tile (for JVMs without the vector API). */
final class ScalarTileScan implements TileScan {
    private float[] values = new float[0];
    private float[] columnFloor = new float[0];

    @Override
    public void offDiagonal(ByteBuffer tile, int rows, int cols, int i0, int j0, CandidateBuffers buffers) {
        int size = rows * cols;
        if (values.length < size) {
            values = new float[size];
        }
        if (columnFloor.length < cols) {
            columnFloor = new float[cols];
        }
        tile.asFloatBuffer().get(values, 0, size);
        float[] colFloor = columnFloor;
        buffers.floors(j0, cols, colFloor);
        for (int t = 0; t < rows; t++) {
            int row = i0 + t;
            int base = t * cols;
            float rowFloor = buffers.floor(row);
            for (int c = 0; c < cols; c++) {
                rowFloor = TileScan.offerEntry(buffers, row, rowFloor, colFloor, j0, c, values[base + c]);
            }
        }
    }
}
