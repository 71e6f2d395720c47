package dev.mpq.sensitivity.onnx;

import static dev.mpq.sensitivity.onnx.OnnxFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.sensitivity.weights.DataType;
import dev.mpq.sensitivity.weights.ProtoWriter;
import dev.mpq.sensitivity.weights.WeightFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxReaderTest {

    @TempDir
    Path dir;

    /** x[.,4] -> q, k (MatMul, shared input) ; Gemm(transB=1) on a Constant weight; If with a MatMul inside. */
    private ProtoWriter graphWithEverything() {
        ProtoWriter then = new ProtoWriter()
                .stringField(2, "then")
                .messageField(1, node("/sub/MatMul", "MatMul", List.of("x", "w_sub"), List.of("s")))
                .messageField(5, rawHalf("w_sub", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2))
                .messageField(12, valueInfo("s", 1, -1, 2));
        ProtoWriter otherwise = new ProtoWriter()
                .stringField(2, "else")
                .messageField(1, node("/else/Identity", "Identity", List.of("x"), List.of("s2")))
                .messageField(12, valueInfo("s2", 1, -1, 4));
        return new ProtoWriter()
                .stringField(2, "g")
                .messageField(1, node("/q/MatMul", "MatMul", List.of("x", "wq"), List.of("q")))
                .messageField(1, node("/k/MatMul", "MatMul", List.of("x", "wk"), List.of("k")))
                .messageField(
                        1,
                        node(
                                "/c/Constant",
                                "Constant",
                                List.of(),
                                List.of("wc"),
                                tensorAttribute("value", typedFloat(null, ramp(12, 0.5f), 3, 4))))
                .messageField(1, node("/fc/Gemm", "Gemm", List.of("q", "wc"), List.of("y"), intAttribute("transB", 1)))
                .messageField(
                        1,
                        node(
                                "/if",
                                "If",
                                List.of("cond"),
                                List.of("z"),
                                graphAttribute("then_branch", then),
                                graphAttribute("else_branch", otherwise)))
                .messageField(5, rawFloat("wq", ramp(16, 0.25f), 4, 4))
                .messageField(5, unpackedFloat("wk", ramp(12, 1f), 4, 3))
                .messageField(11, valueInfo("x", 1, -1, 4))
                .messageField(11, valueInfo("cond", 9))
                .messageField(12, valueInfo("y", 1, -1, 3));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void findsLayersInInitializersConstantNodesAndSubgraphs() throws IOException {
        Path file = write("m.onnx", model(graphWithEverything()).toByteArray());
        OnnxNetwork net = OnnxNetwork.read(file);
        assertThat(net.spec().name()).isEqualTo("m");
        assertThat(net.spec().layers())
                .extracting(LayerSpec::name)
                .containsExactly("/q/MatMul", "/k/MatMul", "/fc/Gemm", "/sub/MatMul");
        LayerSpec q = net.spec().layer("/q/MatMul").orElseThrow();
        assertThat(q.kind()).isEqualTo(LayerKind.LINEAR);
        assertThat(q.shape()).containsExactly(4L, 4L);
        assertThat(q.parameters()).isEqualTo(16);
        assertThat(q.macs()).isEqualTo(16);
        LayerSpec k = net.spec().layer("/k/MatMul").orElseThrow();
        assertThat(k.shape()).containsExactly(3L, 4L); // stored [in 4, out 3]
        // q and k read x: a suggested tie; the subgraph's MatMul also reads x but in another graph
        assertThat(q.tieGroup()).isEqualTo("x");
        assertThat(k.tieGroup()).isEqualTo("x");
        assertThat(net.spec().layer("/sub/MatMul").orElseThrow().tieGroup()).isNull();
        LayerSpec fc = net.spec().layer("/fc/Gemm").orElseThrow();
        assertThat(fc.shape()).containsExactly(3L, 4L); // transB = 1: stored [out, in]
        assertThat(net.layer("/fc/Gemm").inConstantNode()).isTrue();
        assertThat(net.layer("/fc/Gemm").weight().origin()).contains("/c/Constant");
        assertThat(net.layer("/sub/MatMul").weight().info().type()).isEqualTo(DataType.FLOAT16);
    }

    @Test
    void readsRawTypedUnpackedAndHalfPrecisionData() throws IOException {
        Path file = write("m.onnx", model(graphWithEverything()).toByteArray());
        OnnxNetwork net = OnnxNetwork.read(file);
        OnnxModel model = net.model();
        assertThat(model.readFloats(net.layer("/q/MatMul").weight())).containsExactly(ramp(16, 0.25f));
        assertThat(model.readFloats(net.layer("/k/MatMul").weight())).containsExactly(ramp(12, 1f));
        assertThat(model.readFloats(net.layer("/fc/Gemm").weight())).containsExactly(ramp(12, 0.5f));
        assertThat(model.readFloats(net.layer("/sub/MatMul").weight())).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        // [in 4, out 2] -> rows = out: row 0 = column 0 of the stored matrix
        WeightMatrix m = net.layer("/sub/MatMul").matrix(model);
        assertThat(m.rows()).isEqualTo(2);
        assertThat(m.cols()).isEqualTo(4);
        assertThat(m.data()).containsExactly(1, 3, 5, 7, 2, 4, 6, 8);
        assertThat(net.layer("/sub/MatMul").toStored(m)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void decodesBfloat16Int8AndUint8InRawAndTypedForm() throws IOException {
        int[] bf16Bits = {0x3f80, 0xc000, 0x3e80}; // 1, -2, 0.25
        ProtoWriter graph = new ProtoWriter()
                .messageField(1, node("a", "MatMul", List.of("x", "bf_raw"), List.of("y1")))
                .messageField(1, node("b", "MatMul", List.of("x", "bf_typed"), List.of("y2")))
                .messageField(1, node("c", "MatMul", List.of("x", "i8_raw"), List.of("y3")))
                .messageField(1, node("d", "MatMul", List.of("x", "u8_typed"), List.of("y4")))
                .messageField(1, node("e", "MatMul", List.of("x", "f16_typed"), List.of("y5")))
                .messageField(5, rawBfloat("bf_raw", new float[] {1, -2, 0.25f}, 3, 1))
                .messageField(5, typedInt32("bf_typed", 16, bf16Bits, 3, 1))
                .messageField(5, rawInt8("i8_raw", new byte[] {-128, 0, 127}, false, 3, 1))
                .messageField(5, typedInt32("u8_typed", 2, new int[] {0, 128, 255}, 3, 1))
                .messageField(5, typedInt32("f16_typed", 10, new int[] {0x3c00, 0xbc00, 0x7bff}, 3, 1));
        OnnxNetwork net = OnnxNetwork.read(write("t.onnx", model(graph).toByteArray()));
        OnnxModel m = net.model();
        assertThat(m.readFloats(net.layer("a").weight())).containsExactly(1, -2, 0.25f);
        assertThat(m.readFloats(net.layer("b").weight())).containsExactly(1, -2, 0.25f);
        assertThat(m.readFloats(net.layer("c").weight())).containsExactly(-128, 0, 127);
        assertThat(m.readFloats(net.layer("d").weight())).containsExactly(0, 128, 255);
        assertThat(m.readFloats(net.layer("e").weight())).containsExactly(1, -1, 65504);
    }

    @Test
    void readsExternalData() throws IOException {
        float[] values = ramp(6, 0.5f);
        ByteBuffer b = ByteBuffer.allocate(8 + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0xdeadbeefL);
        for (float v : values) {
            b.putFloat(v);
        }
        Files.write(dir.resolve("weights.bin"), b.array());
        ProtoWriter graph = new ProtoWriter()
                .messageField(1, node("ext", "MatMul", List.of("x", "w"), List.of("y")))
                .messageField(5, external("w", "weights.bin", 8, 24, 3, 2));
        OnnxNetwork net = OnnxNetwork.read(write("e.onnx", model(graph).toByteArray()));
        assertThat(net.model().readFloats(net.layer("ext").weight())).containsExactly(values);
    }

    @Test
    void computesConvMacsFromStaticShapes() throws IOException {
        // 8 out, 3 in, 3x3 kernel, stride 2, pads 1 on a 1x3x32x32 input -> 16x16 outputs
        ProtoWriter graph = new ProtoWriter()
                .messageField(
                        1,
                        node(
                                "conv1",
                                "Conv",
                                List.of("img", "w"),
                                List.of("y"),
                                intsAttribute("strides", 2, 2),
                                intsAttribute("pads", 1, 1, 1, 1)))
                .messageField(1, node("conv2", "Conv", List.of("y", "w2"), List.of("y2")))
                .messageField(5, rawFloat("w", new float[8 * 3 * 9], 8, 3, 3, 3))
                .messageField(5, rawFloat("w2", new float[4 * 8], 4, 8, 1, 1))
                .messageField(11, valueInfo("img", 1, 1, 3, 32, 32))
                .messageField(13, valueInfo("y2", 1, 1, 4, 16, 16));
        OnnxNetwork net = OnnxNetwork.read(write("c.onnx", model(graph).toByteArray()));
        LayerSpec conv = net.spec().layer("conv1").orElseThrow();
        assertThat(conv.kind()).isEqualTo(LayerKind.CONV);
        assertThat(conv.shape()).containsExactly(8L, 3L, 3L, 3L);
        assertThat(conv.parameters()).isEqualTo(216);
        assertThat(conv.macs()).isEqualTo(8L * 16 * 16 * 27);
        assertThat(net.spec().layer("conv2").orElseThrow().macs()).isEqualTo(4L * 16 * 16 * 8);
        WeightMatrix m = net.layer("conv1").matrix(net.model());
        assertThat(m.rows()).isEqualTo(8);
        assertThat(m.cols()).isEqualTo(27);
    }

    @Test
    void truncatedFileNamesTheFileAndOffset() throws IOException {
        byte[] full = model(graphWithEverything()).toByteArray();
        for (int cut : new int[] {full.length - 1, full.length / 2, 7}) {
            Path file = write("cut" + cut + ".onnx", Arrays.copyOf(full, cut));
            assertThatThrownBy(() -> OnnxNetwork.read(file))
                    .isInstanceOf(WeightFileException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("offset")
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void corruptAndForeignFilesAreRefusedWithAReason() throws IOException {
        Path text = write("notes.onnx", "hello, this is not a model\n".getBytes());
        assertThatThrownBy(() -> OnnxNetwork.read(text))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(text.toString());
        Path empty = write("empty.onnx", new byte[0]);
        assertThatThrownBy(() -> OnnxNetwork.read(empty)).hasMessageContaining("empty");
        // a tensor whose data length does not match its shape
        ProtoWriter graph = new ProtoWriter()
                .messageField(1, node("bad", "MatMul", List.of("x", "w"), List.of("y")))
                .messageField(5, rawFloat("w", new float[5], 3, 2));
        OnnxNetwork net = OnnxNetwork.read(write("bad.onnx", model(graph).toByteArray()));
        assertThatThrownBy(() -> net.model().readFloats(net.layer("bad").weight()))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("stores 20 bytes but its shape and type need 24");
        // unsupported element type (string = 8)
        ProtoWriter strings = new ProtoWriter()
                .messageField(1, node("s", "MatMul", List.of("x", "w"), List.of("y")))
                .messageField(5, tensorHeader("w", 8, 2, 2).bytesField(9, new byte[4]));
        OnnxNetwork sNet = OnnxNetwork.read(write("s.onnx", model(strings).toByteArray()));
        assertThatThrownBy(() -> sNet.model().readFloats(sNet.layer("s").weight()))
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("cannot be decoded");
        // a model without quantizable layers
        ProtoWriter none = new ProtoWriter().messageField(1, node("r", "Relu", List.of("x"), List.of("y")));
        Path nothing = write("none.onnx", model(none).toByteArray());
        assertThatThrownBy(() -> OnnxNetwork.read(nothing)).hasMessageContaining("nothing to quantize");
    }
}
