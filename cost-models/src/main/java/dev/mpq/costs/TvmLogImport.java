package dev.mpq.costs;

import dev.mpq.core.LayerKind;
import dev.mpq.core.Precision;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Imports AutoTVM tuning-log records flattened to CSV (as {@code data/hawq/tvm_t4_kernel_latency_batch8.csv}:
 * {@code op, data_shape, data_dtype, weight_shape, weight_dtype, strides, padding, dilation, layout,
 * time_seconds, error_no}) into a measured table.
 *
 * <p>Mapping: {@code conv2d_*} with layout HWNC has data {@code H x W x N x C}, with NHWC {@code N x H
 * x W x C}; the weight is {@code kh x kw x O x I} in both logs (checked against the data channels).
 * The layer is {@code conv [O, I, kh, kw]} with MACs per sample = O x I x kh x kw x output positions,
 * output size = (H + pads - dilation x (kh - 1) - 1) / stride + 1 (HAWQ's logs pass pre-padded data
 * with padding 0), batch N. {@code dense*}: data {@code N x K}, weight {@code O x K}: {@code linear [O,
 * K]}. Data type pairs: {@code uint4|int4 x int4} = {@code int4:int4}, {@code int8|uint8 x int8} =
 * {@code int8:int8} (HAWQ-V3's W4A4 / W8A8; unsigned activations follow ReLU). Records with a
 * non-zero {@code error_no} (failed trials) are skipped.
 */
public final class TvmLogImport {

    private static final Set<String> REQUIRED = Set.of(
            "op",
            "data_shape",
            "data_dtype",
            "weight_shape",
            "weight_dtype",
            "strides",
            "padding",
            "dilation",
            "layout",
            "time_seconds",
            "error_no");

    private TvmLogImport() {}

    /** The table read from a file. */
    public static MeasuredTable read(Path file) {
        return read(CsvDocument.read(file));
    }

    public static MeasuredTable read(Reader reader, String source) {
        return read(CsvDocument.read(reader, source));
    }

    public static MeasuredTable read(CsvDocument document) {
        document.require(REQUIRED);
        List<Measurement> measurements = new ArrayList<>();
        for (CsvDocument.Row row : document.rows()) {
            if (row.integer("error_no") != 0) {
                continue;
            }
            String op = row.required("op");
            Precision precision = precision(row);
            List<Long> data = MeasuredTableCsv.dims(row, "data_shape");
            List<Long> weight = MeasuredTableCsv.dims(row, "weight_shape");
            double seconds = row.number("time_seconds");
            if (!(seconds > 0)) {
                throw row.error("time_seconds", "time %s must be > 0".formatted(seconds));
            }
            String origin = "%s:%d%s"
                    .formatted(
                            document.source(),
                            row.line(),
                            row.has("source_log") ? " (" + row.text("source_log") + ")" : "");
            LayerShape shape;
            int batch;
            if (op.startsWith("dense")) {
                expectRank(row, "data_shape", data, 2);
                expectRank(row, "weight_shape", weight, 2);
                if (!data.get(1).equals(weight.get(1))) {
                    throw row.error(
                            "weight_shape",
                            "weight %s does not take data %s (inner dimensions differ)".formatted(weight, data));
                }
                batch = Math.toIntExact(data.get(0));
                long out = weight.get(0);
                long in = weight.get(1);
                shape = new LayerShape(LayerKind.LINEAR, List.of(out, in), out * in, out * in, 1);
            } else if (op.startsWith("conv2d")) {
                expectRank(row, "data_shape", data, 4);
                expectRank(row, "weight_shape", weight, 4);
                String layout = row.required("layout");
                long height;
                long width;
                long channels;
                if (layout.equals("HWNC")) {
                    height = data.get(0);
                    width = data.get(1);
                    batch = Math.toIntExact(data.get(2));
                    channels = data.get(3);
                } else if (layout.equals("NHWC")) {
                    batch = Math.toIntExact(data.get(0));
                    height = data.get(1);
                    width = data.get(2);
                    channels = data.get(3);
                } else {
                    throw row.error("layout", "layout '%s' is not HWNC or NHWC".formatted(layout));
                }
                long kh = weight.get(0);
                long kw = weight.get(1);
                long out = weight.get(2);
                long in = weight.get(3);
                if (in != channels) {
                    throw row.error(
                            "weight_shape",
                            "weight %s (kh x kw x O x I) takes %d input channels but the data has %d"
                                    .formatted(weight, in, channels));
                }
                List<Long> strides = MeasuredTableCsv.dims(row, "strides");
                List<Long> pads = MeasuredTableCsv.dimsOrZero(row, "padding");
                List<Long> dilation = MeasuredTableCsv.dims(row, "dilation");
                expectRank(row, "strides", strides, 2);
                expectRank(row, "padding", pads, 4);
                expectRank(row, "dilation", dilation, 2);
                if (!strides.get(0).equals(strides.get(1))) {
                    throw row.error(
                            "strides",
                            "unequal strides %s are not supported; layer shapes carry one stride".formatted(strides));
                }
                long outH = (height + pads.get(0) + pads.get(2) - dilation.get(0) * (kh - 1) - 1) / strides.get(0) + 1;
                long outW = (width + pads.get(1) + pads.get(3) - dilation.get(1) * (kw - 1) - 1) / strides.get(1) + 1;
                if (outH <= 0 || outW <= 0) {
                    throw row.error("data_shape", "data %s is smaller than the kernel %s".formatted(data, weight));
                }
                long params = out * in * kh * kw;
                shape = new LayerShape(
                        LayerKind.CONV,
                        List.of(out, in, kh, kw),
                        params,
                        params * outH * outW,
                        Math.toIntExact(strides.get(0)));
            } else {
                throw row.error("op", "operator '%s' is not a conv2d or dense task".formatted(op));
            }
            measurements.add(new Measurement(shape, precision, batch, seconds, origin));
        }
        return MeasuredTable.of(measurements);
    }

    private static Precision precision(CsvDocument.Row row) {
        String data = row.required("data_dtype");
        String weight = row.required("weight_dtype");
        if ((data.equals("uint4") || data.equals("int4")) && weight.equals("int4")) {
            return Precision.parse("int4:int4");
        }
        if ((data.equals("uint8") || data.equals("int8")) && weight.equals("int8")) {
            return Precision.parse("int8:int8");
        }
        if (!Set.of("uint4", "int4", "uint8", "int8").contains(data)) {
            throw row.error("data_dtype", "data type '%s' is not one of int4, uint4, int8, uint8".formatted(data));
        }
        throw row.error(
                "weight_dtype",
                "weight type '%s' does not pair with data type '%s'; expected int4 with (u)int4 or int8 with (u)int8"
                        .formatted(weight, data));
    }

    private static void expectRank(CsvDocument.Row row, String column, List<Long> dims, int rank) {
        if (dims.size() != rank) {
            throw row.error(column, "%s has %d dimensions; expected %d".formatted(dims, dims.size(), rank));
        }
    }
}
