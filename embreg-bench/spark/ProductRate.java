import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.Random;

/**
 * The engine's float32 product at the shape of one Spark retrieval task step (a block of queries against a chunk of rows,
 * augmented to d + 2), and its top-k, alone: what the retrieval stage's time is compared with (docs/benchmarks.md).
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp embreg-cli/target/embreg.jar embreg-bench/spark/ProductRate.java 4096 4096 130
 */
public class ProductRate {
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        Random r = new Random(1);
        float[] x = new float[m * k];
        float[] y = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) r.nextGaussian();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray left = manager.create(x, new Shape(m, k));
            for (int rep = 0; rep < 6; rep++) {
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(left);
                    NDArray right = scope.create(y, new Shape(n, k));
                    long t0 = System.nanoTime();
                    NDArray s = left.matMul(right.transpose());
                    s.get(0, 0).getFloat();
                    long t1 = System.nanoTime();
                    s.topK(108, 1, true, false).get(1).toLongArray();
                    long t2 = System.nanoTime();
                    System.out.printf(Locale.ROOT, "product %.1f ms (%.1f GFlop/s), top-108 %.1f ms%n", (t1 - t0) / 1e6, 2.0 * m * n * k / (t1 - t0),
                            (t2 - t1) / 1e6);
                }
            }
        }
    }
}
