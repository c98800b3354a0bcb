package org.embreg.experiments.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.TermValue;

/**
 * The generator's non-saturating GAN loss on a batch of generated points: the sigmoid
 * cross-entropy of the discriminator's logits against the label "real", mean over the batch
 * (softplus(-logit), computed stably). As an {@link EmbeddingLoss} it sums with a regularizer on the
 * same batch (the SVMax paper's L_G - lambda * s_mu) and reports its term to the training
 * listeners.
 */
public final class AdversarialLoss extends EmbeddingLoss {
    private final UnaryOperator<NDArray> critic;

    /** @param critic the discriminator: generated points (b x 2) in, logits (b x 1) out, on the graph */
    public AdversarialLoss(UnaryOperator<NDArray> critic) {
        super("adversarial", 1, false);
        this.critic = Objects.requireNonNull(critic, "critic");
    }

    @Override
    protected NDArray compute(NDList views, NDArray labels) {
        NDArray logits = critic.apply(views.get(0));
        NDArray loss = Activation.softPlus(logits.neg()).mean();
        report(getName(), loss, TermValue.Aggregate.MEAN);
        return loss;
    }
}
