package dev.mpq.costs;

import dev.mpq.core.FormatCatalog;
import dev.mpq.core.NumericFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in device specs, read from the resource {@code dev/mpq/costs/devices.csv} (figures and
 * their sources as data; see its header comment for units and which figures are estimates).
 */
public final class DeviceCatalog {

    /** The catalogue resource. */
    public static final String RESOURCE = "devices.csv";

    private static final double TERA = 1e12;
    private static final double GIGA = 1e9;
    private static final Set<String> COLUMNS = Set.of(
            "id",
            "name",
            "kind",
            "vector_tops",
            "memory_gbs",
            "memory_gb",
            "default_activation",
            "block_scaled",
            "compute_efficiency",
            "mode_efficiency",
            "memory_efficiency",
            "overhead_us",
            "estimates",
            "source");

    private static final Map<String, DeviceSpec> BUILT_IN = load();

    private DeviceCatalog() {}

    private static Map<String, DeviceSpec> load() {
        try (InputStream in = DeviceCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "The device catalogue resource " + RESOURCE + " is missing from the jar.");
            }
            List<DeviceSpec> specs =
                    parse(CsvDocument.read(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE));
            Map<String, DeviceSpec> byId = new LinkedHashMap<>();
            for (DeviceSpec spec : specs) {
                byId.put(spec.id(), spec);
            }
            return Collections.unmodifiableMap(byId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses catalogue rows (the resource's format); errors name the line and column. */
    public static List<DeviceSpec> parse(CsvDocument document) {
        Set<String> required = new LinkedHashSet<>(COLUMNS);
        for (MathMode mode : MathMode.values()) {
            required.add(mode.id());
        }
        document.require(required);
        List<DeviceSpec> specs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (CsvDocument.Row row : document.rows()) {
            String id = row.required("id");
            if (!seen.add(id)) {
                throw row.error("id", "device '%s' appears twice; ids must be unique".formatted(id));
            }
            Map<MathMode, Double> peaks = new EnumMap<>(MathMode.class);
            for (MathMode mode : MathMode.values()) {
                if (row.has(mode.id())) {
                    double value = row.number(mode.id());
                    if (value <= 0) {
                        throw row.error(
                                mode.id(), "peak %s must be > 0; leave the cell empty for no support".formatted(value));
                    }
                    peaks.put(mode, value * TERA);
                }
            }
            NumericFormat activation;
            try {
                activation = FormatCatalog.byId(row.required("default_activation"));
            } catch (IllegalArgumentException e) {
                throw row.error("default_activation", e.getMessage());
            }
            Map<MathMode, Double> modeEfficiency = new EnumMap<>(MathMode.class);
            for (String pair : words(row.text("mode_efficiency"))) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw row.error("mode_efficiency", "'%s' is not mode=fraction, e.g. bf16=0.869".formatted(pair));
                }
                try {
                    modeEfficiency.put(
                            MathMode.fromId(pair.substring(0, eq)), Double.parseDouble(pair.substring(eq + 1)));
                } catch (IllegalArgumentException e) {
                    throw row.error("mode_efficiency", "'%s': %s".formatted(pair, e.getMessage()));
                }
            }
            try {
                specs.add(new DeviceSpec(
                        id,
                        row.required("name"),
                        DeviceKind.fromId(row.required("kind")),
                        peaks,
                        row.number("vector_tops") * TERA,
                        row.number("memory_gbs") * GIGA,
                        Math.round(row.number("memory_gb") * GIGA),
                        activation,
                        new LinkedHashSet<>(words(row.text("block_scaled"))),
                        row.number("compute_efficiency"),
                        modeEfficiency,
                        row.number("memory_efficiency"),
                        row.number("overhead_us") * 1e-6,
                        0,
                        row.text("source"),
                        estimateList(row.text("estimates"))));
            } catch (CsvFormatException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new CsvFormatException(document.source(), row.line(), 0, null, e.getMessage());
            }
        }
        return specs;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static List<String> estimateList(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",(?![^(]*\\))")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    /** Every built-in spec in catalogue order. */
    public static List<DeviceSpec> all() {
        return List.copyOf(BUILT_IN.values());
    }

    public static Optional<DeviceSpec> find(String id) {
        return Optional.ofNullable(BUILT_IN.get(id));
    }

    /** The built-in spec with this id, or an error that lists the ids. */
    public static DeviceSpec byId(String id) {
        DeviceSpec spec = BUILT_IN.get(id);
        if (spec == null) {
            throw new IllegalArgumentException(
                    "Unknown device '%s'; the catalogue has %s. Register a full spec for other devices."
                            .formatted(id, BUILT_IN.keySet()));
        }
        return spec;
    }

    /** A registered device: a catalogue entry with overrides (null overrides = the entry itself). */
    public static DeviceSpec derive(String baseId, DeviceSpec.Overrides overrides) {
        return byId(baseId).apply(overrides);
    }
}
