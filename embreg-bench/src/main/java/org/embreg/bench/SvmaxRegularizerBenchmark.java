package org.embreg.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.embreg.regularizer.SvmaxRegularizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward plus backward of the bounded SVMax regularizer on a random float32 batch, copied on the engine each
 * time from one batch made at set-up (see LossBench in embreg-experiments for why not from the Java array).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dai.djl.offline=true")
public class SvmaxRegularizerBenchmark {
    @Param({"144"})
    int batch;

    @Param({"128"})
    int dim;

    private NDManager manager;
    private NDArray base;
    private SvmaxRegularizer regularizer;

    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        Random r = new Random(1);
        float[] data = new float[batch * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        base = manager.create(data, new Shape(batch, dim));
        regularizer = SvmaxRegularizer.builder().build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public float forwardBackward() {
        try (NDManager step = manager.newSubManager()) {
            NDArray e = base.duplicate();
            e.attach(step);
            e.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(regularizer.evaluate(new NDList(), new NDList(e)));
            }
            return e.getGradient().getFloat(0, 0);
        }
    }
}
