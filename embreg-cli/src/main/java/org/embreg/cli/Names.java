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

    /** The names of the losses, for picocli's ${COMPLETION-CANDIDATES} in help texts. */
    static final class LossNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(RankingLossKind.values()).map(RankingLossKind::cliName).iterator();
        }
    }

    /** The names of the regularizers. */
    static final class RegularizerNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(RegularizerKind.values()).map(RegularizerKind::armName).iterator();
        }
    }

    /** The names of the backbones. */
    static final class BackboneNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(Backbone.values()).map(Backbone::cliName).iterator();
        }
    }

    /** "a command is required: a, b or c", from the command's subcommands. */
    static CommandLine.ParameterException missingSubcommand(CommandLine.Model.CommandSpec spec, String what) {
        java.util.List<String> names = new java.util.ArrayList<>(spec.subcommands().keySet());
        String list = names.size() == 1 ? names.get(0) : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return new CommandLine.ParameterException(spec.commandLine(), "a " + what + " is required: " + list);
    }

    static final class SslPresetName implements CommandLine.ITypeConverter<org.embreg.experiments.ssl.SslPreset> {
        @Override
        public org.embreg.experiments.ssl.SslPreset convert(String value) {
            return parse(value, org.embreg.experiments.ssl.SslPreset.values(), org.embreg.experiments.ssl.SslPreset::cliName, "preset");
        }
    }

    static final class SslEncoderName implements CommandLine.ITypeConverter<org.embreg.experiments.ssl.SslEncoder> {
        @Override
        public org.embreg.experiments.ssl.SslEncoder convert(String value) {
            return parse(value, org.embreg.experiments.ssl.SslEncoder.values(), org.embreg.experiments.ssl.SslEncoder::cliName, "encoder");
        }
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
