package dev.mpq.costs.hawq;

import dev.mpq.core.BitConfiguration;
import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ResNet18 and ResNet50 as HAWQ-V3 quantizes them (pytorchcv definitions, 224 x 224 input): the
 * layers of the ILP with their weight shapes and strides, plus the first convolution and the final
 * FC, which HAWQ-V3 keeps at 8 bits outside the ILP. Shapes come from the architecture; every
 * layer's parameters and MACs are checked against the ILP inputs, so a mismatch fails loudly.
 *
 * <p>ResNet18: basic blocks, channels 64/128/256/512, two units per stage, stride 2 in the first 3x3
 * convolution and the 1x1 downsample of stages 2-4. ResNet50: bottlenecks with mid channels
 * 64/128/256/512 and outputs 256/512/1024/2048, 3/4/6/3 units, stride 2 in the first 1x1
 * convolution (pytorchcv's {@code conv1_stride}) and the downsample of stages 2-4.
 */
public final class HawqResNet {

    /** Names of the fixed 8-bit layers in the published configuration files. */
    public static final String OUTPUT = "quant_output";

    private HawqResNet() {}

    /**
     * A HAWQ-V3 ResNet.
     *
     * @param model {@code resnet18} or {@code resnet50}
     * @param network all quantizable layers in order: first conv, ILP layers, FC
     * @param strides the stride of every convolution
     * @param ilpLayers the names of the ILP layers, in ILP index order
     * @param fixedLayers the first conv and the FC (8 bits in every published configuration)
     * @param fcBiasParameters the FC bias (1,000), which the published parameter counts include
     */
    public record Model(
            String model,
            NetworkSpec network,
            Map<String, Integer> strides,
            List<String> ilpLayers,
            List<String> fixedLayers,
            long fcBiasParameters) {

        /** The published configuration of a scheme: int8:int8 / int4:int4 per layer. */
        public BitConfiguration configuration(HawqData.PublishedConfigs configs, String scheme) {
            List<Integer> bits = configs.bits(scheme);
            Map<String, String> byLayer = new LinkedHashMap<>();
            for (int i = 0; i < configs.layers().size(); i++) {
                HawqData.ConfigLayer layer = configs.layers().get(i);
                String name = layer.ilpIndex() >= 0 ? ilpLayers.get(layer.ilpIndex()) : fixedName(layer.name());
                byLayer.put(name, precisionOf(bits.get(i)));
            }
            if (!byLayer.keySet().containsAll(network.indexByName().keySet())) {
                throw new IllegalStateException("Scheme %s of %s does not cover every layer".formatted(scheme, model));
            }
            return new BitConfiguration(byLayer);
        }

        private String fixedName(String published) {
            if (published.equals(OUTPUT)) {
                return fixedLayers.get(1);
            }
            if (published.startsWith("quant_init")) {
                return fixedLayers.get(0);
            }
            throw new IllegalStateException(
                    "Unknown fixed layer '%s' in the %s configurations".formatted(published, model));
        }

        /** A uniform configuration: every layer at {@code bits}, except the fixed layers at 8. */
        public BitConfiguration uniform(int bits) {
            Map<String, String> byLayer = new LinkedHashMap<>();
            for (LayerSpec layer : network.layers()) {
                byLayer.put(layer.name(), fixedLayers.contains(layer.name()) ? precisionOf(8) : precisionOf(bits));
            }
            return new BitConfiguration(byLayer);
        }
    }

    /** HAWQ-V3's W{b}A{b}: {@code int8:int8} or {@code int4:int4}. */
    public static String precisionOf(int bits) {
        return "int%d:int%d".formatted(bits, bits);
    }

    /** Builds {@code resnet18} or {@code resnet50} and checks it against the ILP inputs. */
    public static Model build(String model, List<HawqData.IlpLayer> ilp) {
        List<Conv> convs = switch (model) {
            case "resnet18" -> resnet18();
            case "resnet50" -> resnet50();
            default ->
                throw new IllegalArgumentException(
                        "Unknown HAWQ model '%s'; use resnet18 or resnet50.".formatted(model));
        };
        if (convs.size() != ilp.size()) {
            throw new IllegalStateException("%s has %d ILP layers in the architecture but %d in the inputs"
                    .formatted(model, convs.size(), ilp.size()));
        }
        String first = model.equals("resnet18") ? "quant_init_block_convbn" : "quant_init_convbn";
        long fcIn = model.equals("resnet18") ? 512 : 2048;
        List<LayerSpec> layers = new ArrayList<>();
        Map<String, Integer> strides = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        layers.add(new LayerSpec(first, LayerKind.CONV, List.of(64L, 3L, 7L, 7L), 9408, 9408L * 112 * 112, null));
        strides.put(first, 2);
        for (int i = 0; i < convs.size(); i++) {
            Conv c = convs.get(i);
            HawqData.IlpLayer row = ilp.get(i);
            long params = c.out * c.in * c.k * c.k;
            long macs = params * c.outSize * c.outSize;
            if (!row.name().equals(c.name) || row.parameters() != params || row.macs() != macs) {
                throw new IllegalStateException(
                        "%s layer %d: the architecture gives %s (%d params, %d MACs) but the ILP inputs have %s (%d, %d)"
                                .formatted(model, i, c.name, params, macs, row.name(), row.parameters(), row.macs()));
            }
            String tie = row.tieGroup().isEmpty() ? null : "tie" + row.tieGroup();
            layers.add(new LayerSpec(c.name, LayerKind.CONV, List.of(c.out, c.in, c.k, c.k), params, macs, tie));
            strides.put(c.name, c.stride);
            names.add(c.name);
        }
        layers.add(new LayerSpec(OUTPUT, LayerKind.LINEAR, List.of(1000L, fcIn), 1000 * fcIn, 1000 * fcIn, null));
        return new Model(model, new NetworkSpec(model, layers), strides, names, List.of(first, OUTPUT), 1000);
    }

    private record Conv(String name, long in, long out, long k, int stride, long outSize) {}

    private static List<Conv> resnet18() {
        List<Conv> convs = new ArrayList<>();
        long[] channels = {64, 128, 256, 512};
        long[] sizes = {56, 28, 14, 7};
        long in = 64;
        for (int s = 0; s < 4; s++) {
            for (int u = 0; u < 2; u++) {
                String unit = "stage%d.unit%d.".formatted(s + 1, u + 1);
                boolean down = s > 0 && u == 0;
                long unitIn = u == 0 ? in : channels[s];
                convs.add(new Conv(unit + "quant_convbn1", unitIn, channels[s], 3, down ? 2 : 1, sizes[s]));
                convs.add(new Conv(unit + "quant_convbn2", channels[s], channels[s], 3, 1, sizes[s]));
                if (down) {
                    convs.add(new Conv(unit + "quant_identity_convbn", unitIn, channels[s], 1, 2, sizes[s]));
                }
            }
            in = channels[s];
        }
        return convs;
    }

    private static List<Conv> resnet50() {
        List<Conv> convs = new ArrayList<>();
        long[] mid = {64, 128, 256, 512};
        long[] out = {256, 512, 1024, 2048};
        int[] units = {3, 4, 6, 3};
        long[] sizes = {56, 28, 14, 7};
        long in = 64;
        for (int s = 0; s < 4; s++) {
            for (int u = 0; u < units[s]; u++) {
                String unit = "stage%d.unit%d.".formatted(s + 1, u + 1);
                int stride = s > 0 && u == 0 ? 2 : 1;
                long unitIn = u == 0 ? in : out[s];
                convs.add(new Conv(unit + "quant_convbn1", unitIn, mid[s], 1, stride, sizes[s]));
                convs.add(new Conv(unit + "quant_convbn2", mid[s], mid[s], 3, 1, sizes[s]));
                convs.add(new Conv(unit + "quant_convbn3", mid[s], out[s], 1, 1, sizes[s]));
                if (u == 0) {
                    convs.add(new Conv(unit + "quant_identity_convbn", unitIn, out[s], 1, stride, sizes[s]));
                }
            }
            in = out[s];
        }
        return convs;
    }
}
