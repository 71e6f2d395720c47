package dev.mpq.service.worker;

import dev.mpq.core.LayerSpec;
import dev.mpq.core.NetworkSpec;
import dev.mpq.core.Precision;
import dev.mpq.core.worker.ProfileItem;
import dev.mpq.service.api.Validation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The items of a profile task: every distinct (layer kind, weight shape, MACs) of the network in every
 * requested precision at every requested batch. Layers of the same shape share one measurement,
 * so one table serves every network with those shapes.
 */
final class ProfilePlan {

    static final int MAX_BATCH = 4096;

    private ProfilePlan() {}

    static String key(String kind, List<Long> shape, long macs, String precision, int batch) {
        return "%s/%s/m%d/%s/b%d"
                .formatted(
                        kind,
                        shape.stream().map(String::valueOf).collect(Collectors.joining("x")),
                        macs,
                        precision,
                        batch);
    }

    static List<ProfileItem> items(NetworkSpec network, List<String> precisions, List<Integer> batches) {
        Validation errors = new Validation();
        if (precisions == null || precisions.isEmpty()) {
            errors.reject("precisions", "Name the precisions to measure, e.g. [\"int8:int8\", \"int4-g128\"].");
        }
        if (batches == null || batches.isEmpty()) {
            errors.reject("batches", "Name the batch sizes to measure, e.g. [1, 64].");
        }
        errors.throwIfInvalid();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < precisions.size(); i++) {
            try {
                ids.add(Precision.parse(precisions.get(i)).id());
            } catch (IllegalArgumentException e) {
                errors.reject("precisions[%d]".formatted(i), e.getMessage());
            }
        }
        for (int i = 0; i < batches.size(); i++) {
            Integer batch = batches.get(i);
            if (batch == null || batch < 1 || batch > MAX_BATCH) {
                errors.reject("batches[%d]".formatted(i), "Batch %s: use 1..%d.".formatted(batch, MAX_BATCH));
            }
        }
        errors.throwIfInvalid();
        Map<String, ProfileItem> items = new LinkedHashMap<>();
        for (LayerSpec layer : network.layers()) {
            if (layer.shape().size() < 2) {
                continue; // nothing to time without a weight matrix shape
            }
            for (String precision : ids) {
                for (int batch : batches) {
                    String key = key(layer.kind().id(), layer.shape(), layer.macs(), precision, batch);
                    items.putIfAbsent(
                            key,
                            new ProfileItem(key, layer.kind().id(), layer.shape(), layer.macs(), precision, batch));
                }
            }
        }
        if (items.isEmpty()) {
            errors.reject(
                    "networkId", "Network '%s' has no layer with a weight shape to measure.".formatted(network.name()));
            errors.throwIfInvalid();
        }
        return List.copyOf(items.values());
    }
}
