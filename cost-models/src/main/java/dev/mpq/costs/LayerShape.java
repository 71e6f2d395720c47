package dev.mpq.costs;

import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import java.util.List;
import java.util.Objects;

/**
 * What a layer's cost depends on, independent of its name and network: the key of measured tables
 * (with precision and batch), so one table serves every network with the same shapes.
 *
 * <p>Weight shapes follow {@link LayerSpec}: {@code [out, in]} for linear layers and matmuls, {@code
 * [out, in, kh, kw]} for convolutions ({@code [channels, 1, kh, kw]} for depthwise), {@code [rows,
 * dim]} for embeddings. The stride is not in a {@code LayerSpec}; 0 means unknown, which matches a
 * table entry of any stride unless the table holds the shape with several strides.
 *
 * @param kind what the layer computes
 * @param weightShape the weight shape; may be empty when only counts are known
 * @param parameters weight elements (the product of the shape when a shape is given)
 * @param macsPerSample multiply-accumulates per sample (image or token)
 * @param stride convolution stride (1 for other layers), 0 when unknown
 */
public record LayerShape(LayerKind kind, List<Long> weightShape, long parameters, long macsPerSample, int stride) {

    public LayerShape {
        Objects.requireNonNull(kind, "A layer shape needs a kind.");
        weightShape = List.copyOf(weightShape == null ? List.of() : weightShape);
        long product = 1;
        for (Long dim : weightShape) {
            if (dim == null || dim <= 0) {
                throw new IllegalArgumentException(
                        "Weight shape %s has a dimension that is not a positive integer.".formatted(weightShape));
            }
            product = Math.multiplyExact(product, dim);
        }
        if (parameters < 0 || macsPerSample < 0) {
            throw new IllegalArgumentException(
                    "Layer shape %s has %d parameters and %d MACs; counts cannot be negative."
                            .formatted(weightShape, parameters, macsPerSample));
        }
        if (!weightShape.isEmpty() && product != parameters) {
            throw new IllegalArgumentException(
                    "Weight shape %s holds %d elements but the layer has %d parameters; give the weight shape ([out, in] or [out, in, kh, kw]) and its parameter count without biases."
                            .formatted(weightShape, product, parameters));
        }
        if (stride < 0) {
            throw new IllegalArgumentException("Layer shape %s has stride %d; use 0 (unknown) or a positive stride."
                    .formatted(weightShape, stride));
        }
        long rows = weightShape.isEmpty() ? 1 : weightShape.get(0);
        if (parameters % rows != 0) {
            throw new IllegalArgumentException("Layer shape %s: %d parameters do not split into %d rows."
                    .formatted(weightShape, parameters, rows));
        }
    }

    /** The shape of a network layer (stride unknown). */
    public static LayerShape of(LayerSpec layer) {
        return of(layer, 0);
    }

    /** The shape of a network layer with its convolution stride (0 = unknown). */
    public static LayerShape of(LayerSpec layer, int stride) {
        try {
            return new LayerShape(layer.kind(), layer.shape(), layer.parameters(), layer.macs(), stride);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Layer (%s): %s".formatted(layer.name(), e.getMessage()), e);
        }
    }

    /** Rows of the weight matrix (output channels): one per-channel scale each. */
    public long rows() {
        return weightShape.isEmpty() ? 1 : weightShape.get(0);
    }

    /** Elements per row: the reduction length of a product (in x kh x kw for a convolution). */
    public long rowLength() {
        return rows() == 0 ? 0 : parameters / rows();
    }

    /** Output positions per sample: MACs / parameters (1 for a linear layer per token). */
    public double positions() {
        if (parameters == 0 || macsPerSample == 0) {
            return 1;
        }
        return (double) macsPerSample / parameters;
    }

    /** Input channels: the second weight dimension, or the output channels of a depthwise convolution. */
    public long inputChannels() {
        if (kind == LayerKind.CONV
                && weightShape.size() == 4
                && weightShape.get(1) == 1
                && weightShape.get(2) * weightShape.get(3) > 1) {
            return weightShape.get(0);
        }
        return weightShape.size() >= 2 ? weightShape.get(1) : rowLength();
    }

    /**
     * Input activation elements read per sample: input channels x output positions x stride² (stride
     * unknown counts as 1; padding ignored); one index for an embedding.
     */
    public double inputElementsPerSample() {
        if (kind == LayerKind.EMBEDDING) {
            return 1;
        }
        int s = Math.max(stride, 1);
        return (double) inputChannels() * positions() * s * s;
    }

    /** Output activation elements written per sample: rows x positions; one row for an embedding. */
    public double outputElementsPerSample() {
        if (kind == LayerKind.EMBEDDING) {
            return rowLength();
        }
        return rows() * positions();
    }

    /** Weight elements a step over {@code batch} samples reads: all, or the gathered rows of an embedding. */
    public long weightElementsRead(int batch) {
        if (kind == LayerKind.EMBEDDING) {
            return Math.min(parameters, (long) batch * rowLength());
        }
        return parameters;
    }

    /** True when this shape and {@code other} are the same layer shape, strides compatible (0 = any). */
    public boolean matches(LayerShape other) {
        return kind == other.kind
                && weightShape.equals(other.weightShape)
                && parameters == other.parameters
                && macsPerSample == other.macsPerSample
                && (stride == 0 || other.stride == 0 || stride == other.stride);
    }

    /** The shape without its stride: the part of a table key that must match exactly. */
    public LayerShape withoutStride() {
        return stride == 0 ? this : new LayerShape(kind, weightShape, parameters, macsPerSample, 0);
    }

    /** A compact label such as {@code conv 64x64x3x3 macs=115605504 s1}. */
    public String label() {
        StringBuilder b = new StringBuilder(kind.id()).append(' ');
        if (weightShape.isEmpty()) {
            b.append(parameters).append(" params");
        } else {
            for (int i = 0; i < weightShape.size(); i++) {
                b.append(i == 0 ? "" : "x").append(weightShape.get(i));
            }
        }
        b.append(" macs=").append(macsPerSample);
        if (stride > 0) {
            b.append(" s").append(stride);
        }
        return b.toString();
    }
}
