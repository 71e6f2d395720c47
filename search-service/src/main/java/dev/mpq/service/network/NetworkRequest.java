package dev.mpq.service.network;

import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.service.api.Validation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /api/networks}: a name and the layer list (CONTRACTS.md section 2).
 *
 * @param layers {@code {name, kind, shape, parameters, macs, tieGroup}}; {@code parameters} defaults
 *     to the product of the shape; {@code macs} defaults to the parameters for linear and matmul
 *     layers (one multiply-accumulate per weight per token) and must be given for the others
 */
public record NetworkRequest(String name, List<LayerRequest> layers) {

    /** One layer as sent by the client. */
    public record LayerRequest(
            String name, String kind, List<Long> shape, Long parameters, Long macs, String tieGroup) {}

    /** Validates every field and returns the network, or throws with all field errors. */
    public NetworkSpec toSpec() {
        Validation errors = new Validation();
        if (name == null || name.isBlank()) {
            errors.reject("name", "A network needs a non-blank name.");
        }
        if (layers == null || layers.isEmpty()) {
            errors.reject("layers", "A network needs at least one layer {name, kind, shape, parameters, macs}.");
            errors.throwIfInvalid();
        }
        Set<String> names = new HashSet<>();
        List<LayerSpec> specs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerRequest layer = layers.get(i);
            String at = "layers[%d]".formatted(i);
            if (layer == null) {
                errors.reject(at, "A layer must be an object, not null.");
                continue;
            }
            if (layer.name() == null || layer.name().isBlank()) {
                errors.reject(at + ".name", "Every layer needs a non-blank name.");
            } else if (!names.add(layer.name())) {
                errors.reject(
                        at + ".name", "Layer name '%s' is used twice; names must be unique.".formatted(layer.name()));
            }
            LayerKind kind = null;
            try {
                kind = LayerKind.fromId(layer.kind());
            } catch (IllegalArgumentException e) {
                errors.reject(at + ".kind", e.getMessage());
            }
            List<Long> shape = layer.shape() == null ? List.of() : layer.shape();
            long product = 1;
            boolean shapeOk = true;
            for (int d = 0; d < shape.size(); d++) {
                Long dim = shape.get(d);
                if (dim == null || dim <= 0) {
                    errors.reject(
                            "%s.shape[%d]".formatted(at, d), "Dimension %s must be a positive integer.".formatted(dim));
                    shapeOk = false;
                } else {
                    product = Math.multiplyExact(product, dim);
                }
            }
            Long parameters = layer.parameters();
            if (parameters == null) {
                if (shape.isEmpty() || !shapeOk) {
                    errors.reject(at + ".parameters", "Give the parameter count or a shape to compute it from.");
                }
                parameters = product;
            } else if (parameters < 0) {
                errors.reject(at + ".parameters", "%d parameters: the count cannot be negative.".formatted(parameters));
            }
            Long macs = layer.macs();
            if (macs == null) {
                if (kind == LayerKind.LINEAR || kind == LayerKind.MATMUL) {
                    macs = parameters;
                } else if (kind == LayerKind.EMBEDDING || kind == LayerKind.KV_CACHE) {
                    macs = 0L;
                } else {
                    errors.reject(at + ".macs", "Give the MACs per input of this %s layer.".formatted(layer.kind()));
                }
            } else if (macs < 0) {
                errors.reject(at + ".macs", "%d MACs: the count cannot be negative.".formatted(macs));
            }
            if (errors.ok()) {
                specs.add(new LayerSpec(layer.name(), kind, shape, parameters, macs, layer.tieGroup()));
            }
        }
        errors.throwIfInvalid();
        return new NetworkSpec(name, specs);
    }
}
