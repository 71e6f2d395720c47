package dev.mpq.core;

import dev.mpq.core.NumericFormat.Family;
import dev.mpq.core.NumericFormat.Scale;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every numeric format MPQ knows (CONTRACTS.md section 3, DESIGN.md section 4).
 *
 * <p>Bit accounting: INTb per channel = b; INTb group g = b + 16/g (fp16 scale), plus b/g with a
 * zero point; FP8/FP6/FP4 = element bits (per-channel fp32 scale); MX = element bits + 8/32 (E8M0
 * scale per 32); NVFP4 = 4 + 8/16 (E4M3 scale per 16); ternary = 1.58; references = their width.
 * {@code mxfp8} uses E4M3 elements and {@code mxfp6} uses E2M3 elements (OCP MX v1.0 defines both
 * variants; these are the ones used for weights).
 */
public final class FormatCatalog {

    /** Group sizes of the group-wise integer formats. */
    public static final List<Integer> GROUP_SIZES = List.of(32, 64, 128);

    private static final Map<String, NumericFormat> FORMATS = build();

    private FormatCatalog() {}

    private static Map<String, NumericFormat> build() {
        List<NumericFormat> all = new ArrayList<>();
        for (int b = 2; b <= 8; b++) {
            all.add(new NumericFormat("int" + b, Family.INT, b, 0, 0, 0, Scale.FP32, false, b));
            all.add(new NumericFormat("int" + b + "-asym", Family.INT, b, 0, 0, 0, Scale.FP32, true, b));
            for (int g : GROUP_SIZES) {
                all.add(new NumericFormat(
                        "int" + b + "-g" + g, Family.INT, b, 0, 0, g, Scale.FP16, false, b + 16.0 / g));
                all.add(new NumericFormat(
                        "int" + b + "-g" + g + "-asym",
                        Family.INT,
                        b,
                        0,
                        0,
                        g,
                        Scale.FP16,
                        true,
                        b + 16.0 / g + (double) b / g));
            }
        }
        all.add(new NumericFormat("fp8-e4m3", Family.FLOAT, 8, 4, 3, 0, Scale.FP32, false, 8));
        all.add(new NumericFormat("fp8-e5m2", Family.FLOAT, 8, 5, 2, 0, Scale.FP32, false, 8));
        all.add(new NumericFormat("fp6-e3m2", Family.FLOAT, 6, 3, 2, 0, Scale.FP32, false, 6));
        all.add(new NumericFormat("fp6-e2m3", Family.FLOAT, 6, 2, 3, 0, Scale.FP32, false, 6));
        all.add(new NumericFormat("fp4-e2m1", Family.FLOAT, 4, 2, 1, 0, Scale.FP32, false, 4));
        all.add(new NumericFormat("mxfp8", Family.MX, 8, 4, 3, 32, Scale.E8M0, false, 8.25));
        all.add(new NumericFormat("mxfp6", Family.MX, 6, 2, 3, 32, Scale.E8M0, false, 6.25));
        all.add(new NumericFormat("mxfp4", Family.MX, 4, 2, 1, 32, Scale.E8M0, false, 4.25));
        all.add(new NumericFormat("mxint8", Family.MX, 8, 0, 0, 32, Scale.E8M0, false, 8.25));
        all.add(new NumericFormat("nvfp4", Family.NVFP4, 4, 2, 1, 16, Scale.E4M3, false, 4.5));
        all.add(new NumericFormat("ternary", Family.TERNARY, 2, 0, 0, 0, Scale.FP32, false, 1.58));
        all.add(new NumericFormat("bf16", Family.REFERENCE, 16, 8, 7, 0, Scale.NONE, false, 16));
        all.add(new NumericFormat("fp16", Family.REFERENCE, 16, 5, 10, 0, Scale.NONE, false, 16));
        all.add(new NumericFormat("fp32", Family.REFERENCE, 32, 8, 23, 0, Scale.NONE, false, 32));
        Map<String, NumericFormat> byId = new LinkedHashMap<>();
        for (NumericFormat format : all) {
            byId.put(format.id(), format);
        }
        return Collections.unmodifiableMap(byId);
    }

    /** All formats in catalogue order. */
    public static List<NumericFormat> all() {
        return List.copyOf(FORMATS.values());
    }

    public static Optional<NumericFormat> find(String id) {
        return Optional.ofNullable(FORMATS.get(id));
    }

    /** The format with this id, or an error that says what ids look like. */
    public static NumericFormat byId(String id) {
        NumericFormat format = FORMATS.get(id);
        if (format == null) {
            throw new IllegalArgumentException(("Unknown numeric format '%s'; ids look like int4, int4-g128, "
                            + "int4-g128-asym, int8-asym, fp8-e4m3, fp6-e2m3, fp4-e2m1, mxfp4, mxint8, nvfp4, "
                            + "ternary, bf16 (CONTRACTS.md section 3).")
                    .formatted(id));
        }
        return format;
    }
}
