package org.embreg.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.embreg.EmbregException;

/**
 * Records the outputs of chosen blocks of a {@link SequentialBlock} network into a {@link LayerCaptures}
 * sink during training forward passes, without changing the network. DJL has no forward hooks, so
 * this wrapper runs the network's children itself, one after another as {@code SequentialBlock}
 * does, and records the output of each capture point: the same array the next block consumes, on
 * the autograd graph. In inference it calls the network as it is and records nothing.
 *
 * <p>A capture point is a child's path: its key in the sequential block ({@code "03LambdaBlock"};
 * DJL names children by position and class) or, for a child of a nested sequential block, the keys
 * joined by '/' ({@code "04SequentialBlock/02Conv2d"}). A nested sequential block is walked child by
 * child only when a point lies inside it; any other block (a parallel block such as a residual unit,
 * a lambda, a custom block) is one step, so points inside a parallel block cannot be captured: capture
 * the whole unit. {@link #layers} picks one point per layer.
 *
 * <p>Everything else is the wrapped network's: parameters (with the same paths), children,
 * initialization, shapes, and saved parameters (the same bytes), so checkpoints of the wrapped and
 * the plain network are interchangeable.
 */
public final class CapturingBlock implements Block {
    private final SequentialBlock network;
    private final Set<String> points;
    private final LayerCaptures captures;

    /**
     * @param network the network whose blocks are captured
     * @param points the capture points, in the order they run
     * @param captures where training forward passes record
     * @throws EmbregException naming the network's paths when a point is not one of them
     */
    public CapturingBlock(SequentialBlock network, List<String> points, LayerCaptures captures) {
        this.network = java.util.Objects.requireNonNull(network, "network");
        this.captures = java.util.Objects.requireNonNull(captures, "captures");
        if (network.isReturnIntermediate()) {
            throw new EmbregException("cannot capture inside a sequential block that returns its intermediate outputs");
        }
        List<String> known = paths(network);
        for (String p : points) {
            if (!known.contains(p)) {
                throw new EmbregException("the network has no block at capture point '" + p + "'; its blocks are " + String.join(", ", known));
            }
        }
        this.points = new LinkedHashSet<>(points);
        if (this.points.size() != points.size()) {
            throw new EmbregException("capture points are listed more than once: " + points);
        }
    }

    /** The wrapped network. */
    public SequentialBlock network() {
        return network;
    }

    /** The capture points, in the order given. */
    public List<String> points() {
        return List.copyOf(points);
    }

    public LayerCaptures captures() {
        return captures;
    }

    /** Every path of a sequential network that can be a capture point: its children, and those of nested sequential blocks. */
    public static List<String> paths(SequentialBlock network) {
        List<String> out = new ArrayList<>();
        collect(network, "", out);
        return out;
    }

    private static void collect(SequentialBlock block, String prefix, List<String> out) {
        for (Pair<String, Block> child : block.getChildren()) {
            out.add(prefix + child.getKey());
            if (child.getValue() instanceof SequentialBlock nested && !nested.isReturnIntermediate()) {
                collect(nested, prefix + child.getKey() + "/", out);
            }
        }
    }

    /**
     * One capture point per layer of a sequential network, from its top-level children: a layer
     * starts at a child with parameters other than a normalization (BatchNorm, LayerNorm) and runs
     * through the children after it that have no parameters or normalize; its point is the layer's
     * last child whose output has the rank of the layer's first output (after activation and
     * pooling, before a flatten). For two convolutions with ReLU and pooling and a linear layer:
     * each pooled map and the linear output; for a ResNet: the stem (after its ReLU where it has one)
     * and each residual unit, and the linear output where there is one.
     *
     * @param inputShapes the network's input shapes (batch axis included)
     */
    public static List<String> layers(SequentialBlock network, Shape... inputShapes) {
        List<String> out = new ArrayList<>();
        Shape[] shapes = inputShapes;
        String point = null;
        int rank = -1;
        for (Pair<String, Block> child : network.getChildren()) {
            Block block = child.getValue();
            shapes = block.getOutputShapes(shapes);
            boolean normalizes = block instanceof BatchNorm || block instanceof LayerNorm;
            if (!block.getParameters().isEmpty() && !normalizes) {
                if (point != null) {
                    out.add(point);
                }
                point = child.getKey();
                rank = shapes[0].dimension();
            } else if (point != null && shapes[0].dimension() == rank) {
                point = child.getKey();
            }
        }
        if (point != null) {
            out.add(point);
        }
        return out;
    }

    @Override
    public NDList forward(ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        captures.pass(training);
        if (!training || points.isEmpty()) {
            return network.forward(parameterStore, inputs, training, params);
        }
        if (!network.isInitialized()) {
            // as AbstractBaseBlock.forward does before a training pass
            network.initialize(parameterStore.getManager(), DataType.FLOAT32, inputs.getShapes());
        }
        return walk(network, "", inputs, parameterStore);
    }

    private NDList walk(SequentialBlock block, String prefix, NDList inputs, ParameterStore store) {
        NDList x = inputs;
        for (Pair<String, Block> child : block.getChildren()) {
            String path = prefix + child.getKey();
            if (child.getValue() instanceof SequentialBlock nested && !nested.isReturnIntermediate() && holdsPoint(path + "/")) {
                x = walk(nested, path + "/", x, store);
            } else {
                // as SequentialBlock's training forward: each child with the store alone
                x = child.getValue().forward(store, x, true);
            }
            if (points.contains(path)) {
                captures.record(path, x.head());
            }
        }
        return x;
    }

    private boolean holdsPoint(String prefix) {
        for (String p : points) {
            if (p.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void setInitializer(Initializer initializer, Parameter.Type type) {
        network.setInitializer(initializer, type);
    }

    @Override
    public void setInitializer(Initializer initializer, String paramName) {
        network.setInitializer(initializer, paramName);
    }

    @Override
    public void setInitializer(Initializer initializer, Predicate<Parameter> predicate) {
        network.setInitializer(initializer, predicate);
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        network.initialize(manager, dataType, inputShapes);
    }

    @Override
    public boolean isInitialized() {
        return network.isInitialized();
    }

    @Override
    public void cast(DataType dataType) {
        network.cast(dataType);
    }

    @Override
    public void clear() {
        network.clear();
    }

    @Override
    public PairList<String, Shape> describeInput() {
        return network.describeInput();
    }

    @Override
    public BlockList getChildren() {
        return network.getChildren();
    }

    @Override
    public ParameterList getDirectParameters() {
        return network.getDirectParameters();
    }

    @Override
    public ParameterList getParameters() {
        return network.getParameters();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return network.getOutputShapes(inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes, DataType[] dataTypes) {
        return network.getOutputShapes(inputShapes, dataTypes);
    }

    @Override
    public Shape[] getInputShapes() {
        return network.getInputShapes();
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return network.getOutputDataTypes();
    }

    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        network.saveParameters(os);
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        network.loadParameters(manager, is);
    }

    @Override
    public void freezeParameters(boolean freeze) {
        network.freezeParameters(freeze);
    }

    @Override
    public void freezeParameters(boolean freeze, Predicate<Parameter> pred) {
        network.freezeParameters(freeze, pred);
    }

    @Override
    public String toString() {
        return "CapturingBlock" + points + " of " + network;
    }
}
