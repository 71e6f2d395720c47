package dev.mpq.service.network;

import dev.mpq.core.NetworkSpec;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import dev.mpq.service.api.ConflictException;
import dev.mpq.service.api.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Networks from weights files: {@code POST /api/networks/onnx?name=...} with the ONNX file as the
 * body reads its quantizable layers (MatMul, Gemm, Conv weights; shapes, parameters, MACs, tie
 * groups) and keeps the file for profile jobs and workers.
 */
@RestController
class NetworkUploadController {

    private final NetworkRepository networks;
    private final NetworkModelRepository models;

    NetworkUploadController(NetworkRepository networks, NetworkModelRepository models) {
        this.networks = networks;
        this.models = models;
    }

    @PostMapping(path = "/api/networks/onnx", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Transactional
    ResponseEntity<NetworkController.NetworkView> upload(
            @RequestParam(required = false) String name,
            @RequestParam(defaultValue = "model.onnx") String fileName,
            @RequestBody byte[] content) {
        if (content.length == 0) {
            throw new InvalidRequestException(
                    "body", "Send the ONNX file as the request body (application/octet-stream).");
        }
        Path file = null;
        try {
            file = Files.createTempFile("mpq-upload-", ".onnx");
            Files.write(file, content);
            OnnxNetwork parsed;
            try {
                parsed = OnnxNetwork.read(file);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(
                        "body", "%s: %s".formatted(fileName, e.getMessage().replace(file.toString(), fileName)));
            }
            String networkName = name == null || name.isBlank() ? fileName.replaceFirst("\\.onnx$", "") : name;
            NetworkSpec spec = new NetworkSpec(networkName, parsed.spec().layers());
            if (networks.nameTaken(networkName)) {
                throw new ConflictException(
                        "name", "A network named '%s' exists already; choose another name.".formatted(networkName));
            }
            long id = networks.insert(spec);
            models.insert(id, fileName, content, sha256(content));
            return ResponseEntity.created(URI.create("/api/networks/" + id))
                    .body(NetworkController.NetworkView.of(networks.find(id).orElseThrow(), models));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(file);
        }
    }

    @GetMapping("/api/networks/{id}/model")
    ResponseEntity<StreamingResponseBody> download(@PathVariable long id) {
        return models.download(id);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }
}
