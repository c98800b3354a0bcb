package org.embreg.train;

import java.util.List;
import org.embreg.loss.CountValue;
import org.embreg.loss.TermValue;
import org.embreg.spectrum.CollapseMeasures;

/**
 * One measurement of the {@link CollapseMonitor}.
 *
 * @param iteration 0-based
 * @param measures the collapse measures of the watched output
 * @param terms the loss terms of that step
 * @param counts the loss's counts of that step
 */
public record MonitorRecord(int iteration, CollapseMeasures measures, List<TermValue> terms, List<CountValue> counts) {
    public MonitorRecord {
        terms = List.copyOf(terms);
        counts = List.copyOf(counts);
    }

    /** The value of a term, or NaN when the step did not report it. */
    public double term(String name) {
        for (TermValue t : terms) {
            if (t.name().equals(name)) {
                return t.value();
            }
        }
        return Double.NaN;
    }
}
