package org.embreg.experiments.ssl;

import ai.djl.basicmodelzoo.cv.classification.MobileNetV2;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.embreg.experiments.model.SmallResNet;

/**
 * The encoder of {@code embreg ssl}, each giving a representation of 4 x width: embreg's small
 * ResNet (the default), or DJL's model-zoo ResNet-20 (the CIFAR layout) or MobileNetV2, whose last
 * layer is sized to the same representation.
 */
public enum SslEncoder {
    SMALL_RESNET("small-resnet"),
    RESNET("resnet"),
    MOBILENETV2("mobilenetv2");

    private final String cliName;

    SslEncoder(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * A new, uninitialized encoder.
     *
     * @param width the small ResNet's first width; the representation is 4 x width for every encoder
     * @param height the images' height
     * @param imageWidth the images' width
     */
    public Block build(int width, int height, int imageWidth) {
        int representation = 4 * width;
        return switch (this) {
            case SMALL_RESNET -> SmallResNet.build(width);
            case RESNET -> ResNetV1.builder().setNumLayers(20).setOutSize(representation).setImageShape(new Shape(1, height, imageWidth)).build();
            case MOBILENETV2 -> MobileNetV2.builder().setOutSize(representation).build();
        };
    }
}
