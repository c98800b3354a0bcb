package org.embreg.metric;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileScan} with the JDK's vector API: each lane group of a tile row is compared at once with the row's floor
 * and the columns' floors, and only the lanes that beat one of them are offered (in lane order, as the plain loop
 * would). Loaded only when {@link TileScans#VECTOR} says the module is present.
 */
final class VectorTileScan implements TileScan {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private final float[] lanes = new float[SPECIES.length()];
    private float[] columnFloor = new float[0];

    @Override
    public void offDiagonal(ByteBuffer tile, int rows, int cols, int i0, int j0, CandidateBuffers buffers) {
        if (columnFloor.length < cols) {
            columnFloor = new float[cols];
        }
        float[] colFloor = columnFloor;
        buffers.floors(j0, cols, colFloor);
        ByteOrder order = tile.order();
        int width = SPECIES.length();
        int bound = SPECIES.loopBound(cols);
        for (int t = 0; t < rows; t++) {
            int row = i0 + t;
            int base = t * cols;
            float rowFloor = buffers.floor(row);
            FloatVector rowFloors = FloatVector.broadcast(SPECIES, rowFloor);
            int c = 0;
            for (; c < bound; c += width) {
                FloatVector v = FloatVector.fromByteBuffer(SPECIES, tile, (base + c) * Float.BYTES, order);
                VectorMask<Float> above = v.compare(VectorOperators.GT, rowFloors).or(v.compare(VectorOperators.GT, FloatVector.fromArray(SPECIES, colFloor, c)));
                if (above.anyTrue()) {
                    v.intoArray(lanes, 0);
                    for (int lane = 0; lane < width; lane++) {
                        rowFloor = TileScan.offerEntry(buffers, row, rowFloor, colFloor, j0, c + lane, lanes[lane]);
                    }
                    rowFloors = FloatVector.broadcast(SPECIES, rowFloor);
                }
            }
            for (; c < cols; c++) {
                rowFloor = TileScan.offerEntry(buffers, row, rowFloor, colFloor, j0, c, tile.getFloat((base + c) * Float.BYTES));
            }
        }
    }
}
