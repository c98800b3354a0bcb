package org.embreg.loss;

/**
 * The anchor/positive pairs of an N-pair style batch: rows (0, 1), (2, 3), ... that share a label
 * (p classes x l = 2 samples in the paper, one pair per class).
 *
 * @param anchors the first row of each pair
 * @param positives the second row of each pair
 */
record AnchorPositivePairs(int[] anchors, int[] positives) {
    static AnchorPositivePairs of(int[] labels) {
        PairSelection s = PairSelection.balanced(labels);
        return new AnchorPositivePairs(s.positiveFirst(), s.positiveSecond());
    }

    int size() {
        return anchors.length;
    }
}
