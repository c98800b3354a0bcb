package org.embreg.experiments.retrieval;

/**
 * A class-balanced batch: p classes x l samples, laid out class by class.
 *
 * @param classesPerBatch p
 * @param samplesPerClass l
 */
public record BatchLayout(int classesPerBatch, int samplesPerClass) {
    public BatchLayout {
        if (classesPerBatch < 1 || samplesPerClass < 1) {
            throw new IllegalArgumentException("a batch layout needs p >= 1 and l >= 1, got " + classesPerBatch + " x " + samplesPerClass);
        }
    }

    /** b = p x l. */
    public int batchSize() {
        return classesPerBatch * samplesPerClass;
    }

    /** Labels of a synthetic batch in this layout: row i has label i / l. */
    public int[] labels() {
        int[] y = new int[batchSize()];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / samplesPerClass;
        }
        return y;
    }
}
