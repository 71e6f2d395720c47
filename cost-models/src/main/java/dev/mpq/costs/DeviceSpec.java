package dev.mpq.costs;

import dev.mpq.core.FormatCatalog;
import dev.mpq.core.NumericFormat;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the cost model knows about one device: peak throughput per math mode, memory, the formats its
 * matrix units consume natively, and the model's efficiency and overhead terms (catalogue defaults,
 * replaced by {@link Calibration}).
 *
 * <p>A mode missing from {@code peakOpsPerSecond} has no native support. Formats whose elements no
 * mode accepts run as dequantize-then-compute in the activation format's mode ({@link
 * FormatSupport}).
 *
 * @param id lower-case id, e.g. {@code t4}
 * @param name human-readable name
 * @param kind GPU or CPU
 * @param peakOpsPerSecond dense peak per native mode, operations per second (a MAC is 2 operations)
 * @param vectorOpsPerSecond element-wise operations per second (conversions, dequantization); the
 *     catalogue uses the FP32 peak / 2 (one FMA counts 2 FLOPs but is one instruction per lane)
 * @param memoryBandwidthBytesPerSecond peak memory bandwidth
 * @param memoryBytes device memory
 * @param defaultActivation the 16-bit (or 32-bit) format weight-only precisions compute in: fp16,
 *     bf16 or fp32
 * @param blockScaledFormats block-scaled format ids (mxfp8, mxfp6, mxfp4, nvfp4, mxint8) the matrix
 *     units consume with their block scales
 * @param computeEfficiency fraction of peak reached by matrix products in every mode without its own
 *     entry in {@code modeEfficiency}
 * @param modeEfficiency per-mode fraction of peak (measured ceilings or a calibration)
 * @param memoryEfficiency fraction of peak bandwidth reached by streaming reads
 * @param overheadSeconds fixed time per layer (kernel launch, synchronisation)
 * @param outputBits bits per output element a kernel writes; 0 = the activation format's own
 *     storage (requantization fused into the kernel)
 * @param source where the figures come from
 * @param estimates which fields are estimates rather than published figures
 */
public record DeviceSpec(
        String id,
        String name,
        DeviceKind kind,
        Map<MathMode, Double> peakOpsPerSecond,
        double vectorOpsPerSecond,
        double memoryBandwidthBytesPerSecond,
        long memoryBytes,
        NumericFormat defaultActivation,
        Set<String> blockScaledFormats,
        double computeEfficiency,
        Map<MathMode, Double> modeEfficiency,
        double memoryEfficiency,
        double overheadSeconds,
        int outputBits,
        String source,
        List<String> estimates) {

    /** Block-scaled formats a device may list as native. */
    public static final Set<String> BLOCK_SCALED_IDS = Set.of("mxfp8", "mxfp6", "mxfp4", "nvfp4", "mxint8");

    public DeviceSpec {
        if (id == null || !id.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException(
                    "Device id '%s' is not valid; use lower-case letters, digits, '.', '_' or '-', e.g. t4 or a100-80gb."
                            .formatted(id));
        }
        name = name == null || name.isBlank() ? id : name;
        Objects.requireNonNull(kind, () -> "Device (%s) has no kind; use gpu or cpu.".formatted(id));
        peakOpsPerSecond = copyPositive(id, "peak", peakOpsPerSecond);
        if (peakOpsPerSecond.isEmpty()) {
            throw new IllegalArgumentException(
                    "Device (%s) has no math mode with a peak; give at least the peak of its default activation mode."
                            .formatted(id));
        }
        requirePositive(id, "vector ops per second", vectorOpsPerSecond);
        requirePositive(id, "memory bandwidth (bytes/s)", memoryBandwidthBytesPerSecond);
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException(
                    "Device (%s) has %d bytes of memory; give the device memory in bytes (> 0)."
                            .formatted(id, memoryBytes));
        }
        Objects.requireNonNull(
                defaultActivation,
                () -> "Device (%s) has no default activation format; use fp16, bf16 or fp32.".formatted(id));
        MathMode defaultMode = FormatSupport.referenceMode(defaultActivation);
        if (defaultMode == null) {
            throw new IllegalArgumentException("Device (%s) has default activation %s; it must be fp16, bf16 or fp32."
                    .formatted(id, defaultActivation));
        }
        if (!peakOpsPerSecond.containsKey(defaultMode)) {
            throw new IllegalArgumentException(
                    "Device (%s) computes weight-only precisions in %s but has no %s peak; add it or choose another default activation."
                            .formatted(id, defaultActivation, defaultMode));
        }
        Set<String> scaled = new TreeSet<>();
        for (String format : blockScaledFormats == null ? Set.<String>of() : blockScaledFormats) {
            if (!BLOCK_SCALED_IDS.contains(format)) {
                throw new IllegalArgumentException(
                        "Device (%s) lists '%s' as a native block-scaled format; use some of %s."
                                .formatted(id, format, new TreeSet<>(BLOCK_SCALED_IDS)));
            }
            scaled.add(format);
        }
        blockScaledFormats = Collections.unmodifiableSet(scaled);
        requirePositive(id, "compute efficiency", computeEfficiency);
        modeEfficiency = copyPositive(id, "efficiency", modeEfficiency);
        requirePositive(id, "memory efficiency", memoryEfficiency);
        if (!(overheadSeconds >= 0) || !Double.isFinite(overheadSeconds)) {
            throw new IllegalArgumentException(
                    "Device (%s) has overhead %s s; give a finite time >= 0.".formatted(id, overheadSeconds));
        }
        if (outputBits != 0 && (outputBits < 4 || outputBits > 32)) {
            throw new IllegalArgumentException(
                    "Device (%s) has output bits %d; use 0 (the activation format) or 4..32 (e.g. 32 for int32 outputs)."
                            .formatted(id, outputBits));
        }
        source = source == null ? "" : source;
        estimates = List.copyOf(estimates == null ? List.of() : estimates);
    }

    private static Map<MathMode, Double> copyPositive(String id, String what, Map<MathMode, Double> values) {
        EnumMap<MathMode, Double> copy = new EnumMap<>(MathMode.class);
        if (values != null) {
            for (Map.Entry<MathMode, Double> e : values.entrySet()) {
                Objects.requireNonNull(
                        e.getKey(), () -> "Device (%s) has a %s without a math mode.".formatted(id, what));
                requirePositive(id, e.getKey() + " " + what, e.getValue() == null ? Double.NaN : e.getValue());
                copy.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    private static void requirePositive(String id, String what, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "Device (%s) has %s = %s; it must be a finite number > 0.".formatted(id, what, value));
        }
    }

    /** The peak of a mode, empty when the device has no native support for it. */
    public OptionalDouble peak(MathMode mode) {
        Double peak = peakOpsPerSecond.get(mode);
        return peak == null ? OptionalDouble.empty() : OptionalDouble.of(peak);
    }

    public boolean supports(MathMode mode) {
        return peakOpsPerSecond.containsKey(mode);
    }

    /** The fraction of peak matrix products reach in a mode. */
    public double efficiency(MathMode mode) {
        return modeEfficiency.getOrDefault(mode, computeEfficiency);
    }

    /** The math mode weight-only precisions compute in. */
    public MathMode defaultMode() {
        return FormatSupport.referenceMode(defaultActivation);
    }

    /** A copy with the fields that {@code overrides} sets replaced. */
    public DeviceSpec apply(Overrides overrides) {
        if (overrides == null) {
            return this;
        }
        Map<MathMode, Double> peaks = new EnumMap<>(MathMode.class);
        peaks.putAll(peakOpsPerSecond);
        if (overrides.peakOpsPerSecond() != null) {
            overrides.peakOpsPerSecond().forEach((mode, value) -> {
                if (value == null || value <= 0) {
                    peaks.remove(mode);
                } else {
                    peaks.put(mode, value);
                }
            });
        }
        Map<MathMode, Double> efficiencies = new EnumMap<>(MathMode.class);
        efficiencies.putAll(modeEfficiency);
        if (overrides.modeEfficiency() != null) {
            overrides.modeEfficiency().forEach((mode, value) -> {
                if (value == null) {
                    efficiencies.remove(mode);
                } else {
                    efficiencies.put(mode, value);
                }
            });
        }
        return new DeviceSpec(
                or(overrides.id(), id),
                or(overrides.name(), name),
                or(overrides.kind(), kind),
                peaks,
                or(overrides.vectorOpsPerSecond(), vectorOpsPerSecond),
                or(overrides.memoryBandwidthBytesPerSecond(), memoryBandwidthBytesPerSecond),
                or(overrides.memoryBytes(), memoryBytes),
                overrides.defaultActivation() == null
                        ? defaultActivation
                        : FormatCatalog.byId(overrides.defaultActivation()),
                overrides.blockScaledFormats() == null
                        ? blockScaledFormats
                        : new LinkedHashSet<>(overrides.blockScaledFormats()),
                or(overrides.computeEfficiency(), computeEfficiency),
                efficiencies,
                or(overrides.memoryEfficiency(), memoryEfficiency),
                or(overrides.overheadSeconds(), overheadSeconds),
                or(overrides.outputBits(), outputBits),
                overrides.source() == null ? source : overrides.source(),
                estimates);
    }

    private static <T> T or(T override, T current) {
        return override == null ? current : override;
    }

    /** A copy with another id (a registered device starting from a catalogue entry). */
    public DeviceSpec withId(String newId, String newName) {
        return apply(Overrides.none().withId(newId, newName));
    }

    /**
     * Changes to a spec: every field left null keeps the base value. Peaks and mode efficiencies are
     * merged per mode (a peak {@code <= 0} or null removes the mode; a null efficiency falls back to
     * the device-wide one); {@code blockScaledFormats} replaces the set.
     */
    public record Overrides(
            String id,
            String name,
            DeviceKind kind,
            Map<MathMode, Double> peakOpsPerSecond,
            Double vectorOpsPerSecond,
            Double memoryBandwidthBytesPerSecond,
            Long memoryBytes,
            String defaultActivation,
            Set<String> blockScaledFormats,
            Double computeEfficiency,
            Map<MathMode, Double> modeEfficiency,
            Double memoryEfficiency,
            Double overheadSeconds,
            Integer outputBits,
            String source) {

        public Overrides {
            peakOpsPerSecond = copy(peakOpsPerSecond);
            modeEfficiency = copy(modeEfficiency);
            blockScaledFormats = blockScaledFormats == null ? null : Set.copyOf(blockScaledFormats);
        }

        private static Map<MathMode, Double> copy(Map<MathMode, Double> values) {
            if (values == null) {
                return null;
            }
            Map<MathMode, Double> copy = new EnumMap<>(MathMode.class);
            copy.putAll(values);
            return Collections.unmodifiableMap(copy);
        }

        /** No change. */
        public static Overrides none() {
            return new Overrides(
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        public Overrides withId(String newId, String newName) {
            return new Overrides(
                    newId,
                    newName,
                    kind,
                    peakOpsPerSecond,
                    vectorOpsPerSecond,
                    memoryBandwidthBytesPerSecond,
                    memoryBytes,
                    defaultActivation,
                    blockScaledFormats,
                    computeEfficiency,
                    modeEfficiency,
                    memoryEfficiency,
                    overheadSeconds,
                    outputBits,
                    source);
        }

        public Overrides withPeak(MathMode mode, double opsPerSecond) {
            Map<MathMode, Double> peaks = new EnumMap<>(MathMode.class);
            if (peakOpsPerSecond != null) {
                peaks.putAll(peakOpsPerSecond);
            }
            peaks.put(mode, opsPerSecond);
            return new Overrides(
                    id,
                    name,
                    kind,
                    peaks,
                    vectorOpsPerSecond,
                    memoryBandwidthBytesPerSecond,
                    memoryBytes,
                    defaultActivation,
                    blockScaledFormats,
                    computeEfficiency,
                    modeEfficiency,
                    memoryEfficiency,
                    overheadSeconds,
                    outputBits,
                    source);
        }

        public Overrides withMemory(Double bandwidthBytesPerSecond, Long bytes) {
            return new Overrides(
                    id,
                    name,
                    kind,
                    peakOpsPerSecond,
                    vectorOpsPerSecond,
                    bandwidthBytesPerSecond,
                    bytes,
                    defaultActivation,
                    blockScaledFormats,
                    computeEfficiency,
                    modeEfficiency,
                    memoryEfficiency,
                    overheadSeconds,
                    outputBits,
                    source);
        }

        /** Efficiency and overhead terms (what a calibration sets); null fields keep the base value. */
        public Overrides withEfficiencies(
                Map<MathMode, Double> perMode, Double compute, Double memory, Double overhead) {
            return new Overrides(
                    id,
                    name,
                    kind,
                    peakOpsPerSecond,
                    vectorOpsPerSecond,
                    memoryBandwidthBytesPerSecond,
                    memoryBytes,
                    defaultActivation,
                    blockScaledFormats,
                    compute,
                    perMode,
                    memory,
                    overhead,
                    outputBits,
                    source);
        }

        public Overrides withOutputBits(int bits) {
            return new Overrides(
                    id,
                    name,
                    kind,
                    peakOpsPerSecond,
                    vectorOpsPerSecond,
                    memoryBandwidthBytesPerSecond,
                    memoryBytes,
                    defaultActivation,
                    blockScaledFormats,
                    computeEfficiency,
                    modeEfficiency,
                    memoryEfficiency,
                    overheadSeconds,
                    bits,
                    source);
        }
    }
}
