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
    /** MKL's thread-local thread count (Fortran interface: a pointer to the count), absent in other LAPACKs. */
    private final Optional<Function> localThreads;
    private final String library;

    private LapackEigenSolver(Function syevd, Optional<Function> localThreads, String library) {
        this.syevd = syevd;
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
                LapackEigenSolver solver = new LapackEigenSolver(lib.getFunction("dsyevd_"), local, path);
                SymmetricEigen check = solver.decompose(new double[] {2, 1, 1, 2}, 2, true);
                if (Math.abs(check.values()[0] - 3) < 1e-12 && Math.abs(check.values()[1] - 1) < 1e-12) {
                    return Optional.of(solver);
                }
                return Optional.empty();
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
            Optional<Function> oneThread = n <= ONE_THREAD_UP_TO ? localThreads : Optional.empty();
            // returns this thread's previous setting (0: the global one), restored after
            int previous = oneThread.map(f -> f.invokeInt(new Object[] {new int[] {1}})).orElse(0);
            try {
                syevd.invoke(Void.class, new Object[] {
                    new byte[] {(byte) (wantVectors ? 'V' : 'N')}, new byte[] {'U'}, new int[] {n}, a, new int[] {Math.max(1, n)}, w,
                    work, new int[] {lwork}, iwork, new int[] {liwork}, info
                });
            } finally {
                oneThread.ifPresent(f -> f.invokeInt(new Object[] {new int[] {previous}}));
            }
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

    @Override
    public String name() {
        return "lapack-dsyevd (" + library + ")";
    }
}
