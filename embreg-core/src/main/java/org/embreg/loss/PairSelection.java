package org.embreg.loss;

import java.util.ArrayList;
import java.util.List;

/**
 * Index pairs (i, j) chosen from a batch's labels: positive pairs share a label, negative pairs do
 * not. Built on the host from int labels, once per batch, and shared by the pair-based losses.
 *
 * @param positiveFirst first index of each positive pair
 * @param positiveSecond second index of each positive pair
 * @param negativeFirst first index of each negative pair
 * @param negativeSecond second index of each negative pair
 */
public record PairSelection(int[] positiveFirst, int[] positiveSecond, int[] negativeFirst, int[] negativeSecond) {

    public int positives() {
        return positiveFirst.length;
    }

    public int negatives() {
        return negativeFirst.length;
    }

    /**
     * The paper's balanced pairs for a batch laid out as consecutive samples of the same class
     * (p classes x l samples): rows (0,1), (2,3), ... that share a label are the positive pairs; each
     * positive pair's first row is then paired with the second row of the next pair (cyclically)
     * whose label differs, giving as many negative pairs as positive ones whenever the batch holds
     * two or more classes. With p = 36, l = 4 this gives 72 of each. Rows in odd-sized leftovers or
     * in pairs of mixed labels are not used as positives.
     */
    public static PairSelection balanced(int[] labels) {
        List<int[]> pos = new ArrayList<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (labels[i] == labels[i + 1]) {
                pos.add(new int[] {i, i + 1});
            }
        }
        int m = pos.size();
        List<int[]> neg = new ArrayList<>();
        for (int k = 0; k < m; k++) {
            int anchor = pos.get(k)[0];
            for (int step = 1; step < m; step++) {
                int[] other = pos.get((k + step) % m);
                if (labels[other[1]] != labels[anchor]) {
                    neg.add(new int[] {anchor, other[1]});
                    break;
                }
            }
        }
        return of(pos, neg);
    }

    /** Every pair i &lt; j, positive or negative by label (pytorch-metric-learning's default). */
    public static PairSelection all(int[] labels) {
        List<int[]> pos = new ArrayList<>();
        List<int[]> neg = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            for (int j = i + 1; j < labels.length; j++) {
                (labels[i] == labels[j] ? pos : neg).add(new int[] {i, j});
            }
        }
        return of(pos, neg);
    }

    private static PairSelection of(List<int[]> pos, List<int[]> neg) {
        return new PairSelection(column(pos, 0), column(pos, 1), column(neg, 0), column(neg, 1));
    }

    private static int[] column(List<int[]> pairs, int c) {
        int[] out = new int[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = pairs.get(i)[c];
        }
        return out;
    }
}
