package org.embreg.linalg;

/** The available {@link SymmetricEigenSolver}s. */
public final class EigenSolvers {
    private EigenSolvers() {}

    /** Pure Java (EJML); always available. */
    public static SymmetricEigenSolver ejml() {
        return Holder.EJML;
    }

    /**
     * The fastest solver available in this process: LAPACK from the engine's native library where
     * it is exported (measured in docs/benchmarks.md), else EJML. Decided once, on first use, after
     * the engine has loaded.
     */
    public static SymmetricEigenSolver fastest() {
        return Holder.FASTEST;
    }

    private static final class Holder {
        static final SymmetricEigenSolver EJML = new EjmlEigenSolver();
        static final SymmetricEigenSolver FASTEST = probe();

        private static SymmetricEigenSolver probe() {
            try {
                ai.djl.engine.Engine.getInstance(); // loads the engine's native library, if there is an engine
            } catch (RuntimeException e) {
                return EJML;
            }
            return LapackEigenSolver.find().<SymmetricEigenSolver>map(s -> s).orElse(EJML);
        }
    }
}
