package dev.mpq.sensitivity.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpq.sensitivity.format.MiniFloat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsAndGgufTest {

    @TempDir
    Path dir;

    private static byte[] le(int bytes, long... values) {
        ByteBuffer b = ByteBuffer.allocate(bytes * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytes) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private Path safetensors(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(le(8, h.length));
        out.write(h);
        out.write(data);
        Path p = dir.resolve(name);
        Files.write(p, out.toByteArray());
        return p;
    }

    @Test
    void readsSafetensorsF32F16Bf16() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(floats(1, -2, 0.5f, 4, 5, 6)); // 0..24
        data.write(le(2, MiniFloat.FP16.encode(1.5), MiniFloat.FP16.encode(-65504))); // 24..28
        data.write(le(2, MiniFloat.BF16.encode(3), MiniFloat.BF16.encode(0.25))); // 28..32
        String header = """
                {"__metadata__":{"format":"pt"},
                 "a.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},
                 "b.weight":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},
                 "c.weight":{"dtype":"BF16","shape":[2,1],"data_offsets":[28,32]}}""";
        SafetensorsFile f = SafetensorsFile.open(safetensors("m.safetensors", header, data.toByteArray()));
        assertThat(f.tensors()).extracting(TensorInfo::name).containsExactly("a.weight", "b.weight", "c.weight");
        assertThat(f.tensor("a.weight").shape()).containsExactly(2L, 3L);
        assertThat(f.tensor("b.weight").type()).isEqualTo(DataType.FLOAT16);
        assertThat(f.readFloats("a.weight")).containsExactly(1, -2, 0.5f, 4, 5, 6);
        assertThat(f.readFloats("b.weight")).containsExactly(1.5f, -65504f);
        assertThat(f.readFloats("c.weight")).containsExactly(3f, 0.25f);
    }

    @Test
    void refusesCorruptAndTruncatedSafetensors() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        Path truncated = safetensors("t.safetensors", header, floats(1, 2, 3));
        assertThatThrownBy(() -> SafetensorsFile.open(truncated))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(truncated.toString())
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("truncated");
        Path wrongSize = safetensors(
                "s.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}",
                floats(1, 2, 3, 4));
        assertThatThrownBy(() -> SafetensorsFile.open(wrongSize))
                .hasMessageContaining("holds 16 bytes but F32 [3] needs 12");
        Path badJson = safetensors("j.safetensors", "{\"w\":[1,2", new byte[0]);
        assertThatThrownBy(() -> SafetensorsFile.open(badJson))
                .hasMessageContaining("header")
                .hasMessageContaining("Invalid JSON");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.open(tiny))
                .hasMessageContaining("offset 0")
                .hasMessageContaining("truncated");
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, le(8, 1L << 40));
        assertThatThrownBy(() -> SafetensorsFile.open(huge)).hasMessageContaining("not plausible");
        Path f8 = safetensors(
                "f8.safetensors", "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
        assertThatThrownBy(() -> SafetensorsFile.open(f8).readFloats("w"))
                .hasMessageContaining("dtype F8_E4M3 cannot be decoded");
    }

    private static byte[] ggufString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + b.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(b.length).put(b);
        return buf.array();
    }

    /** A GGUF v3 file with metadata, an F32 [2 x 3] tensor (ne = [3, 2]), an F16 vector and a Q8_0 tensor. */
    private byte[] gguf() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(le(4, 0x46554747, 3));
        out.write(le(8, 3, 3)); // tensors, kvs
        out.write(ggufString("general.architecture"));
        out.write(le(4, 8));
        out.write(ggufString("llama"));
        out.write(ggufString("general.alignment"));
        out.write(le(4, 4)); // uint32
        out.write(le(4, 32));
        out.write(ggufString("tokenizer.ggml.scores"));
        out.write(le(4, 9)); // array
        out.write(le(4, 6)); // of float32
        out.write(le(8, 2));
        out.write(floats(0.5f, -1));
        // tensor infos
        out.write(ggufString("blk.0.attn_q.weight"));
        out.write(le(4, 2));
        out.write(le(8, 3, 2)); // ne[0] = 3 (row length), ne[1] = 2 rows
        out.write(le(4, 0)); // F32
        out.write(le(8, 0));
        out.write(ggufString("blk.0.norm.weight"));
        out.write(le(4, 1));
        out.write(le(8, 2));
        out.write(le(4, 1)); // F16
        out.write(le(8, 32));
        out.write(ggufString("blk.0.ffn.weight"));
        out.write(le(4, 2));
        out.write(le(8, 32, 1));
        out.write(le(4, 8)); // Q8_0
        out.write(le(8, 64));
        while (out.size() % 32 != 0) {
            out.write(0);
        }
        out.write(floats(1, 2, 3, 4, 5, 6)); // 24 bytes
        out.write(new byte[8]);
        out.write(le(2, MiniFloat.FP16.encode(0.5), MiniFloat.FP16.encode(-3)));
        out.write(new byte[28]);
        out.write(new byte[34]); // one Q8_0 block
        return out.toByteArray();
    }

    @Test
    void readsTheGgufHeaderAndF32F16Tensors() throws IOException {
        Path p = dir.resolve("m.gguf");
        Files.write(p, gguf());
        GgufFile f = GgufFile.open(p);
        assertThat(f.version()).isEqualTo(3);
        assertThat(f.metadata()).containsEntry("general.architecture", "llama").containsEntry("general.alignment", 32L);
        assertThat(f.metadata().get("tokenizer.ggml.scores")).isEqualTo(List.of(0.5f, -1f));
        assertThat(f.tensors())
                .extracting(TensorInfo::name)
                .containsExactly("blk.0.attn_q.weight", "blk.0.norm.weight", "blk.0.ffn.weight");
        assertThat(f.tensor("blk.0.attn_q.weight").shape()).containsExactly(2L, 3L);
        assertThat(f.tensor("blk.0.ffn.weight").sourceType()).isEqualTo("Q8_0");
        assertThat(f.readFloats("blk.0.attn_q.weight")).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(f.readFloats("blk.0.norm.weight")).containsExactly(0.5f, -3f);
        assertThatThrownBy(() -> f.readFloats("blk.0.ffn.weight"))
                .hasMessageContaining("tensor 'blk.0.ffn.weight'")
                .hasMessageContaining("Q8_0 cannot be decoded");
    }

    @Test
    void refusesCorruptAndTruncatedGguf() throws IOException {
        byte[] full = gguf();
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, Arrays.copyOf(full, 100));
        assertThatThrownBy(() -> GgufFile.open(cut))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated");
        Path noData = dir.resolve("nodata.gguf");
        Files.write(noData, Arrays.copyOf(full, full.length - 64));
        assertThatThrownBy(() -> GgufFile.open(noData))
                .hasMessageContaining("tensor 'blk.0.norm.weight'")
                .hasMessageContaining("truncated");
        byte[] wrongMagic = full.clone();
        wrongMagic[0] = 'X';
        Path magic = dir.resolve("magic.gguf");
        Files.write(magic, wrongMagic);
        assertThatThrownBy(() -> GgufFile.open(magic))
                .hasMessageContaining("offset 0")
                .hasMessageContaining("not \"GGUF\"");
    }
}
