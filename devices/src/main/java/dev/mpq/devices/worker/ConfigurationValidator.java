package dev.mpq.devices.worker;

import dev.mpq.core.worker.ValidateLayer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Runs one configuration of a validation task: per-layer and total latency, and the output error when the weights are known. */
public interface ConfigurationValidator {

    /**
     * What a validation measured: the fields of the protocol's {@code ValidationReport} without the
     * lease token.
     */
    record Outcome(
            Map<String, Double> layerSeconds,
            double totalSeconds,
            Double outputError,
            String errorMetric,
            String environment) {

        public Outcome {
            layerSeconds = Map.copyOf(layerSeconds);
        }
    }

    /** The configuration cannot run here (a precision without a kernel). */
    final class CannotRun extends RuntimeException {
        public CannotRun(String message) {
            super(message);
        }
    }

    /**
     * Measures the configuration at {@code batch}; empty when {@code cancelled} turned true on the way
     * (the worker is stopping or lost its lease).
     *
     * @param model the network's ONNX file, when the service has its weights
     * @throws CannotRun when a layer's precision has no kernel on this worker
     */
    Optional<Outcome> validate(List<ValidateLayer> layers, int batch, Optional<Path> model, BooleanSupplier cancelled);
}
