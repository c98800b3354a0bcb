package org.embreg.regularizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.embreg.EmbregException;
import org.embreg.NonFiniteException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.embreg.linalg.EigenSolvers;
import org.embreg.linalg.NuclearNorm;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.BatchSpectrumSource;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.Embeddings;
import org.embreg.loss.TermValue.Aggregate;

/**
 * SVMax (Taha et al. 2021): maximizes the mean singular value s_mu = ||E||_* / d of a mini-batch of
 * embeddings E (b x d) so that the embedding does not collapse.
 *
 * <ul>
 *   <li>{@link Form#BOUNDED}: lambda * exp((U - s_mu) / (U - L)) with the bounds of
 *       {@link SvmaxBounds}; rows are L2-normalized first (the default; turn it off only for rows
 *       that are already unit length).
 *   <li>{@link Form#VANILLA}: -lambda * s_mu on rows as given, for outputs that are not
 *       normalized, such as a GAN generator's.
 * </ul>
 *
 * The gradient is exact (U V^T / d), through {@link NuclearNorm}; it holds for b &lt; d too.
 * Reports {@code svmax.meanSingularValue} and {@code svmax.loss}.
 *
 * <p>An instance evaluates one batch at a time (like every {@link EmbeddingLoss}, it keeps the last
 * evaluation's terms; it also keeps its host arrays from one batch to the next): give each thread that
 * evaluates concurrently its own instance.
 */
public final class SvmaxRegularizer extends EmbeddingLoss implements BatchSpectrumSource {
    /** Which SVMax objective. */
    public enum Form {
        /** lambda * exp((U - s_mu)/(U - L)), for L2-normalized rows. */
        BOUNDED,
        /** -lambda * s_mu, for rows that are not normalized. */
        VANILLA
    }

    private final Form form;
    private final double lambda;
    private final boolean normalize;
    private final SymmetricEigenSolver solver;
    private double[] lastSingularValues = new double[0];
    private NDArray lastInput;
    /** The batch, its polar factor and the rounded gradient, kept from one batch to the next of the same size. */
    private double[] hostBatch = new double[0];
    private double[] hostPolar = new double[0];
    private float[] hostGradient = new float[0];

    private SvmaxRegularizer(Builder b) {
        super(b.name, 1, false);
        this.form = b.form;
        this.lambda = b.lambda;
        this.normalize = b.normalize == null ? b.form == Form.BOUNDED : b.normalize;
        this.solver = b.solver != null ? b.solver : EigenSolvers.fastest();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Form form() {
        return form;
    }

    public double lambda() {
        return lambda;
    }

    public boolean normalizesRows() {
        return normalize;
    }

    /** Singular values of the last evaluated batch (after normalization), descending. */
    public double[] lastSingularValues() {
        return lastSingularValues.clone();
    }

    /** The eigensolver of the Gram matrix. */
    public SymmetricEigenSolver eigenSolver() {
        return solver;
    }

    @Override
    public Optional<double[]> normalizedSingularValues(NDArray embeddings) {
        return normalize && embeddings == lastInput && lastInput != null ? Optional.of(lastSingularValues.clone()) : Optional.empty();
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("form", form.name());
        m.put("lambda", lambda);
        m.put("normalizeRows", normalize);
        m.put("eigenSolver", solver.name());
        return m;
    }

    @Override
    protected boolean checksFinitenessOnHost() {
        // compute reads every input value on the host
        return true;
    }

    /**
     * On the host, in double: the rows are read in one transfer and normalized there, the nuclear norm
     * and its polar factor come from {@link NuclearNorm}, the chain rule through the loss and the
     * normalization gives dL/dE, and the value enters the graph with it ({@link Embeddings#withGradient}).
     */
    @Override
    protected NDArray compute(NDList views, NDArray labels) {
        NDArray e = views.get(0);
        lastInput = null;
        int b = Math.toIntExact(e.getShape().get(0));
        int d = Math.toIntExact(e.getShape().get(1));
        SvmaxBounds bounds = new SvmaxBounds(b, d);
        if (form == Form.BOUNDED && !bounds.isProper()) {
            throw new EmbregException(getName() + ": the bounded form needs at least 2 rows and 2 columns, got " + b + " x " + d);
        }
        NDArray input = Embeddings.hostPrecision(e);
        if (hostBatch.length != b * d) {
            hostBatch = new double[b * d];
            hostPolar = new double[b * d];
        }
        // the rounded gradient's array, for float32 (a float64 gradient goes to the engine as it is)
        float[] rounded = null;
        if (input.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
            if (hostGradient.length != b * d) {
                hostGradient = new float[b * d];
            }
            rounded = hostGradient;
        }
        double[] x = Embeddings.hostValues(input.stopGradient(), hostBatch);
        Embeddings.RowNorms norms = null;
        if (normalize) {
            norms = Embeddings.RowNorms.normalize(x, b);
            // a NaN or an infinity makes its row's norm NaN (so clamped) or infinite, and leaves a NaN in the row
            for (int i = 0; i < b; i++) {
                if (norms.clamped()[i] || norms.norms()[i] == Double.POSITIVE_INFINITY) {
                    requireFiniteRows(x, i, i + 1, d, views);
                }
            }
        } else {
            requireFiniteRows(x, 0, b, d, views);
        }
        NuclearNorm nuc = NuclearNorm.of(x, b, d, solver, hostPolar);
        lastSingularValues = nuc.singularValues();
        lastInput = views.get(0);
        double meanSv = nuc.value() / d;
        report("svmax.meanSingularValue", meanSv, Aggregate.BATCH);
        double value;
        // dL/d||X||_*
        double slope;
        if (form == Form.BOUNDED) {
            // lambda * exp((U - ||X||_*/d) / (U - L))
            value = lambda * bounds.boundedLoss(meanSv);
            slope = -value / (d * (bounds.upper() - bounds.lower()));
        } else {
            value = -lambda * meanSv;
            slope = -lambda / d;
        }
        report("svmax.loss", value, Aggregate.BATCH);
        double[] gradient = nuc.polar();
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] *= slope;
        }
        if (norms != null) {
            norms.backThroughNormalization(x, gradient);
        }
        return Embeddings.inTypeOf(Embeddings.withGradient(input, Embeddings.hostMatrix(input, gradient, input.getShape(), rounded), value), e);
    }

    /** Rows [from, to) of the host batch are finite, or the views are checked on the engine and the row is named. */
    private void requireFiniteRows(double[] x, int from, int to, int d, NDList views) {
        for (int i = from * d; i < to * d; i++) {
            if (!Double.isFinite(x[i])) {
                requireFinite(views);
                throw new NonFiniteException(NonFiniteException.Source.INPUT, "row " + i / d + " of " + getName() + "'s input");
            }
        }
    }

    /** Builds an {@link SvmaxRegularizer}: bounded form, lambda = 1 by default. */
    public static final class Builder {
        private String name = "svmax";
        private Form form = Form.BOUNDED;
        private double lambda = 1.0;
        private Boolean normalize;
        private SymmetricEigenSolver solver;

        public Builder optForm(Form form) {
            this.form = form;
            return this;
        }

        public Builder optLambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /** Whether rows are L2-normalized first; default true for BOUNDED, false for VANILLA. */
        public Builder optNormalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /** The host eigensolver of the Gram matrix (default: {@link EigenSolvers#fastest()}). */
        public Builder optEigenSolver(SymmetricEigenSolver solver) {
            this.solver = java.util.Objects.requireNonNull(solver, "solver");
            return this;
        }

        public SvmaxRegularizer build() {
            if (!Double.isFinite(lambda) || lambda < 0) {
                throw new IllegalArgumentException("lambda must be a finite number >= 0, got " + lambda);
            }
            return new SvmaxRegularizer(this);
        }
    }
}
