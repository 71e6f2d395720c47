package dev.mpq.devices.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ONNX files of validation tasks, downloaded once per model URL (with the worker's token) into a
 * temporary directory that is deleted when the worker stops.
 */
public final class ModelCache implements AutoCloseable {

    private final WorkerClient client;
    private final WorkerLog log;
    private final Path directory;
    private final Map<String, Path> files = new HashMap<>();

    public ModelCache(WorkerClient client, WorkerLog log) {
        this.client = client;
        this.log = log;
        try {
            this.directory = Files.createTempDirectory("mpq-worker-models-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for downloaded models", e);
        }
    }

    /** The local copy of {@code url}, downloaded on first use. */
    public synchronized Path get(String url, Pause pause) {
        Path cached = files.get(url);
        if (cached != null && Files.isRegularFile(cached)) {
            return cached;
        }
        Path file = directory.resolve("model-" + (files.size() + 1) + ".onnx");
        Path partial = directory.resolve(file.getFileName() + ".part");
        long start = System.nanoTime();
        client.download(url, partial, pause);
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info(
                    "downloaded %s (%.1f MB) in %.1f s",
                    url, Files.size(file) / 1e6, (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the downloaded model " + url, e);
        }
        files.put(url, file);
        return file;
    }

    /** Downloads so far (one per distinct URL). */
    public synchronized int downloads() {
        return files.size();
    }

    @Override
    public synchronized void close() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
