package dev.mpq.devices.kernels;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random weight matrices in every format the kernels cover, with realistic scales (finite,
 * no NaN codes): the inputs of the kernel tests and of {@code bench kernels}.
 */
public final class RandomWeights {

    /** Every weight format id the kernels cover, in table order. */
    public static final List<String> FORMATS = List.of(
            "fp32",
            "bf16",
            "int8",
            "int8-g32",
            "int8-g64",
            "int8-g128",
            "int4-g32",
            "int4-g64",
            "int4-g128",
            "int3-g32",
            "int3-g64",
            "int3-g128",
            "int2-g32",
            "int2-g64",
            "int2-g128",
            "fp8-e4m3",
            "fp4-e2m1",
            "mxfp4",
            "nvfp4");

    private RandomWeights() {}

    /** A {@code rows x cols} matrix in {@code format} (one of {@link #FORMATS}). */
    public static WeightMatrix of(String format, int rows, int cols, SplittableRandom random) {
        int n = rows * cols;
        switch (format) {
            case "fp32" -> {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (float) (random.nextDouble() * 2 - 1) * 0.05f;
                }
                return new Fp32Weights(rows, cols, values);
            }
            case "bf16" -> {
                short[] codes = new short[n];
                for (int i = 0; i < n; i++) {
                    codes[i] = Bf16.fromFloat((float) (random.nextDouble() * 2 - 1) * 0.05f);
                }
                return new Bf16Weights(rows, cols, codes);
            }
            case "int8" -> {
                byte[] codes = new byte[n];
                for (int i = 0; i < n; i++) {
                    codes[i] = (byte) random.nextInt(-128, 128);
                }
                return new Int8Weights(rows, cols, codes, rowScales(rows, random));
            }
            case "fp8-e4m3" -> {
                byte[] codes = new byte[n];
                for (int i = 0; i < n; i++) {
                    int code;
                    do {
                        code = random.nextInt(256);
                    } while (E4m3.isNaN(code));
                    codes[i] = (byte) code;
                }
                return new Fp8E4m3Weights(rows, cols, codes, rowScales(rows, random));
            }
            case "fp4-e2m1" -> {
                return Fp4E2m1Weights.pack(rows, cols, nibbles(n, random), rowScales(rows, random));
            }
            case "mxfp4" -> {
                byte[] scales = new byte[rows * ((cols + MxFp4Weights.BLOCK - 1) / MxFp4Weights.BLOCK)];
                for (int i = 0; i < scales.length; i++) {
                    scales[i] = (byte) random.nextInt(117, 125);
                }
                return MxFp4Weights.pack(rows, cols, nibbles(n, random), scales);
            }
            case "nvfp4" -> {
                byte[] scales = new byte[rows * ((cols + NvFp4Weights.BLOCK - 1) / NvFp4Weights.BLOCK)];
                for (int i = 0; i < scales.length; i++) {
                    scales[i] = (byte) random.nextInt(0x28, 0x5F);
                }
                return NvFp4Weights.pack(rows, cols, nibbles(n, random), scales, 0.0123f);
            }
            default -> {
                if (format.matches("int[2348]-g(32|64|128)")) {
                    int bits = format.charAt(3) - '0';
                    int group = Integer.parseInt(format.substring(format.indexOf('g') + 1));
                    int[] codes = new int[n];
                    for (int i = 0; i < n; i++) {
                        codes[i] = random.nextInt(-(1 << (bits - 1)), 1 << (bits - 1));
                    }
                    short[] scales = new short[rows * ((cols + group - 1) / group)];
                    for (int i = 0; i < scales.length; i++) {
                        scales[i] = Fp16.fromFloat((float) (0.001 + random.nextDouble() * 0.05));
                    }
                    return GroupIntWeights.pack(bits, group, rows, cols, codes, scales);
                }
                throw new IllegalArgumentException(
                        "No random weights for format '%s'; the kernels cover %s.".formatted(format, FORMATS));
            }
        }
    }

    /** Activations {@code x[b * cols + c]} uniform in [-1, 1). */
    public static float[] activations(int batch, int cols, SplittableRandom random) {
        float[] x = new float[batch * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static float[] rowScales(int rows, SplittableRandom random) {
        float[] scales = new float[rows];
        for (int i = 0; i < rows; i++) {
            scales[i] = (float) (0.001 + random.nextDouble() * 0.01);
        }
        return scales;
    }

    private static int[] nibbles(int n, SplittableRandom random) {
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            codes[i] = random.nextInt(16);
        }
        return codes;
    }

    /** An independent copy (new arrays, same values): benchmark rotation buffers. */
    public static WeightMatrix copyOf(WeightMatrix w) {
        if (w instanceof Fp32Weights m) {
            return new Fp32Weights(m.rows(), m.cols(), m.values().clone());
        } else if (w instanceof Bf16Weights m) {
            return new Bf16Weights(m.rows(), m.cols(), m.codes().clone());
        } else if (w instanceof Int8Weights m) {
            return new Int8Weights(
                    m.rows(), m.cols(), m.codes().clone(), m.rowScales().clone());
        } else if (w instanceof GroupIntWeights m) {
            return new GroupIntWeights(
                    m.bits(),
                    m.group(),
                    m.rows(),
                    m.cols(),
                    m.packed().clone(),
                    m.highBits().clone(),
                    m.scales().clone());
        } else if (w instanceof Fp8E4m3Weights m) {
            return new Fp8E4m3Weights(
                    m.rows(), m.cols(), m.codes().clone(), m.rowScales().clone());
        } else if (w instanceof Fp4E2m1Weights m) {
            return new Fp4E2m1Weights(
                    m.rows(), m.cols(), m.codes().clone(), m.rowScales().clone());
        } else if (w instanceof MxFp4Weights m) {
            return new MxFp4Weights(
                    m.rows(), m.cols(), m.codes().clone(), m.scales().clone());
        } else if (w instanceof NvFp4Weights m) {
            return new NvFp4Weights(
                    m.rows(), m.cols(), m.codes().clone(), m.blockScales().clone(), m.tensorScale());
        }
        throw new IllegalArgumentException("No copy for " + w.getClass().getSimpleName());
    }
}
