package org.embreg.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.embreg.EmbregException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The embreg command line. Parses arguments, builds configurations and calls the library. */
@Command(name = "embreg", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Embedding regularization (SVMax, VICReg) and metric learning on the JVM.",
        subcommands = {AnalyzeCommand.class, CircleCommand.class, DemoCommand.class, EmbedCommand.class, GanCommand.class, SslCommand.class, RetrievalCommand.class, StudyCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Names.missingSubcommand(spec, "command");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line on the process's streams and returns the exit code. */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line and returns the exit code: 0 ok, 2 usage or input error, 1 failure. */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(Path.class, new PathConverter());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof EmbregException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("embreg: error: " + ex.getMessage());
                return 2;
            }
            commandLine.getErr().println("embreg: failed: " + ex);
            if (System.getenv("EMBREG_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(set EMBREG_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            long heap = Runtime.getRuntime().maxMemory();
            long suggestGib = 2 * ((heap + (1L << 30) - 1) >> 30);
            err.println("embreg: failed: out of memory (Java may use at most " + (heap >> 20) + " MiB); give Java more memory with -Xmx, "
                    + "e.g. EMBREG_JAVA_OPTS=-Xmx" + suggestGib + "g");
            return 1;
        }
    }

    /**
     * Converts every path option: an empty value, or one that this JVM cannot map to a file name (a
     * non-ASCII name under a locale that is not UTF-8), is a usage error naming the option.
     */
    static final class PathConverter implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isEmpty()) {
                throw new CommandLine.TypeConversionException("the path is empty");
            }
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new CommandLine.TypeConversionException("not a valid path here (" + e.getReason() + "; file names that are not ASCII need a "
                        + "UTF-8 locale, e.g. LC_ALL=C.UTF-8, which the embreg launcher sets)");
            }
        }
    }
}
