package org.embreg.linalg;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * LAPACK's divide-and-conquer symmetric eigensolver (dsyevd) from the native library the engine
 * has already loaded (PyTorch's libtorch_cpu exports the LAPACK it is built with), called through
 * JNA, which DJL itself depends on. Available where that library exports {@code dsyevd_}; see
 * {@link #find()}.
 */
public final class LapackEigenSolver implements SymmetricEigenSolver {
    /**
     * Up to this order the decomposition runs on one MKL thread (where the library is MKL): at n = 128 it took 1.1 ms
     * on one thread against 2.2 ms on the engine's two; from n = 192 on, two threads were as fast or faster.
     */
    static final int ONE_THREAD_UP_TO = 160;

    private final Function syevd;
    /** dgemm_, where the library exports it (else the EJML products). */
    private final Optional<Function> gemm;
    /** MKL's thread-local thread count (Fortran interface: a pointer to the count), absent in other LAPACKs. */
    private final Optional<Function> localThreads;
    private final String library;

    private LapackEigenSolver(Function syevd, Optional<Function> gemm, Optional<Function> localThreads, String library) {
        this.syevd = syevd;
        this.gemm = gemm;
        this.localThreads = localThreads;
        this.library = library;
    }

    /**
     * Finds dsyevd_ in a loaded libtorch_cpu (read from /proc/self/maps, so Linux only) and checks
     * it on a small matrix.
     *
     * @return the solver, or empty where there is none
     */
    public static Optional<LapackEigenSolver> find() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(maps);
            for (String line : lines) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String path = line.substring(slash).trim();
                if (!path.contains("libtorch_cpu.")) {
                    continue;
                }
                NativeLibrary lib = NativeLibrary.getInstance(path);
                Optional<Function> local;
                try {
                    local = Optional.of(lib.getFunction("mkl_set_num_threads_local_"));
                } catch (UnsatisfiedLinkError notMkl) {
                    local = Optional.empty();
                }
                Optional<Function> gemm;
                try {
                    gemm = Optional.of(lib.getFunction("dgemm_"));
                } catch (UnsatisfiedLinkError noBlas) {
                    gemm = Optional.empty();
                }
                LapackEigenSolver solver = new LapackEigenSolver(lib.getFunction("dsyevd_"), gemm, local, path);
                SymmetricEigen check = solver.decompose(new double[] {2, 1, 1, 2}, 2, true);
                if (!(Math.abs(check.values()[0] - 3) < 1e-12 && Math.abs(check.values()[1] - 1) < 1e-12)) {
                    return Optional.empty();
                }
                double[] product = solver.multiply(new double[] {1, 2, 3, 4, 5, 6}, false, new double[] {1, 0, 2, 1, 0, 3}, true, 2, 2, 3);
                if (!java.util.Arrays.equals(product, new double[] {7, 10, 16, 22})) {
                    // the eigensolver works, the product does not: keep the one, multiply with EJML
                    return Optional.of(new LapackEigenSolver(solver.syevd, Optional.empty(), local, path));
                }
                return Optional.of(solver);
            }
        } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public SymmetricEigen decompose(double[] matrix, int n, boolean wantVectors) {
        if (matrix.length != n * n) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " entries, expected " + n + " x " + n);
        }
        SymmetricEigenSolver.requireFinite(matrix, n);
        int lwork = wantVectors ? 1 + 6 * n + 2 * n * n : 2 * n + 1;
        int liwork = wantVectors ? 3 + 5 * n : 1;
        int[] info = new int[1];
        double[] w = new double[n];
        double[] vectors = wantVectors ? new double[n * n] : null;
        // native buffers: JNA passes them without copying (Java arrays would be copied in and out)
        try (Memory a = new Memory(8L * n * n); Memory work = new Memory(8L * lwork); Memory iwork = new Memory(4L * liwork)) {
            a.write(0, matrix, 0, n * n);
            onThreadsFor(n, () -> syevd.invoke(Void.class, new Object[] {
                new byte[] {(byte) (wantVectors ? 'V' : 'N')}, new byte[] {'U'}, new int[] {n}, a, new int[] {Math.max(1, n)}, w,
                work, new int[] {lwork}, iwork, new int[] {liwork}, info
            }));
            if (info[0] > 0) {
                // no convergence on a finite matrix (extreme scales): EJML's QR algorithm decomposes it instead
                return EigenSolvers.ejml().decompose(matrix, n, wantVectors);
            }
            if (info[0] != 0) {
                throw new ArithmeticException("LAPACK dsyevd failed on a " + n + " x " + n + " matrix (info " + info[0] + ")");
            }
            // dsyevd: ascending eigenvalues; with 'V', a holds the eigenvectors column-major
            if (wantVectors) {
                for (int k = 0; k < n; k++) {
                    a.read(8L * (n - 1 - k) * n, vectors, k * n, n);
                }
            }
        }
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = Math.max(0.0, w[n - 1 - k]);
        }
        return new SymmetricEigen(n, values, vectors);
    }

    /** dgemm: row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T, so the operands swap. */
    @Override
    public double[] multiply(double[] a, boolean transposeA, double[] b, boolean transposeB, int m, int n, int k) {
        if (gemm.isEmpty()) {
            return SymmetricEigenSolver.super.multiply(a, transposeA, b, transposeB, m, n, k);
        }
        SymmetricEigenSolver.checkOperands(a, b, m, n, k);
        Function dgemm = gemm.get();
        double[] c = new double[m * n];
        if (c.length == 0 || k == 0) {
            return c;
        }
        try (Memory ma = new Memory(8L * a.length); Memory mb = new Memory(8L * b.length); Memory mc = new Memory(8L * c.length)) {
            ma.write(0, a, 0, a.length);
            mb.write(0, b, 0, b.length);
            // as column-major arrays, row-major B (k x n) is B^T with leading dimension n, and so on
            int ldb = transposeB ? k : n;
            int lda = transposeA ? m : k;
            onThreadsFor(Math.max(m, Math.max(n, k)), () -> dgemm.invoke(Void.class, new Object[] {
                new byte[] {(byte) (transposeB ? 'T' : 'N')}, new byte[] {(byte) (transposeA ? 'T' : 'N')}, new int[] {n}, new int[] {m}, new int[] {k},
                new double[] {1}, mb, new int[] {ldb}, ma, new int[] {lda}, new double[] {0}, mc, new int[] {n}
            }));
            mc.read(0, c, 0, c.length);
        }
        return c;
    }

    /** Runs a LAPACK or BLAS call on one MKL thread for small orders (see {@link #ONE_THREAD_UP_TO}). */
    private void onThreadsFor(int order, Runnable call) {
        Optional<Function> oneThread = order <= ONE_THREAD_UP_TO ? localThreads : Optional.empty();
        // returns this thread's previous setting (0: the global one), restored after
        int previous = oneThread.map(f -> f.invokeInt(new Object[] {new int[] {1}})).orElse(0);
        try {
            call.run();
        } finally {
            oneThread.ifPresent(f -> f.invokeInt(new Object[] {new int[] {previous}}));
        }
    }

    @Override
    public String name() {
        return "lapack-dsyevd (" + library + ")";
    }
}
