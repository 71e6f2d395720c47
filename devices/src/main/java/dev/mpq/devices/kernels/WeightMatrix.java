package dev.mpq.devices.kernels;

/**
 * A weight matrix of {@code rows x cols} (output channels x input channels, PyTorch's
 * {@code [out, in]}) stored in one numeric format. Each format is one type with its packed layout
 * as data (see devices/README.md), a scalar decode ({@link #weight}) that is the oracle, and vector
 * paths (decode into fp32 panels, matrix-vector product) that tests hold against it.
 *
 * <p>Products compute {@code y[b][r] = sum_c weight(r, c) * x[b][c]} with fp32 activations and
 * fp32 accumulation; {@link Int8Weights} adds exact int8 x int8 products.
 */
public sealed interface WeightMatrix
        permits Fp32Weights,
                Bf16Weights,
                Int8Weights,
                GroupIntWeights,
                Fp8E4m3Weights,
                Fp4E2m1Weights,
                MxFp4Weights,
                NvFp4Weights {

    /** Columns handed to {@link #decode} start at a multiple of this (a multiple of every stripe). */
    int PANEL_ALIGNMENT = 128;

    /** The format id of CONTRACTS.md section 3, e.g. {@code int4-g128}, {@code nvfp4}, {@code fp32}. */
    String formatId();

    int rows();

    int cols();

    /** Bytes a product reads from this matrix: packed elements plus every scale. */
    long storageBytes();

    /** The dequantized weight at (row, col), decoded one element at a time: the scalar oracle. */
    float weight(int row, int col);

    /**
     * Vector decode of rows {@code [row, row + rowCount)} and columns {@code [col, col + count)}
     * into {@code dst[i * dstStride + k]}; {@code col} is a multiple of {@link #PANEL_ALIGNMENT}.
     * Every value equals {@link #weight} bit for bit.
     */
    void decode(int row, int rowCount, int col, int count, float[] dst, int dstStride);

    /** Vector matrix-vector product of rows {@code [rowStart, rowEnd)}: {@code y[r] = sum_c w[r][c] x[c]}. */
    void multiplyRows(float[] x, float[] y, int rowStart, int rowEnd);
}
