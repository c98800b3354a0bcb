package org.embreg.regularizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.embreg.EmbregException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.embreg.linalg.EigenSolvers;
import org.embreg.linalg.NuclearNorm;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.BatchSpectrumSource;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.Embeddings;
import org.embreg.loss.Scalars;
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
    protected NDArray compute(NDList views, NDArray labels) {
        NDArray e = views.get(0);
        lastInput = null;
        int b = Math.toIntExact(e.getShape().get(0));
        int d = Math.toIntExact(e.getShape().get(1));
        if (normalize) {
            e = Embeddings.l2NormalizeRows(e);
        }
        NuclearNorm.Result nuc = NuclearNorm.of(e, solver);
        lastSingularValues = nuc.singularValues();
        lastInput = views.get(0);
        double meanSv = 0;
        for (double v : lastSingularValues) {
            meanSv += v;
        }
        meanSv /= d;
        report("svmax.meanSingularValue", meanSv, Aggregate.BATCH);
        NDArray loss;
        if (form == Form.BOUNDED) {
            SvmaxBounds bounds = new SvmaxBounds(b, d);
            if (!bounds.isProper()) {
                throw new EmbregException(getName() + ": the bounded form needs at least 2 rows and 2 columns, got " + b + " x " + d);
            }
            double u = bounds.upper();
            double l = bounds.lower();
            // lambda * exp((U - ||E||_*/d) / (U - L)) = exp(||E||_* * c + U / (U - L) + ln lambda), c = -1 / (d (U - L))
            NDArray scaled = Scalars.mul(nuc.value(), -1.0 / (d * (u - l)));
            // Scalars.add keeps the embeddings' type: x.add(double) would promote float32 to float64
            loss = lambda > 0 ? Scalars.add(scaled, u / (u - l) + Math.log(lambda)).exp() : Scalars.mul(scaled, 0);
            report("svmax.loss", lambda * bounds.boundedLoss(meanSv), Aggregate.BATCH);
        } else {
            loss = Scalars.mul(nuc.value(), -lambda / d);
            report("svmax.loss", -lambda * meanSv, Aggregate.BATCH);
        }
        return loss;
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
