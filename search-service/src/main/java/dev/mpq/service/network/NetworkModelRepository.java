package dev.mpq.service.network;

import dev.mpq.service.api.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The SQL of the weights files networks were created from (and their download). */
@Repository
public class NetworkModelRepository {

    private final JdbcClient jdbc;

    NetworkModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored weights file's metadata. */
    public record ModelInfo(long networkId, String fileName, String format, long sizeBytes, String sha256) {}

    void insert(long networkId, String fileName, byte[] content, String sha256) {
        jdbc.sql("""
                        INSERT INTO network_model (network_id, file_name, format, size_bytes, sha256, content)
                        VALUES (:network, :file, 'onnx', :size, :sha, :content)
                        """)
                .param("network", networkId)
                .param("file", fileName)
                .param("size", (long) content.length)
                .param("sha", sha256)
                .param("content", content)
                .update();
    }

    public Optional<ModelInfo> info(long networkId) {
        return jdbc.sql(
                        "SELECT network_id, file_name, format, size_bytes, sha256 FROM network_model WHERE network_id = :id")
                .param("id", networkId)
                .query((rs, n) ->
                        new ModelInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)))
                .optional();
    }

    /** Copies the weights to a file. */
    public boolean copyTo(long networkId, Path target) {
        return Boolean.TRUE.equals(jdbc.sql("SELECT content FROM network_model WHERE network_id = :id")
                .param("id", networkId)
                .query(rs -> {
                    if (!rs.next()) {
                        return false;
                    }
                    try (InputStream in = rs.getBinaryStream(1)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return true;
                }));
    }

    /** The weights of a network as an HTTP download, streamed from the database. */
    public ResponseEntity<StreamingResponseBody> download(long networkId) {
        ModelInfo info = info(networkId).orElseThrow(() -> new NotFoundException("Weights file of network", networkId));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"%s\"".formatted(info.fileName()))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(info.sizeBytes())
                .body(out -> writeTo(networkId, out));
    }

    /** Writes the weights to a stream (an HTTP response). */
    public void writeTo(long networkId, OutputStream out) {
        jdbc.sql("SELECT content FROM network_model WHERE network_id = :id")
                .param("id", networkId)
                .query(rs -> {
                    try (InputStream in = rs.getBinaryStream(1)) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
