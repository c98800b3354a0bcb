package org.embreg.experiments.model;

import ai.djl.basicmodelzoo.cv.classification.GoogLeNet;
import ai.djl.basicmodelzoo.cv.classification.MobileNetV2;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * Embedding networks for one-channel images: the small CNN, or DJL's model-zoo definitions of
 * MobileNetV2 and GoogLeNet (the SVMax paper's backbones) and ResNet-20 (the CIFAR layout), each with its last layer
 * producing the d-dimensional embedding. Trained from scratch unless parameters are loaded.
 */
public enum Backbone {
    SMALL_CNN("small-cnn"),
    MOBILENETV2("mobilenetv2"),
    GOOGLENET("googlenet"),
    RESNET("resnet");

    private final String cliName;

    Backbone(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * @param dim the embedding size d
     * @param width channels of the small CNN's first convolution (ignored by the others)
     * @param height image height
     * @param imageWidth image width
     */
    public Block build(int dim, int width, int height, int imageWidth) {
        return switch (this) {
            case SMALL_CNN -> SmallCnn.build(width, dim);
            case MOBILENETV2 -> MobileNetV2.builder().setOutSize(dim).build();
            case GOOGLENET -> GoogLeNet.builder().setOutSize(dim).build();
            case RESNET -> ResNetV1.builder().setNumLayers(20).setOutSize(dim).setImageShape(new Shape(1, height, imageWidth)).build();
        };
    }
}
