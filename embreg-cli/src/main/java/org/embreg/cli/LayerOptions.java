package org.embreg.cli;

import org.embreg.experiments.model.LayerRegularization;
import org.embreg.experiments.retrieval.RegularizerKind;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options that regularize or watch every layer of a network (retrieval's backbone, ssl's encoder). */
final class LayerOptions {
    @Option(names = "--layer-regularizer", converter = Names.Regularizer.class, completionCandidates = Names.RegularizerNames.class,
            description = "a regularizer on every layer of the network, its output (the embedding) included: ${COMPLETION-CANDIDATES} (default: none)")
    RegularizerKind layerRegularizer = RegularizerKind.NONE;

    @Option(names = "--layer-weight", description = "the weight of each layer's term (default: 1 with --layer-regularizer)")
    Double layerWeight;

    @Option(names = "--watch-layers", description = "watch every layer of the network for collapse (a CSV per layer, and each layer's last "
            + "measures in results.json); on with --layer-regularizer")
    boolean watchLayers;

    /** The settings the options give, or a usage error naming the option. */
    LayerRegularization resolve(CommandLine.Model.CommandSpec spec) {
        if (layerWeight != null && layerRegularizer == RegularizerKind.NONE) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--layer-weight has no effect without --layer-regularizer");
        }
        if (layerWeight != null && !(layerWeight >= 0 && Double.isFinite(layerWeight))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--layer-weight must be a finite number >= 0, got " + layerWeight);
        }
        if (layerRegularizer == RegularizerKind.NONE) {
            return watchLayers ? LayerRegularization.WATCHED : LayerRegularization.NONE;
        }
        return LayerRegularization.regularized(layerRegularizer, layerWeight == null ? 1 : layerWeight);
    }
}
