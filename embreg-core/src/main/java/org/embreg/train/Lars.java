package org.embreg.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LARS (You et al. 2017) as the official VICReg code uses it: for each parameter p with gradient g,
 * <pre>
 *   d = g + weightDecay * p                      (not for 1-D parameters: biases, normalization)
 *   d = d * eta * ||p|| / ||d||   if ||p|| &gt; 0 and ||d|| &gt; 0   (not for 1-D parameters)
 *   mu = momentum * mu + d;   p = p - lr * mu
 * </pre>
 * 1-D parameters (biases and the scales and shifts of batch normalization) get neither weight
 * decay nor the trust ratio, as the official {@code exclude_bias_and_norm} filter decides by
 * {@code p.ndim == 1}. After the update the parameter's gradient is cleared, as DJL's engine
 * optimizers do.
 */
public final class Lars extends Optimizer {
    private final ParameterTracker learningRate;
    private final float momentum;
    private final float eta;
    private final float weightDecay;
    private final Map<String, Map<Device, NDArray>> momentumStates = new ConcurrentHashMap<>();

    private Lars(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.eta = b.eta;
        this.weightDecay = b.weightDecay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a parameter of this rank gets weight decay and the trust ratio (not biases and normalization: rank 1). */
    public static boolean adapts(NDArray weight) {
        return weight.getShape().dimension() != 1;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = learningRate.getNewValue(parameterId, updateCount(parameterId));
        NDArray mu = withDefaultState(momentumStates, parameterId, weight.getDevice(), k -> weight.zerosLike());
        try (NDArray step = direction(weight, grad)) {
            mu.muli(momentum).addi(step);
        }
        try (NDArray delta = mu.mul(lr)) {
            weight.subi(delta);
        }
        if (weight.hasGradient()) {
            try (NDArray g = weight.getGradient()) {
                g.subi(g);
            }
        }
    }

    /**
     * The momentum of every parameter of {@code block} that has one, each named by the parameter's
     * path in the block ({@link Block#getParameters()}: stable from run to run, unlike DJL's
     * parameter ids), for a checkpoint. The arrays are copies on {@code manager}; the caller closes
     * them.
     */
    public NDList momentum(Block block, NDManager manager) {
        NDList out = new NDList();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Map<Device, NDArray> state = momentumStates.get(p.getValue().getId());
            if (state == null || state.isEmpty()) {
                continue;
            }
            NDArray copy = state.values().iterator().next().duplicate();
            copy.attach(manager); // no host round trip: on a GPU that would leave a host copy on the optimizer's manager
            copy.setName(p.getKey());
            out.add(copy);
        }
        return out;
    }

    /**
     * Continues from a checkpoint's {@link #momentum}: each saved array becomes the momentum of the
     * parameter of {@code block} with its name (a copy on the parameter's manager). Build the
     * optimizer with {@code optBeginNumUpdate(updates)} so the schedule goes on from there too.
     *
     * @throws IllegalArgumentException when a name is not a parameter of the block or a shape differs
     */
    public void restoreMomentum(Block block, NDList saved) {
        Map<String, Parameter> byName = new java.util.HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            byName.put(p.getKey(), p.getValue());
        }
        for (NDArray mu : saved) {
            Parameter p = byName.get(mu.getName());
            if (p == null || !p.isInitialized() || !p.getArray().getShape().equals(mu.getShape())) {
                throw new IllegalArgumentException("the saved momentum of '" + mu.getName() + "' " + mu.getShape()
                        + " does not match a parameter of the network" + (p == null || !p.isInitialized() ? "" : " " + p.getArray().getShape()));
            }
            NDArray weight = p.getArray();
            NDArray copy = weight.getManager().create(mu.toByteBuffer(), mu.getShape(), mu.getDataType());
            Map<Device, NDArray> state = new ConcurrentHashMap<>();
            state.put(weight.getDevice(), copy);
            momentumStates.put(p.getId(), state);
        }
    }

    /** d for one parameter: the gradient with weight decay, scaled by the trust ratio, or the gradient alone for a 1-D parameter. */
    private NDArray direction(NDArray weight, NDArray grad) {
        if (!adapts(weight)) {
            return grad.duplicate();
        }
        NDArray d = weightDecay == 0 ? grad.duplicate() : grad.add(weight.mul(weightDecay));
        double pNorm;
        double dNorm;
        try (NDArray pn = weight.norm(); NDArray dn = d.norm()) {
            pNorm = pn.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            dNorm = dn.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
        if (pNorm > 0 && dNorm > 0) {
            d.muli((float) (eta * pNorm / dNorm));
        }
        return d;
    }

    /** Builds {@link Lars}; defaults are the official code's: momentum 0.9, eta 0.001, no weight decay. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate;
        private float momentum = 0.9f;
        private float eta = 0.001f;
        private float weightDecay;

        Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** The learning rate (required), e.g. a {@link WarmupCosineTracker}. */
        public Builder setLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** The trust coefficient (0.001). */
        public Builder optEta(float eta) {
            this.eta = eta;
            return this;
        }

        /** Weight decay of the parameters that are not 1-D (VICReg: 1e-6). */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Lars build() {
            Objects.requireNonNull(learningRate, "Lars needs a learning rate tracker");
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (!(eta > 0) || !Float.isFinite(eta)) {
                throw new IllegalArgumentException("eta must be positive and finite, got " + eta);
            }
            if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
            }
            return new Lars(this);
        }
    }
}
