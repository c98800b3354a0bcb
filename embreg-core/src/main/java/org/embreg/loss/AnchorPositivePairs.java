package org.embreg.loss;

/**
 * The anchor/positive pairs of an N-pair style batch: rows (0, 1), (2, 3), ... that share a label
 * (p classes x l = 2 samples in the paper, one pair per class).
 *
 * @param anchors the first row of each pair
 * @param positives the second row of each pair
 * @param otherLabelOrSelf for anchor k, whether pair j's positive counts against it: j = k, or a positive of
 *     another label (one of the same label in another pair is left out); built once per batch layout
 */
record AnchorPositivePairs(int[] anchors, int[] positives, boolean[][] otherLabelOrSelf) {
    static AnchorPositivePairs of(int[] labels) {
        PairSelection s = PairSelection.balanced(labels);
        int[] anchors = s.positiveFirst();
        int[] positives = s.positiveSecond();
        int m = anchors.length;
        boolean[][] counts = new boolean[m][m];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < m; j++) {
                counts[k][j] = j == k || labels[positives[j]] != labels[anchors[k]];
            }
        }
        return new AnchorPositivePairs(anchors, positives, counts);
    }

    int size() {
        return anchors.length;
    }
}
