package dev.mpq.sensitivity.weights;

/** Element types the readers decode to float (others are listed but refused when read). */
public enum DataType {
    FLOAT32(4),
    FLOAT16(2),
    BFLOAT16(2),
    INT8(1),
    UINT8(1),
    INT16(2),
    INT32(4),
    INT64(8),
    FLOAT64(8),
    /** Anything else (strings, bool, complex, fp8, block-quantized GGUF types...): metadata only. */
    OTHER(0);

    private final int bytes;

    DataType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element in raw little-endian storage (0 for OTHER). */
    public int bytes() {
        return bytes;
    }

    /** ONNX TensorProto.DataType code to our type. */
    public static DataType fromOnnx(int code) {
        return switch (code) {
            case 1 -> FLOAT32;
            case 2 -> UINT8;
            case 3 -> INT8;
            case 5 -> INT16;
            case 6 -> INT32;
            case 7 -> INT64;
            case 10 -> FLOAT16;
            case 11 -> FLOAT64;
            case 16 -> BFLOAT16;
            default -> OTHER;
        };
    }
}
