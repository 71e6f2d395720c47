package dev.mpq.devices.kernels;

import dev.mpq.core.FormatCatalog;
import dev.mpq.core.NumericFormat;
import dev.mpq.sensitivity.format.IntQuantizer;
import dev.mpq.sensitivity.format.MiniFloat;
import dev.mpq.sensitivity.format.MxQuantizer;
import dev.mpq.sensitivity.format.Nvfp4Quantizer;

/**
 * Packs fp32 weights ({@code [out, in]}, row-major) into the kernels' layouts with the scale rules
 * of {@code sensitivity}'s quantizers, so that every decoded weight equals that module's
 * dequantized value bit for bit (tested): int codes and scales come from {@link IntQuantizer};
 * float element codes are {@link MiniFloat#encode} of the very quotients the quantizers round.
 * A block holding NaN or an infinity packs as a NaN scale (the quantizers' convention).
 */
public final class WeightPacker {

    private WeightPacker() {}

    /** The kernel matrix of {@code weights} in {@code formatId} (one of {@link RandomWeights#FORMATS}). */
    public static WeightMatrix pack(String formatId, float[] weights, int rows, int cols) {
        Shapes.check(formatId, rows, cols);
        Shapes.checkLength(formatId + " weights", weights.length, (long) rows * cols);
        NumericFormat format = FormatCatalog.byId(formatId);
        return switch (formatId) {
            case "fp32" -> new Fp32Weights(rows, cols, weights.clone());
            case "bf16" -> {
                short[] codes = new short[weights.length];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] = (short) MiniFloat.BF16.encode(weights[i]);
                }
                yield new Bf16Weights(rows, cols, codes);
            }
            case "int8" -> {
                IntQuantizer.Encoded e = IntQuantizer.of(format).encode(weights, rows, cols);
                byte[] codes = new byte[weights.length];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] = (byte) e.codes()[i];
                }
                yield new Int8Weights(rows, cols, codes, e.scales());
            }
            case "fp8-e4m3" -> packFloat(MiniFloat.E4M3, weights, rows, cols, true);
            case "fp4-e2m1" -> packFloat(MiniFloat.E2M1, weights, rows, cols, false);
            case "mxfp4" -> packMxfp4(weights, rows, cols);
            case "nvfp4" -> packNvfp4(weights, rows, cols);
            default -> {
                if (format.family() != NumericFormat.Family.INT || format.asymmetric() || format.blockSize() == 0) {
                    throw new IllegalArgumentException("The kernels have no layout for '%s'; they cover %s."
                            .formatted(formatId, RandomWeights.FORMATS));
                }
                IntQuantizer.Encoded e = IntQuantizer.of(format).encode(weights, rows, cols);
                short[] scales = new short[e.scales().length];
                for (int i = 0; i < scales.length; i++) {
                    scales[i] = Fp16.fromFloat(e.scales()[i]); // exact: the quantizer rounded them to fp16
                }
                yield GroupIntWeights.pack(format.elementBits(), format.blockSize(), rows, cols, e.codes(), scales);
            }
        };
    }

    /** One fp32 scale per row, amax / maxFinite; codes of round(w / scale) (FloatQuantizer's rule). */
    private static WeightMatrix packFloat(MiniFloat element, float[] w, int rows, int cols, boolean eightBit) {
        float maxFinite = (float) element.maxFinite();
        float[] scales = new float[rows];
        int[] codes = new int[w.length];
        for (int r = 0; r < rows; r++) {
            float amax = 0;
            boolean finite = true;
            for (int c = 0; c < cols; c++) {
                finite &= Float.isFinite(w[r * cols + c]);
                amax = Math.max(amax, Math.abs(w[r * cols + c]));
            }
            float scale = finite ? amax / maxFinite : Float.NaN;
            scales[r] = scale;
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                codes[i] = scale == 0 || !finite ? 0 : element.encode(w[i] / scale);
            }
        }
        if (eightBit) {
            byte[] bytes = new byte[codes.length];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) codes[i];
            }
            return new Fp8E4m3Weights(rows, cols, bytes, scales);
        }
        return Fp4E2m1Weights.pack(rows, cols, codes, scales);
    }

    /** E8M0 scale 2^(floor(log2 amax) - 2) per block of 32 (MxQuantizer's rule), E2M1 codes. */
    private static WeightMatrix packMxfp4(float[] w, int rows, int cols) {
        int blocks = (cols + MxFp4Weights.BLOCK - 1) / MxFp4Weights.BLOCK;
        byte[] scales = new byte[rows * blocks];
        int[] codes = new int[w.length];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < blocks; k++) {
                int from = r * cols + k * MxFp4Weights.BLOCK;
                int to = r * cols + Math.min(cols, (k + 1) * MxFp4Weights.BLOCK);
                float amax = 0;
                boolean finite = true;
                for (int i = from; i < to; i++) {
                    finite &= Float.isFinite(w[i]);
                    amax = Math.max(amax, Math.abs(w[i]));
                }
                if (!finite) {
                    scales[r * blocks + k] = (byte) 0xFF;
                    continue;
                }
                if (amax == 0) {
                    scales[r * blocks + k] = 0; // 2^-127, all codes 0
                    continue;
                }
                int exponent = MxQuantizer.sharedExponent(amax, MiniFloat.E2M1);
                scales[r * blocks + k] = (byte) (exponent + 127);
                double x = Math.scalb(1.0, exponent);
                for (int i = from; i < to; i++) {
                    codes[i] = MiniFloat.E2M1.encode(w[i] / x);
                }
            }
        }
        return MxFp4Weights.pack(rows, cols, codes, scales);
    }

    /** Tensor scale amax / (6 * 448), E4M3 block scales of amax(block) / 6 / tensorScale (Nvfp4Quantizer's rule). */
    private static WeightMatrix packNvfp4(float[] w, int rows, int cols) {
        int blocks = (cols + NvFp4Weights.BLOCK - 1) / NvFp4Weights.BLOCK;
        byte[] blockScales = new byte[rows * blocks];
        int[] codes = new int[w.length];
        float amax = 0;
        boolean finite = true;
        for (float v : w) {
            finite &= Float.isFinite(v);
            amax = Math.max(amax, Math.abs(v));
        }
        float tensorScale = finite ? Nvfp4Quantizer.tensorScale(amax) : Float.NaN;
        for (int r = 0; r < rows && finite && tensorScale != 0; r++) {
            for (int k = 0; k < blocks; k++) {
                int from = r * cols + k * NvFp4Weights.BLOCK;
                int to = r * cols + Math.min(cols, (k + 1) * NvFp4Weights.BLOCK);
                float blockAmax = 0;
                for (int i = from; i < to; i++) {
                    blockAmax = Math.max(blockAmax, Math.abs(w[i]));
                }
                int scaleCode = MiniFloat.E4M3.encode(blockAmax / 6f / tensorScale);
                blockScales[r * blocks + k] = (byte) scaleCode;
                float scale = E4m3.decode(scaleCode) * tensorScale;
                for (int i = from; i < to; i++) {
                    codes[i] = scale == 0 ? 0 : MiniFloat.E2M1.encode(w[i] / scale);
                }
            }
        }
        return NvFp4Weights.pack(rows, cols, codes, blockScales, tensorScale);
    }
}
