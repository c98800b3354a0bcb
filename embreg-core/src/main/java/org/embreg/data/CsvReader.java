package org.embreg.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.embreg.EmbregException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads numeric text (CSV, TSV, whitespace-separated): one row per line. Errors name the file, line,
 * column and cell. The rules:
 *
 * <ul>
 *   <li>UTF-8, with or without a byte-order mark. Blank lines and lines starting with {@code #} are
 *       skipped.
 *   <li>The separator is chosen once per file, from its first line: a semicolon if that line has
 *       one, else a comma if it has one, else whitespace (any run of spaces or tabs). Spaces around a
 *       separator are ignored; a cell may be wrapped in double quotes.
 *   <li>Decimal commas: in a semicolon-separated file a cell may use a decimal comma ({@code 1,5;2,25}
 *       reads 1.5 and 2.25), as spreadsheets in decimal-comma locales export. With any other separator
 *       a comma is never part of a number: a cell like {@code 1,5} in a whitespace-separated file is
 *       an error that suggests a decimal point or semicolons, and a comma-separated file is split at
 *       every comma.
 *   <li>Numbers: an optional sign, digits with an optional decimal point, an optional exponent; also
 *       {@code nan}, {@code inf} and {@code infinity} in any case (as NumPy writes them). Java-only
 *       forms such as {@code 1d} or hexadecimal are not numbers.
 *   <li>Header: the first line is a header, skipped with a warning in the log, only when none of its
 *       cells is a number. A first line with some numbers and some other cells is an error naming the
 *       cell, so one typo in the first row is never dropped silently.
 *   <li>Every row has the same number of cells, at least one.
 * </ul>
 *
 * <p>Labels are one value per line, whole numbers that fit in an int ({@code 3} or {@code 3.0}; not
 * {@code Infinity}, {@code NaN}, {@code 1e300} or {@code 1.5}).
 *
 * <p>A device or a pipe is refused (it may have no end); the values read are checked against the
 * JVM's maximum heap as they grow.
 */
public final class CsvReader {
    private static final Logger LOG = LoggerFactory.getLogger(CsvReader.class);
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NAN = Pattern.compile("[+-]?nan", Pattern.CASE_INSENSITIVE);
    private static final Pattern INFINITY = Pattern.compile("[+-]?inf(inity)?", Pattern.CASE_INSENSITIVE);

    private CsvReader() {}

    public static Matrix readMatrix(Path file) {
        return readMatrix(file, Runtime.getRuntime().maxMemory());
    }

    public static int[] readLabels(Path file) {
        return readLabels(file, Runtime.getRuntime().maxMemory());
    }

    /** {@link #readMatrix(Path)} allocating at most {@code memoryLimit} bytes for the values. */
    static Matrix readMatrix(Path file, long memoryLimit) {
        InputFile in = InputFile.of(file, memoryLimit);
        try (Rows rows = new Rows(in)) {
            float[] values = new float[0];
            int n = 0;
            String[] cells;
            while ((cells = rows.next()) != null) {
                int cap = capacity(in, values.length, (long) n + cells.length, Float.BYTES);
                values = cap == values.length ? values : Arrays.copyOf(values, cap);
                for (int c = 0; c < cells.length; c++) {
                    values[n++] = (float) rows.number(cells[c], c);
                }
            }
            int cols = rows.width();
            return new Matrix(Arrays.copyOf(values, n), n / cols, cols);
        } catch (OutOfMemoryError e) {
            throw in.outOfMemory(e);
        } catch (IOException e) {
            throw in.cannotRead(e);
        }
    }

    /** {@link #readLabels(Path)} allocating at most {@code memoryLimit} bytes for the labels. */
    static int[] readLabels(Path file, long memoryLimit) {
        InputFile in = InputFile.of(file, memoryLimit);
        try (Rows rows = new Rows(in)) {
            int[] labels = new int[0];
            int n = 0;
            String[] cells;
            while ((cells = rows.next()) != null) {
                if (cells.length != 1) {
                    throw new EmbregException(file + ": labels must have one value per line, line " + rows.line() + " has " + cells.length);
                }
                double v = rows.number(cells[0], 0);
                if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new EmbregException(file + ": line " + rows.line() + ": label '" + cells[0]
                            + "' is not allowed; labels must be whole numbers that fit in an int");
                }
                int cap = capacity(in, labels.length, n + 1L, Integer.BYTES);
                labels = cap == labels.length ? labels : Arrays.copyOf(labels, cap);
                labels[n++] = (int) v;
            }
            rows.width();
            return Arrays.copyOf(labels, n);
        } catch (OutOfMemoryError e) {
            throw in.outOfMemory(e);
        } catch (IOException e) {
            throw in.cannotRead(e);
        }
    }

    /**
     * The capacity for {@code needed} values in an array of {@code length}: {@code length} when it
     * suffices, else grown by half (at least to {@code needed}); refuses beyond one array or the memory limit.
     */
    private static int capacity(InputFile in, int length, long needed, int bytesPerValue) {
        if (needed <= length) {
            return length;
        }
        if (needed > InputFile.MAX_ARRAY) {
            throw new EmbregException(in.path() + ": more than " + InputFile.MAX_ARRAY + " values; embreg holds at most that many in one array");
        }
        long grown = Math.max(needed, Math.min(InputFile.MAX_ARRAY, Math.max(16L, length + (long) length / 2)));
        in.requireMemory(grown * bytesPerValue, "reading " + grown + " values");
        return (int) grown;
    }

    /** How the cells of a line are separated. */
    private enum Separator {
        SEMICOLON("\\s*;\\s*", true), COMMA("\\s*,\\s*", false), WHITESPACE("\\s+", false);

        private final Pattern pattern;
        private final boolean decimalComma;

        Separator(String regex, boolean decimalComma) {
            this.pattern = Pattern.compile(regex);
            this.decimalComma = decimalComma;
        }

        static Separator of(String line) {
            return line.indexOf(';') >= 0 ? SEMICOLON : line.indexOf(',') >= 0 ? COMMA : WHITESPACE;
        }

        String[] split(String trimmedLine) {
            String[] cells = pattern.split(trimmedLine, -1);
            for (int i = 0; i < cells.length; i++) {
                String c = cells[i];
                if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                    cells[i] = c.substring(1, c.length() - 1).trim();
                }
            }
            return cells;
        }
    }

    /** The data rows of one file, as cells; the byte-order mark, comments, the separator and a header are dealt with here. */
    private static final class Rows implements AutoCloseable {
        private final InputFile in;
        private final FileChannel channel;
        private final BufferedReader reader;
        private Separator separator;
        private int line;
        private int width = -1;
        private int widthLine;

        Rows(InputFile in) throws IOException {
            this.in = in;
            this.channel = in.openChannel();
            this.reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        }

        /** The line number of the row {@link #next} returned last. */
        int line() {
            return line;
        }

        /** The cells of every row; refuses a file without data rows. */
        int width() {
            if (width < 0) {
                throw new EmbregException(in.path() + ": no data rows");
            }
            return width;
        }

        /** The cells of the next data row, or null at the end. */
        String[] next() throws IOException {
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                String t = text.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                boolean first = separator == null;
                if (first) {
                    separator = Separator.of(t);
                }
                String[] cells = separator.split(t);
                if (first && isHeader(cells)) {
                    LOG.warn("{}: line {} has no numbers, so it is read as a header and skipped: {}", in.path(), line, String.join(" | ", cells));
                    continue;
                }
                if (width < 0) {
                    width = cells.length;
                    widthLine = line;
                } else if (cells.length != width) {
                    throw new EmbregException(in.path() + ": line " + line + " has " + cells.length + " values but line " + widthLine + " has "
                            + width);
                }
                return cells;
            }
            return null;
        }

        /** Whether the first line is a header: none of its cells is a number; refuses a mix. */
        private boolean isHeader(String[] cells) {
            int numbers = 0;
            for (String c : cells) {
                numbers += parse(c) == null ? 0 : 1;
            }
            if (numbers == 0) {
                return true;
            }
            for (int c = 0; c < cells.length; c++) {
                if (parse(cells[c]) == null) {
                    throw notANumber(cells[c], c, " (the other cells of this first line are numbers, so it is not a header)");
                }
            }
            return false;
        }

        /** The value of a cell of the current line. */
        double number(String cell, int column) {
            Double v = parse(cell);
            if (v == null) {
                throw notANumber(cell, column, "");
            }
            return v;
        }

        private Double parse(String cell) {
            String c = separator.decimalComma && cell.indexOf('.') < 0 ? cell.replace(',', '.') : cell;
            if (DECIMAL.matcher(c).matches()) {
                return Double.parseDouble(c);
            }
            if (NAN.matcher(c).matches()) {
                return Double.NaN;
            }
            if (INFINITY.matcher(c).matches()) {
                return c.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return null;
        }

        private EmbregException notANumber(String cell, int column, String why) {
            String hint = "";
            if (cell.indexOf(',') >= 0 || cell.chars().anyMatch(Character::isWhitespace)) {
                hint = "; decimal commas are read only when values are separated by ';', otherwise use a decimal point";
            }
            return new EmbregException(in.path() + ": line " + line + ", column " + (column + 1) + ": '" + cell + "' is not a number" + why + hint);
        }

        @Override
        public void close() throws IOException {
            reader.close();
            channel.close();
        }
    }
}
