package dev.mpq.costs;

import dev.mpq.core.FormatCatalog;
import dev.mpq.core.NumericFormat;
import dev.mpq.core.NumericFormat.Family;
import dev.mpq.core.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides how a device runs a precision ({@link Execution}). The rules, from the device's native
 * modes ({@link DeviceSpec#peakOpsPerSecond()}) and block-scaled formats:
 *
 * <ul>
 *   <li>Weight-only precisions (and 16/32-bit activations) compute in the activation's reference
 *       mode (fp16, bf16, fp32); quantized weights are dequantized in the kernel. A device without
 *       that mode excludes the precision (e.g. bf16 activations on a T4).
 *   <li>Integer activations (per tensor or per row) run on the narrowest integer mode that holds both
 *       element widths (int4 then int8). Equal widths and per-row weight scales are native; narrower
 *       integer or ternary weights, and per-group weight scales (partial sums rescaled per group),
 *       are converted in the kernel. Non-integer weights are excluded.
 *   <li>FP8/FP6/FP4 activations run in FP8 (FP6 where the device has it; plain FP4 has no native
 *       per-channel path and runs in FP8, exactly). Weights whose values the mode represents exactly
 *       (smaller float formats, integers up to 5 bits, ternary, MX/NVFP4 elements) are converted;
 *       wider integers are excluded.
 *   <li>Block-scaled activations (MX, NVFP4) need the device to list the format as block-scaled
 *       native; weights must be block-scaled native too.
 * </ul>
 *
 * <p>Dequantization costs are element-wise operations per weight element (estimates, documented in
 * the module README): widening 1; per-row int or float element decode 2; per-group int decode with
 * its scale 3 (+1 with a zero point); MX 3; NVFP4 4; ternary 2; reference to reference 1.
 */
public final class FormatSupport {

    private FormatSupport() {}

    /** The mode a reference activation format computes in, or null for quantized formats. */
    public static MathMode referenceMode(NumericFormat format) {
        if (format == null || !format.isReference()) {
            return null;
        }
        return switch (format.id()) {
            case "fp16" -> MathMode.FP16;
            case "bf16" -> MathMode.BF16;
            case "fp32" -> MathMode.FP32;
            default -> null;
        };
    }

    /** How {@code device} runs {@code precision}. */
    public static Execution resolve(DeviceSpec device, Precision precision) {
        NumericFormat weight = precision.weight();
        NumericFormat activation = precision.weightOnly() ? device.defaultActivation() : precision.activation();
        if (activation.isReference()) {
            return referenceMath(device, weight, activation, precision.weightOnly());
        }
        return switch (activation.family()) {
            case INT -> integerMath(device, weight, activation);
            case FLOAT -> floatMath(device, weight, activation);
            case MX, NVFP4 -> blockScaledMath(device, weight, activation);
            default ->
                Execution.excluded(
                        "%s activations: no device multiplies %s activations; use int8 or fp8 activations, or the weight-only precision %s"
                                .formatted(activation, activation, weight));
        };
    }

    private static Execution referenceMath(
            DeviceSpec device, NumericFormat weight, NumericFormat activation, boolean weightOnly) {
        MathMode mode = referenceMode(activation);
        if (!device.supports(mode)) {
            return Execution.excluded(
                    "%s has no %s math for %s activations; use %s activations (the weight-only precision %s)"
                            .formatted(device.id(), mode, activation, device.defaultActivation(), weight));
        }
        String in = weightOnly ? "%s (the device's default activation format)".formatted(activation) : activation.id();
        if (weight.equals(activation)) {
            return Execution.natively(mode, "%s weights and activations on %s math".formatted(weight, mode));
        }
        if (weight.isReference()) {
            return Execution.dequantized(mode, 1, "%s weights converted to %s in the kernel".formatted(weight, in));
        }
        return Execution.dequantized(
                mode,
                weightOnlyDequantOps(weight),
                "%s weights dequantized to %s in the kernel, product in %s".formatted(weight, in, mode));
    }

    private static Execution integerMath(DeviceSpec device, NumericFormat weight, NumericFormat activation) {
        if (activation.blockSize() > 0) {
            return Execution.excluded(("%s activations have group scales along the reduction dimension; integer matrix "
                            + "units need one activation scale per tensor or row. Use int%d activations or the weight-only precision %s")
                    .formatted(activation, activation.elementBits(), weight));
        }
        int weightBits;
        if (weight.family() == Family.INT) {
            weightBits = weight.elementBits();
        } else if (weight.family() == Family.TERNARY) {
            weightBits = 2;
        } else {
            return Execution.excluded(("%s weights are not integers, so they cannot feed integer matrix units with %s "
                            + "activations; use integer weights, fp8 activations, or the weight-only precision %s")
                    .formatted(weight, activation, weight));
        }
        int bits = Math.max(weightBits, activation.elementBits());
        MathMode mode = null;
        for (MathMode candidate : List.of(MathMode.INT4, MathMode.INT8)) {
            if (candidate.operandBits() >= bits && device.supports(candidate)) {
                mode = candidate;
                break;
            }
        }
        if (mode == null) {
            return Execution.excluded(
                    "%s has no integer math for %d-bit operands (its modes: %s); use the weight-only precision %s"
                            .formatted(device.id(), bits, modes(device), weight));
        }
        String zeroPoint =
                weight.asymmetric() || activation.asymmetric() ? "; zero points corrected in the epilogue" : "";
        String widenedActivations = activation.elementBits() < mode.operandBits()
                ? "; int%d activations widened to int%d".formatted(activation.elementBits(), mode.operandBits())
                : "";
        if (weight.family() == Family.INT && weightBits == mode.operandBits() && weight.blockSize() == 0) {
            return Execution.natively(
                    mode, "%s weights on %s math%s%s".formatted(weight, mode, widenedActivations, zeroPoint));
        }
        if (weight.blockSize() > 0) {
            return Execution.dequantized(
                    mode,
                    3 + (weight.asymmetric() ? 1 : 0),
                    "%s weights widened to %s, partial sums rescaled per group of %d%s"
                            .formatted(weight, mode, weight.blockSize(), widenedActivations));
        }
        return Execution.dequantized(
                mode,
                1,
                "%s weights widened to %s in the kernel%s%s".formatted(weight, mode, widenedActivations, zeroPoint));
    }

    private static Execution floatMath(DeviceSpec device, NumericFormat weight, NumericFormat activation) {
        MathMode activationMode =
                activation.elementBits() == 6 && device.supports(MathMode.FP6) ? MathMode.FP6 : MathMode.FP8;
        MathMode mode = activationMode;
        if (weight.isReference()) {
            return Execution.excluded(
                    ("%s weights are wider than %s activations' math; use %s:%s or the weight-only " + "precision %s")
                            .formatted(weight, activation, weight, weight, weight));
        }
        if (weight.family() == Family.INT && weight.elementBits() > 5) {
            return Execution.excluded(("%s weights are not exactly representable in FP8 math (integers above 16 need "
                            + "more than 3 mantissa bits); use int8:int8 or the weight-only precision %s")
                    .formatted(weight, weight));
        }
        if (weight.elementBits() == 8 && (weight.family() == Family.FLOAT || weight.family() == Family.MX)) {
            mode = MathMode.FP8;
        }
        if (weight.family() == Family.MX && weight.exponentBits() == 0) {
            return Execution.excluded(("%s weights (8-bit integer elements with power-of-two block scales) are not "
                            + "exactly representable in FP8 math; use the weight-only precision %s")
                    .formatted(weight, weight));
        }
        if (!device.supports(mode)) {
            return Execution.excluded(("%s has no %s math for %s activations (tensor-core FP8 needs Ada, Hopper or "
                            + "Blackwell); use int8 activations or the weight-only precision %s")
                    .formatted(device.id(), mode, activation, weight));
        }
        if (weight.family() == Family.FLOAT
                && weight.elementBits() == mode.operandBits()
                && activation.elementBits() == mode.operandBits()) {
            return Execution.natively(
                    mode, "%s weights and %s activations on %s math".formatted(weight, activation, mode));
        }
        String widenedActivations = activation.elementBits() < mode.operandBits()
                ? "; %s activations converted to %s operands".formatted(activation, mode)
                : "";
        if (weight.blockSize() > 0) {
            return Execution.dequantized(
                    mode,
                    weightOnlyDequantOps(weight),
                    "%s weights converted to %s operands, partial sums rescaled per block of %d%s"
                            .formatted(weight, mode, weight.blockSize(), widenedActivations));
        }
        return Execution.dequantized(
                mode,
                weight.family() == Family.FLOAT ? 1 : 2,
                "%s weights converted exactly to %s operands in the kernel%s"
                        .formatted(weight, mode, widenedActivations));
    }

    private static Execution blockScaledMath(DeviceSpec device, NumericFormat weight, NumericFormat activation) {
        if (!device.blockScaledFormats().contains(activation.id())) {
            return Execution.excluded(("%s activations need matrix units that apply %s block scales (Blackwell "
                            + "B200 class); %s has none. Use the weight-only precision %s")
                    .formatted(activation, activation, device.id(), weight));
        }
        if (!device.blockScaledFormats().contains(weight.id())) {
            return Execution.excluded(
                    "no kernel pairs %s weights with %s activations on %s; use %s:%s or the weight-only precision %s"
                            .formatted(weight, activation, device.id(), activation, activation, weight));
        }
        MathMode mode = blockMode(Math.max(weight.elementBits(), activation.elementBits()), activation);
        if (!device.supports(mode)) {
            return Execution.excluded(
                    "%s lists %s as block-scaled native but has no %s peak; add the %s peak to its spec"
                            .formatted(device.id(), activation, mode, mode));
        }
        return Execution.natively(
                mode, "%s weights and %s activations with block scales on %s math".formatted(weight, activation, mode));
    }

    private static MathMode blockMode(int bits, NumericFormat activation) {
        if (activation.exponentBits() == 0) {
            return MathMode.INT8;
        }
        return bits <= 4 ? MathMode.FP4 : bits <= 6 ? MathMode.FP6 : MathMode.FP8;
    }

    /** Element-wise operations to dequantize one weight element to a 16/32-bit reference format. */
    static double weightOnlyDequantOps(NumericFormat weight) {
        return switch (weight.family()) {
            case INT -> (weight.blockSize() > 0 ? 3 : 2) + (weight.asymmetric() ? 1 : 0);
            case FLOAT, TERNARY -> 2;
            case MX -> 3;
            case NVFP4 -> 4;
            case REFERENCE -> 1;
        };
    }

    private static String modes(DeviceSpec device) {
        return device.peakOpsPerSecond().keySet().stream().map(MathMode::id).collect(Collectors.joining(", "));
    }

    /**
     * Per catalogue format: native on this device (paired with itself as activation format), only as
     * dequantize-then-compute (weight-only), or not at all.
     */
    public static List<FormatRow> table(DeviceSpec device) {
        List<FormatRow> rows = new ArrayList<>();
        for (NumericFormat format : FormatCatalog.all()) {
            Execution paired = resolve(device, new Precision(format, format));
            if (paired.kind() == Execution.Kind.NATIVE) {
                rows.add(new FormatRow(format.id(), Execution.Kind.NATIVE, paired.mode(), paired.note()));
                continue;
            }
            Execution weightOnly = resolve(device, new Precision(format, null));
            rows.add(new FormatRow(format.id(), weightOnly.kind(), weightOnly.mode(), weightOnly.note()));
        }
        return rows;
    }

    /** One line of {@link #table(DeviceSpec)}. */
    public record FormatRow(String format, Execution.Kind support, MathMode mode, String note) {}
}
