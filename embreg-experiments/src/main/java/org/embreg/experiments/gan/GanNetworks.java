package org.embreg.experiments.gan;

import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.UniformInitializer;

/**
 * The generator and discriminator of the unrolled-GAN code the SVMax paper used
 * (andrewliao11/unrolled-gans): three linear layers each, 128 hidden units. Every linear layer is
 * initialized as PyTorch's {@code nn.Linear} is by default (weights Kaiming-uniform with a =
 * sqrt(5), which is uniform in +-1/sqrt(fan_in); biases uniform in +-1/sqrt(fan_in)), since a GAN's
 * dynamics depend on its initialization.
 */
public final class GanNetworks {
    /** Hidden units of both networks. */
    public static final int HIDDEN = 128;

    private GanNetworks() {}

    /** Linear(noise, 128)-tanh-Linear(128, 128)-tanh-Linear(128, 2): noise in, a 2-D point out. */
    public static SequentialBlock generator(int noiseDim) {
        return new SequentialBlock().add(linear(noiseDim, HIDDEN)).add(Activation.tanhBlock()).add(linear(HIDDEN, HIDDEN))
                .add(Activation.tanhBlock()).add(linear(HIDDEN, 2));
    }

    /** Linear(2, 128)-ReLU-Linear(128, 128)-ReLU-Linear(128, 1): a point in, one logit out (the sigmoid is in the loss). */
    public static SequentialBlock discriminator() {
        return new SequentialBlock().add(linear(2, HIDDEN)).add(Activation.reluBlock()).add(linear(HIDDEN, HIDDEN)).add(Activation.reluBlock())
                .add(linear(HIDDEN, 1));
    }

    /** A linear layer with PyTorch's default initialization for {@code fanIn} inputs. */
    static Linear linear(int fanIn, int units) {
        Linear layer = Linear.builder().setUnits(units).build();
        UniformInitializer init = new UniformInitializer((float) (1.0 / Math.sqrt(fanIn)));
        layer.setInitializer(init, Parameter.Type.WEIGHT);
        layer.setInitializer(init, Parameter.Type.BIAS);
        return layer;
    }
}
