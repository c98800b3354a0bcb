package org.embreg.linalg;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
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
     * Up to this order the calls run on at most {@link #SMALL_ORDER_THREADS} MKL threads (where the library is MKL).
     */
    static final int SMALL_ORDER = 160;

    /**
     * The calling thread's MKL thread count, capped at this for {@link #SMALL_ORDER} and below. On the
     * project's first machine one thread was faster (n = 128: 1.1 ms against 2.2 on the engine's two). On
     * the present one (2 cores) two are faster: dsyevd at n = 128 took 769-778 us against 811-876 us, and
     * SVMax's step at 144 x 128 took 1.22-1.28 ms against 1.30-1.39 (docs/benchmarks.md). More threads on
     * problems this small were not measured, so the count stays capped.
     */
    static final int SMALL_ORDER_THREADS = 2;

    private final Routines routines;
    /** Whether the library's dgemm_ serves the products (else EJML's). */
    private final boolean gemm;
    private final String library;

    private LapackEigenSolver(Routines routines, boolean gemm, String library) {
        this.routines = routines;
        this.gemm = gemm;
        this.library = library;
    }

    /**
     * The library's routines, every argument an address (Fortran takes all of them by reference): directly bound
     * where JNA can bind them ({@link Direct}), else through {@link Function#invoke}.
     */
    private interface Routines {
        void syevd(long jobz, long uplo, long n, long a, long lda, long w, long work, long lwork, long iwork, long liwork, long info);

        void gemm(long transA, long transB, long m, long n, long k, long alpha, long a, long lda, long b, long ldb, long beta, long c, long ldc);

        /** Whether MKL's thread counts are there: the calling thread's ({@link #maxThreads}) and its setter. */
        boolean hasLocalThreads();

        /** MKL's thread-local thread count (returns the previous one; 0 is the global setting). */
        int localThreads(long count);

        /** MKL's thread count for calls from this thread (mkl_get_max_threads). */
        int maxThreads();
    }

    /**
     * dsyevd_, dgemm_ and MKL's thread counts bound by JNA's direct mapping: about 0.4 us a call here, where
     * {@link Function#invoke} with array arguments took about 7 us (six such calls a step of SVMax at 144 x 128, each
     * with a reading of the thread count). Bound by {@link #find} (JNA binds a class's natives for the process, as the
     * library itself is loaded once); MKL's thread counts apart ({@link DirectThreads}), as other LAPACKs lack them.
     */
    private static final class Direct {
        private Direct() {}

        static native void dsyevd_(long jobz, long uplo, long n, long a, long lda, long w, long work, long lwork, long iwork, long liwork, long info);

        static native void dgemm_(long transA, long transB, long m, long n, long k, long alpha, long a, long lda, long b, long ldb, long beta, long c,
                long ldc);
    }

    /** MKL's mkl_set_num_threads_local_ and mkl_get_max_threads, bound directly where the library has them. */
    private static final class DirectThreads {
        private DirectThreads() {}

        static native int mkl_set_num_threads_local_(long count);

        static native int mkl_get_max_threads();
    }

    /** The directly bound routines; the thread setter where {@link DirectThreads} is bound. */
    private record DirectRoutines(boolean hasLocalThreads) implements Routines {
        @Override
        public void syevd(long jobz, long uplo, long n, long a, long lda, long w, long work, long lwork, long iwork, long liwork, long info) {
            Direct.dsyevd_(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info);
        }

        @Override
        public void gemm(long transA, long transB, long m, long n, long k, long alpha, long a, long lda, long b, long ldb, long beta, long c, long ldc) {
            Direct.dgemm_(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        @Override
        public int localThreads(long count) {
            return DirectThreads.mkl_set_num_threads_local_(count);
        }

        @Override
        public int maxThreads() {
            return DirectThreads.mkl_get_max_threads();
        }
    }

    /**
     * The same routines through {@link Function#invoke}, where direct binding failed; gemm and the thread counts
     * (MKL's setter and getter, both or neither) may be absent.
     */
    private record FunctionRoutines(Function syevd, Optional<Function> gemm, Optional<Function[]> threads) implements Routines {
        @Override
        public void syevd(long jobz, long uplo, long n, long a, long lda, long w, long work, long lwork, long iwork, long liwork, long info) {
            syevd.invoke(Void.class, pointers(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info));
        }

        @Override
        public void gemm(long transA, long transB, long m, long n, long k, long alpha, long a, long lda, long b, long ldb, long beta, long c, long ldc) {
            gemm.orElseThrow().invoke(Void.class, pointers(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));
        }

        @Override
        public boolean hasLocalThreads() {
            return threads.isPresent();
        }

        @Override
        public int localThreads(long count) {
            return threads.orElseThrow()[0].invokeInt(pointers(count));
        }

        @Override
        public int maxThreads() {
            return threads.orElseThrow()[1].invokeInt(new Object[0]);
        }

        private static Object[] pointers(long... addresses) {
            Object[] out = new Object[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                out[i] = new Pointer(addresses[i]);
            }
            return out;
        }
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
                Optional<Function> gemm = optionalFunction(lib, "dgemm_");
                Routines routines = new FunctionRoutines(lib.getFunction("dsyevd_"), gemm, threadFunctions(lib));
                if (gemm.isPresent()) {
                    try {
                        Native.register(Direct.class, lib);
                        boolean threads = false;
                        try {
                            Native.register(DirectThreads.class, lib);
                            threads = true;
                        } catch (UnsatisfiedLinkError | IllegalArgumentException notMkl) {
                            // no thread setter: the calls run on the library's own threads
                        }
                        routines = new DirectRoutines(threads);
                    } catch (UnsatisfiedLinkError | IllegalArgumentException notBound) {
                        // keep the invoked functions
                    }
                }
                LapackEigenSolver solver = new LapackEigenSolver(routines, gemm.isPresent(), path);
                SymmetricEigen check = solver.decompose(new double[] {2, 1, 1, 2}, 2, true);
                if (!(Math.abs(check.values()[0] - 3) < 1e-12 && Math.abs(check.values()[1] - 1) < 1e-12)) {
                    return Optional.empty();
                }
                double[] product = solver.multiply(new double[] {1, 2, 3, 4, 5, 6}, false, new double[] {1, 0, 2, 1, 0, 3}, true, 2, 2, 3);
                if (!java.util.Arrays.equals(product, new double[] {7, 10, 16, 22})) {
                    // the eigensolver works, the product does not: keep the one, multiply with EJML
                    return Optional.of(new LapackEigenSolver(routines, false, path));
                }
                return Optional.of(solver);
            }
        } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** This solver calling its library through {@link Function#invoke} (the fallback of direct binding), for tests. */
    LapackEigenSolver throughInvokedFunctions() {
        NativeLibrary lib = NativeLibrary.getInstance(library);
        return new LapackEigenSolver(new FunctionRoutines(lib.getFunction("dsyevd_"), optionalFunction(lib, "dgemm_"), threadFunctions(lib)), gemm,
                library);
    }

    /** MKL's thread-count setter and getter, where the library has both. */
    private static Optional<Function[]> threadFunctions(NativeLibrary lib) {
        Optional<Function> set = optionalFunction(lib, "mkl_set_num_threads_local_");
        Optional<Function> get = optionalFunction(lib, "mkl_get_max_threads");
        return set.isPresent() && get.isPresent() ? Optional.of(new Function[] {set.get(), get.get()}) : Optional.empty();
    }

    private static Optional<Function> optionalFunction(NativeLibrary lib, String name) {
        try {
            return Optional.of(lib.getFunction(name));
        } catch (UnsatisfiedLinkError absent) {
            return Optional.empty();
        }
    }

    @Override
    public SymmetricEigen decompose(double[] matrix, int n, boolean wantVectors) {
        if (matrix.length != n * n) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " entries, expected " + n + " x " + n);
        }
        SymmetricEigenSolver.requireFinite(matrix, n);
        double[] vectors = wantVectors ? new double[n * n] : null;
        // native buffers: JNA passes them without copying (Java arrays would be copied in and out)
        try (Workspace ws = new Workspace(n * n, n, eigenWork(n, wantVectors))) {
            Pointer a = ws.part(0);
            a.write(0, matrix, 0, n * n);
            double[] w = new double[n];
            if (!syevd(ws, a, n, wantVectors, ws.part(1), w, ws.part(2))) {
                // no convergence on a finite matrix (extreme scales): EJML's QR algorithm decomposes it instead
                return EigenSolvers.ejml().decompose(matrix, n, wantVectors);
            }
            // dsyevd: ascending eigenvalues; with 'V', a holds the eigenvectors column-major
            if (wantVectors) {
                for (int k = 0; k < n; k++) {
                    a.read(8L * (n - 1 - k) * n, vectors, k * n, n);
                }
            }
            return new SymmetricEigen(n, descending(w), vectors);
        }
    }

    /**
     * The whole nuclear norm in native buffers: the matrix is written once, the Gram matrix is formed
     * and decomposed in place, the kept eigenvectors are scaled there, and only the eigenvalues and the
     * polar factor are read back. The calls of {@link NuclearNorm}'s path through {@link #decompose} and
     * {@link #multiply}, but for the Gram matrix, formed as the blocks of its upper triangle
     * ({@link #gramUpperTriangle}); without the five copies of n x n or b x d matrices in and out of Java arrays
     * (about 0.1 ms of a 1 ms step at 144 x 128). The two paths agree to rounding (EigenSolversTest; bit for bit with
     * the engine's MKL here, which MKL does not promise across processors).
     */
    @Override
    public NuclearNorm nuclearNorm(double[] x, int b, int d, double[] polarOut) {
        NuclearNorm.checkShape(x, b, d, polarOut);
        if (!gemm || x.length == 0) {
            return SymmetricEigenSolver.super.nuclearNorm(x, b, d, polarOut);
        }
        boolean wide = d > b;
        int n = wide ? b : d;
        // dsyevd's work (over 2 n^2 doubles) holds T and G^(-1/2) once it is done: less memory for the caches
        int square = (n * n + 7) / 8 * 8;
        try (Workspace ws = new Workspace(b * d, n * n, Math.max(eigenWork(n, true), 2 * square), b * d, n)) {
            Pointer xs = ws.part(0);
            Pointer a = ws.part(1);
            Pointer t = ws.part(2);
            Pointer inverseRoot = t.share(8L * square);
            Pointer polar = ws.part(3);
            xs.write(0, x, 0, x.length);
            gramUpperTriangle(ws, xs, b, d, a);
            requireFiniteGram(a.getByteBuffer(0, 8L * n * n).order(ByteOrder.nativeOrder()).asDoubleBuffer(), n);
            double[] w = new double[n];
            if (!syevd(ws, a, n, true, ws.part(4), w, ws.part(2))) {
                return SymmetricEigenSolver.super.nuclearNorm(x, b, d, polarOut);
            }
            SymmetricEigen eig = new SymmetricEigen(n, descending(w), null);
            int kept = eig.countAbove(eig.noiseThreshold());
            double[] s = eig.singularValues(kept);
            double value = 0;
            for (double v : s) {
                value += v;
            }
            if (kept == 0) {
                java.util.Arrays.fill(polarOut, 0);
                return new NuclearNorm(0, s, polarOut);
            }
            // T^T (n x kept, column-major): eigenvector k (descending), column n - 1 - k of a, scaled by λ_k^(-1/4);
            // a column at a time through one small array (whole-matrix Java arrays would be fresh memory each call)
            DoubleBuffer vectors = a.getByteBuffer(0, 8L * n * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            DoubleBuffer scaled = t.getByteBuffer(0, 8L * n * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            double[] column = new double[n];
            for (int k = 0; k < kept; k++) {
                double scale = SymmetricEigen.inverseFourthRoot(eig.values()[k]);
                vectors.get((n - 1 - k) * n, column, 0, n);
                for (int r = 0; r < n; r++) {
                    column[r] *= scale;
                }
                scaled.put(k * n, column, 0, n);
            }
            // G^(-1/2) = T^T T, then P = X G^(-1/2) (tall) or G^(-1/2) X (wide), as multiply forms them
            gemm(ws, 'N', 'T', n, n, kept, t, n, t, n, inverseRoot, n);
            if (wide) {
                gemm(ws, 'N', 'N', d, b, b, xs, d, inverseRoot, b, polar, d);
            } else {
                gemm(ws, 'N', 'N', d, b, d, inverseRoot, d, xs, d, polar, d);
            }
            polar.read(0, polarOut, 0, polarOut.length);
            return new NuclearNorm(value, s, polarOut);
        }
    }

    /**
     * The upper triangle (column-major) of the Gram matrix of row-major X (b x d) at a, the part dsyevd('U') reads:
     * X^T X (d x d) when d &lt;= b, else X X^T. Column-major, X is C = X^T (d x b), so the Gram matrix is C C^T or
     * C^T C. Formed as three blocks (the two diagonal ones and the one above them), three quarters of the
     * multiply-adds of the whole product; the block below is left as it was.
     */
    private void gramUpperTriangle(Workspace ws, Pointer xs, int b, int d, Pointer a) {
        boolean wide = d > b;
        int n = wide ? b : d;
        int h = n / 2;
        // where the rows (of C, tall) or columns (of C, wide) of the second half start
        Pointer second = xs.share(8L * (wide ? (long) h * d : h));
        char ta = wide ? 'T' : 'N';
        char tb = wide ? 'N' : 'T';
        int k = wide ? d : b;
        gemm(ws, ta, tb, h, h, k, xs, d, xs, d, a, n);
        gemm(ws, ta, tb, h, n - h, k, xs, d, second, d, a.share(8L * h * n), n);
        gemm(ws, ta, tb, n - h, n - h, k, second, d, second, d, a.share(8L * (h * n + h)), n);
    }

    /**
     * {@link SymmetricEigenSolver#requireFinite} of a Gram matrix's upper triangle (column-major) from its diagonal:
     * |G_ij| &lt;= (G_ii + G_jj) / 2 bounds every entry and every partial sum of the products that form it, so a finite
     * diagonal below a quarter of the largest double (a NaN or an infinite input value makes the diagonal entry of its column, or row when wide,
     * entry NaN or infinite) leaves every entry finite; otherwise the whole triangle is read.
     */
    private static void requireFiniteGram(DoubleBuffer gram, int n) {
        for (int i = 0; i < n; i++) {
            double v = gram.get(i * n + i);
            if (!(v <= Double.MAX_VALUE / 4)) {
                for (int column = 0; column < n; column++) {
                    for (int row = 0; row <= column; row++) {
                        double entry = gram.get(column * n + row);
                        if (!Double.isFinite(entry)) {
                            throw SymmetricEigenSolver.nonFinite(n, entry);
                        }
                    }
                }
                return;
            }
        }
    }

    /** dgemm: row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T, so the operands swap. */
    @Override
    public double[] multiply(double[] a, boolean transposeA, double[] b, boolean transposeB, int m, int n, int k) {
        if (!gemm) {
            return SymmetricEigenSolver.super.multiply(a, transposeA, b, transposeB, m, n, k);
        }
        SymmetricEigenSolver.checkOperands(a, b, m, n, k);
        double[] c = new double[m * n];
        if (c.length == 0 || k == 0) {
            return c;
        }
        try (Workspace ws = new Workspace(a.length, b.length, c.length)) {
            Pointer ma = ws.part(0);
            Pointer mb = ws.part(1);
            Pointer mc = ws.part(2);
            ma.write(0, a, 0, a.length);
            mb.write(0, b, 0, b.length);
            // as column-major arrays, row-major B (k x n) is B^T with leading dimension n, and so on
            gemm(ws, transposeB ? 'T' : 'N', transposeA ? 'T' : 'N', n, m, k, mb, transposeB ? k : n, ma, transposeA ? m : k, mc, n);
            mc.read(0, c, 0, c.length);
        }
        return c;
    }

    /** Column-major C (m x n, leading dimension ldc) = op(A) op(B) with dgemm, on the threads {@link #onThreadsFor} picks. */
    private void gemm(Workspace ws, char transA, char transB, int m, int n, int k, Pointer a, int lda, Pointer b, int ldb, Pointer c, int ldc) {
        ByteBuffer args = ws.arguments();
        args.put(0, (byte) transA).put(8, (byte) transB).putInt(16, m).putInt(24, n).putInt(32, k).putDouble(40, 1).putInt(48, lda).putInt(56, ldb)
                .putDouble(64, 0).putInt(72, ldc);
        long p = ws.argumentAddress();
        onThreadsFor(ws, Math.max(m, Math.max(n, k)), () -> routines.gemm(p, p + 8, p + 16, p + 24, p + 32, p + 40, Pointer.nativeValue(a), p + 48,
                Pointer.nativeValue(b), p + 56, p + 64, Pointer.nativeValue(c), p + 72));
    }

    /** The length in doubles of dsyevd's work followed by its integer work. */
    private static int eigenWork(int n, boolean wantVectors) {
        return workLength(n, wantVectors) + (iworkLength(n, wantVectors) + 1) / 2;
    }

    private static int workLength(int n, boolean wantVectors) {
        return wantVectors ? 1 + 6 * n + 2 * n * n : 2 * n + 1;
    }

    private static int iworkLength(int n, boolean wantVectors) {
        return wantVectors ? 3 + 5 * n : 1;
    }

    /**
     * dsyevd on the n x n matrix at a (upper triangle, column-major), in place, with {@link #eigenWork} doubles of
     * work at work. Eigenvalues ascending into values (n doubles at w, then copied there).
     *
     * @return false where it did not converge (info &gt; 0)
     */
    private boolean syevd(Workspace ws, Pointer a, int n, boolean wantVectors, Pointer w, double[] values, Pointer work) {
        int lwork = workLength(n, wantVectors);
        int liwork = iworkLength(n, wantVectors);
        ByteBuffer args = ws.arguments();
        args.put(0, (byte) (wantVectors ? 'V' : 'N')).put(8, (byte) 'U').putInt(16, n).putInt(24, Math.max(1, n)).putInt(32, lwork).putInt(40, liwork)
                .putInt(48, 0);
        long p = ws.argumentAddress();
        long workAddress = Pointer.nativeValue(work);
        onThreadsFor(ws, n, () -> routines.syevd(p, p + 8, p + 16, Pointer.nativeValue(a), p + 24, Pointer.nativeValue(w), workAddress, p + 32,
                workAddress + 8L * lwork, p + 40, p + 48));
        int info = args.getInt(48);
        if (info > 0) {
            return false;
        }
        if (info != 0) {
            throw new ArithmeticException("LAPACK dsyevd failed on a " + n + " x " + n + " matrix (info " + info + ")");
        }
        w.read(0, values, 0, n);
        return true;
    }

    /** dsyevd's ascending eigenvalues as {@link SymmetricEigen} keeps them: descending, clamped at zero. */
    private static double[] descending(double[] w) {
        int n = w.length;
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = Math.max(0.0, w[n - 1 - k]);
        }
        return values;
    }

    /**
     * One native allocation for several double arrays, each starting on a 64-byte boundary (MKL's kernels, and so
     * its rounding, can depend on alignment; malloc gives 16).
     */
    private static final class Workspace implements AutoCloseable {
        /** Room for one call's scalar arguments, ahead of the parts. */
        private static final int ARGUMENTS = 128;
        private final Memory block;
        private final long[] offsets;
        private final long pad;
        private final ByteBuffer arguments;

        Workspace(int... lengths) {
            offsets = new long[lengths.length + 1];
            offsets[0] = ARGUMENTS;
            for (int i = 0; i < lengths.length; i++) {
                offsets[i + 1] = offsets[i] + (8L * lengths[i] + 63) / 64 * 64;
            }
            block = new Memory(offsets[lengths.length] + 64);
            long misalignment = Pointer.nativeValue(block) % 64;
            pad = misalignment == 0 ? 0 : 64 - misalignment;
            for (int i = 0; i <= lengths.length; i++) {
                offsets[i] += pad;
            }
            arguments = block.getByteBuffer(pad, ARGUMENTS).order(ByteOrder.nativeOrder());
        }

        Pointer part(int i) {
            return block.share(offsets[i]);
        }

        /** The scalar arguments of the next call (each at a multiple of 8 below 120), written where the call reads them. */
        ByteBuffer arguments() {
            return arguments;
        }

        long argumentAddress() {
            return Pointer.nativeValue(block) + pad;
        }

        @Override
        public void close() {
            block.close();
        }
    }

    /** Runs a LAPACK or BLAS call on at most {@link #SMALL_ORDER_THREADS} MKL threads for orders up to {@link #SMALL_ORDER}. */
    private void onThreadsFor(Workspace ws, int order, Runnable call) {
        if (order > SMALL_ORDER || !routines.hasLocalThreads() || routines.maxThreads() <= SMALL_ORDER_THREADS) {
            call.run();
            return;
        }
        // the count's address is the last slot of the argument area, which no call's own arguments reach
        long count = ws.argumentAddress() + 120;
        ws.arguments().putInt(120, SMALL_ORDER_THREADS);
        // returns this thread's previous setting (0: the global one), restored after
        int previous = routines.localThreads(count);
        try {
            call.run();
        } finally {
            ws.arguments().putInt(120, previous);
            routines.localThreads(count);
        }
    }

    @Override
    public String name() {
        return "lapack-dsyevd (" + library + ")";
    }
}
