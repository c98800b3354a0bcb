package org.embreg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.embreg.NonFiniteException;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.Scalars;
import org.embreg.loss.TermValue;

/**
 * Stops training at the first step whose loss or gradients are not finite, before that step's
 * update, so the model keeps its last good parameters: throws a {@link DivergedException} naming
 * the iteration and the term or parameter that went non-finite. (A non-finite input to an embreg
 * loss is caught earlier, by the loss itself, as a {@link NonFiniteException}.)
 *
 * <p>Cost: one read from the engine per step (the loss and the sum of every gradient, stacked).
 * Place it first among the listeners, so that no other listener records a diverged step.
 */
public final class DivergenceGuard extends TrainingListenerAdapter implements Resumable<DivergenceGuard.State> {
    /** @param iteration the steps checked so far */
    public record State(int iteration) {}

    private int iteration;

    @Override
    public State snapshot() {
        return new State(iteration);
    }

    @Override
    public void restore(State state) {
        iteration = state.iteration();
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        iteration = 0;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        int it = iteration++;
        NDArray loss = StepData.lossValue(trainer, batchData);
        List<Pair<String, Parameter>> params = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            if (p.getValue().requiresGradient() && p.getValue().isInitialized() && p.getValue().getArray().hasGradient()) {
                params.add(p);
            }
        }
        double[] values;
        try (NDManager scope = loss.getManager().newSubManager()) {
            List<NDArray> scalars = new ArrayList<>(params.size() + 1);
            scalars.add(loss.sum());
            for (Pair<String, Parameter> p : params) {
                NDArray grad = p.getValue().getArray().getGradient();
                grad.attach(scope); // a new handle on the parameter's manager otherwise; the gradient itself stays
                scalars.add(grad.sum());
            }
            values = Scalars.read(scalars);
            for (NDArray s : scalars) {
                s.close();
            }
        }
        if (Double.isFinite(values[0])) {
            for (int i = 0; i < params.size(); i++) {
                if (!Double.isFinite(values[i + 1])) {
                    throw new DivergedException(new Divergence(it, NonFiniteException.Source.GRADIENT, "gradient of " + params.get(i).getKey()));
                }
            }
            return;
        }
        throw new DivergedException(new Divergence(it, NonFiniteException.Source.TERM, nonFiniteTerm(trainer)));
    }

    /**
     * The most specific non-finite term of the loss: the last in report order (a sum reports its
     * total first, then each part and the part's own terms), with the others named after it.
     */
    private static String nonFiniteTerm(Trainer trainer) {
        if (trainer.getLoss() instanceof EmbeddingLoss loss) {
            List<String> bad = new ArrayList<>();
            for (TermValue t : loss.lastTerms()) {
                if (!Double.isFinite(t.value())) {
                    bad.add(t.name());
                }
            }
            if (!bad.isEmpty()) {
                String last = bad.remove(bad.size() - 1);
                return "term " + last + " of " + loss.getName() + (bad.isEmpty() ? "" : " (with " + String.join(", ", bad) + ")");
            }
        }
        return "the value of loss " + trainer.getLoss().getName();
    }
}
