package org.embreg.metric;

import java.util.Arrays;

/**
 * The k best candidates of every row by a float score, ranked by score and then by the lower index. Each row keeps an
 * unordered buffer of up to k + k/2 candidates (at least 16 more than k) and a floor, the k-th best score at its last
 * compaction (-infinity until it has k): a candidate enters when it beats the floor, and a full buffer is cut back to
 * its k best by selection. So an offer costs an append, whatever k is; a heap per row costs log k cache misses when k
 * is a class size (MAP@R asks for about a thousand).
 *
 * <p>Each entry is one long: the score's bits mapped to a signed order, complemented (best first), above the index,
 * so that ascending longs are the ranking.
 */
final class CandidateBuffers {
    private final int k;
    private final int capacity;
    private final long[] entries;
    private final int[] filled;
    private final float[] floor;

    CandidateBuffers(int rows, int k) {
        this.k = k;
        this.capacity = k + Math.max(k / 2, 16);
        this.entries = new long[Math.multiplyExact(rows, capacity)];
        this.filled = new int[rows];
        this.floor = new float[rows];
        Arrays.fill(floor, Float.NEGATIVE_INFINITY);
    }

    /** The score a candidate of this row must exceed. */
    float floor(int row) {
        return floor[row];
    }

    /** The floors of rows from .. from + count, copied into into[0 .. count). */
    void floors(int from, int count, float[] into) {
        System.arraycopy(floor, from, into, 0, count);
    }

    /** Keeps the candidate if it beats the row's floor (callers test that first, as the scans do). */
    void offer(int row, float value, int candidate) {
        int base = row * capacity;
        int size = filled[row];
        entries[base + size] = key(value, candidate);
        size++;
        if (size == capacity) {
            select(entries, base, base + size - 1, base + k - 1);
            size = k;
            floor[row] = value(entries[base + k - 1]);
        }
        filled[row] = size;
    }

    /**
     * Every row's k best, best first, in the rows' original numbering: row {@code visit[p]} of the result is position p
     * here, and a candidate at position c is row {@code visit[c]} (the buffers are consumed).
     *
     * @param indices out: rows x k original indices, row-major
     * @param scores out: their float scores
     */
    void sorted(int[] visit, int[] indices, float[] scores) {
        int rows = filled.length;
        for (int p = 0; p < rows; p++) {
            int base = p * capacity;
            int size = filled[p];
            if (size < k) {
                throw new IllegalStateException("row " + visit[p] + " has " + size + " candidates, fewer than " + k);
            }
            Arrays.sort(entries, base, base + size);
            int at = visit[p] * k;
            for (int j = 0; j < k; j++) {
                indices[at + j] = visit[(int) entries[base + j]];
                scores[at + j] = value(entries[base + j]);
            }
        }
    }

    static long key(float value, int index) {
        int bits = Float.floatToRawIntBits(value);
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ordered << 32) | (index & 0xffffffffL);
    }

    static float value(long key) {
        int ordered = ~(int) (key >> 32);
        return Float.intBitsToFloat(ordered ^ ((ordered >> 31) & 0x7fffffff));
    }

    /** Reorders a[lo .. hi] so that a[nth] holds what a sort would put there, smaller entries before it and larger after (Hoare's selection). */
    static void select(long[] a, int lo, int hi, int nth) {
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            long pivot = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (nth <= j) {
                hi = j;
            } else if (nth >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
