package dev.mpq.sensitivity.calibration;

import java.util.List;

/** The inputs of one network run. */
public record CalibrationSample(List<InputTensor> inputs) {

    public CalibrationSample {
        inputs = List.copyOf(inputs);
    }

    /** The input with this name, or null. */
    public InputTensor input(String name) {
        return inputs.stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
    }
}
