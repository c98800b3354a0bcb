package org.embreg.cli;

import java.util.Arrays;
import java.util.function.Function;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import picocli.CommandLine;

/** Converters from the command line's names to the experiments' enums. */
final class Names {
    private Names() {}

    private static <E extends Enum<E>> E parse(String value, E[] values, Function<E, String> name, String what) {
        for (E e : values) {
            if (name.apply(e).equals(value)) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("unknown " + what + " '" + value + "'; expected one of "
                + String.join(", ", Arrays.stream(values).map(name).toList()));
    }

    static final class Loss implements CommandLine.ITypeConverter<RankingLossKind> {
        @Override
        public RankingLossKind convert(String value) {
            return parse(value, RankingLossKind.values(), RankingLossKind::cliName, "loss");
        }
    }

    static final class Regularizer implements CommandLine.ITypeConverter<RegularizerKind> {
        @Override
        public RegularizerKind convert(String value) {
            return parse(value, RegularizerKind.values(), RegularizerKind::armName, "regularizer");
        }
    }

    static final class BackboneName implements CommandLine.ITypeConverter<Backbone> {
        @Override
        public Backbone convert(String value) {
            return parse(value, Backbone.values(), Backbone::cliName, "backbone");
        }
    }
}
