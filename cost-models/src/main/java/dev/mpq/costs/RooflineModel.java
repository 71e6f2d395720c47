package dev.mpq.costs;

import dev.mpq.core.LayerKind;
import dev.mpq.core.NumericFormat;
import dev.mpq.core.Precision;

/**
 * The roofline latency of one layer step (DESIGN.md section 6):
 *
 * <pre>
 * compute  = 2 x MACs x batch / (peak[mode] x eff[mode])
 * dequant  = weight elements x ceil(rows of the product / 128) x ops per element / (vector rate x eff[mode])
 * memory   = (weight bytes + input bytes + output bytes) / (bandwidth x memory eff)
 * latency  = max(compute + dequant, memory) + overhead
 * </pre>
 *
 * <p>The mode and the dequantization come from {@link FormatSupport}. Rows of the product = batch x
 * output positions (tokens for a linear layer); converted weights are converted once per tile of
 * {@value #DEQUANT_TILE_ROWS} rows, so small batches pay once and large ones repeatedly (llama.cpp's
 * slower 4-bit prompt processing). Input bytes = batch x input elements x the activation format's
 * effective bits / 8 (the device's default activation format for weight-only precisions); output
 * bytes likewise, unless the device spec fixes {@link DeviceSpec#outputBits()} (e.g. 32 for kernels
 * that write int32 accumulators).
 */
public final class RooflineModel {

    /** Rows of the activation matrix that share one conversion of a weight tile. */
    public static final int DEQUANT_TILE_ROWS = 128;

    private RooflineModel() {}

    /** How the device runs the precision; excluded precisions have no terms. */
    public static Execution execution(DeviceSpec device, Precision precision) {
        return FormatSupport.resolve(device, precision);
    }

    /** The terms at 100 % efficiency; fails for a precision the device excludes. */
    public static RooflineTerms terms(DeviceSpec device, LayerShape shape, Precision precision, int batch) {
        return terms(device, shape, precision, batch, FormatSupport.resolve(device, precision));
    }

    static RooflineTerms terms(
            DeviceSpec device, LayerShape shape, Precision precision, int batch, Execution execution) {
        if (batch < 1) {
            throw new IllegalArgumentException(
                    "Batch %d is not valid; give the samples (or tokens) per step, >= 1.".formatted(batch));
        }
        if (execution.isExcluded()) {
            throw new IllegalArgumentException(
                    "%s cannot run %s: %s".formatted(device.id(), precision.id(), execution.note()));
        }
        double peak = device.peak(execution.mode()).orElseThrow();
        double compute = 2.0 * shape.macsPerSample() * batch / peak;
        long weightElements = shape.weightElementsRead(batch);
        double productRows = batch * shape.positions();
        double conversions = Math.ceil(productRows / DEQUANT_TILE_ROWS);
        double dequant = weightElements * conversions * execution.dequantOpsPerWeight() / device.vectorOpsPerSecond();
        long weightBytes = shape.kind() == LayerKind.EMBEDDING
                ? LayerAccounting.weightBytes(Math.min(shape.rows(), batch), shape.rowLength(), precision.weight())
                : LayerAccounting.weightBytes(shape, precision.weight());
        NumericFormat activation = precision.weightOnly() ? device.defaultActivation() : precision.activation();
        double inputBits = LayerAccounting.activationStorageBits(activation);
        double outputBits = device.outputBits() > 0 ? device.outputBits() : inputBits;
        double activationBytes = batch
                * (shape.inputElementsPerSample() * inputBits + shape.outputElementsPerSample() * outputBits)
                / 8.0;
        double memory = (weightBytes + activationBytes) / device.memoryBandwidthBytesPerSecond();
        return new RooflineTerms(execution, compute, dequant, memory, weightBytes, activationBytes);
    }

    /** The terms after the device's efficiencies. */
    public static LayerCost.Breakdown breakdown(DeviceSpec device, RooflineTerms terms) {
        double eff = device.efficiency(terms.execution().mode());
        return new LayerCost.Breakdown(
                terms.computeSeconds() / eff,
                terms.dequantSeconds() / eff,
                terms.memorySeconds() / device.memoryEfficiency(),
                device.overheadSeconds());
    }

    /** The latency of the terms with the device's efficiencies and overhead. */
    public static double latency(DeviceSpec device, RooflineTerms terms) {
        return breakdown(device, terms).totalSeconds();
    }

    /** The predicted cost of a layer step (no measured table), or the reason it is excluded. */
    public static LayerCost predict(DeviceSpec device, LayerShape shape, Precision precision, int batch) {
        Execution execution = FormatSupport.resolve(device, precision);
        if (execution.isExcluded()) {
            return new LayerCost.Excluded(precision.id(), execution.note());
        }
        RooflineTerms terms = terms(device, shape, precision, batch, execution);
        LayerCost.Breakdown breakdown = breakdown(device, terms);
        double seconds = breakdown.totalSeconds();
        return new LayerCost.Costed(
                precision.id(),
                seconds,
                LatencySource.PREDICTED,
                seconds,
                LayerAccounting.weightBytes(shape, precision.weight()),
                LayerAccounting.bops(shape, precision),
                execution,
                breakdown,
                breakdown.memoryBound() ? "roofline, memory bound" : "roofline, compute bound");
    }
}
