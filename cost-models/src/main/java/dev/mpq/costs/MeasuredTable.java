package dev.mpq.costs;

import dev.mpq.core.Precision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Measured latencies keyed by (layer shape, precision, batch), independent of any network: a network
 * layer with the same kind, weight shape, parameters and MACs per sample finds its entry whatever its
 * name. Several measurements of one key (repeated runs, two logs) combine by their median.
 *
 * <p>Strides: a key holds entries of one or more strides. A lookup with a known stride uses the
 * entries of that stride (and those of unknown stride); a lookup with stride 0 (a {@code LayerSpec}
 * has none) uses the entries if they agree on one stride, and otherwise reports the ambiguity and
 * finds nothing, so the model predicts instead.
 */
public final class MeasuredTable {

    private static final MeasuredTable EMPTY = new MeasuredTable(List.of());

    private final List<Measurement> measurements;
    private final Map<Key, List<Measurement>> byKey;

    private MeasuredTable(List<Measurement> measurements) {
        this.measurements = List.copyOf(measurements);
        Map<Key, List<Measurement>> index = new LinkedHashMap<>();
        for (Measurement m : this.measurements) {
            index.computeIfAbsent(new Key(m.shape().withoutStride(), m.precision(), m.batch()), k -> new ArrayList<>())
                    .add(m);
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        this.byKey = Collections.unmodifiableMap(index);
    }

    public static MeasuredTable empty() {
        return EMPTY;
    }

    public static MeasuredTable of(Collection<Measurement> measurements) {
        Objects.requireNonNull(measurements, "A measured table needs a list of measurements (may be empty).");
        return measurements.isEmpty() ? EMPTY : new MeasuredTable(new ArrayList<>(measurements));
    }

    /**
     * A table from import records (e.g. a JSON array); an error names the point's index and field, e.g.
     * {@code points[3].precision: Unknown numeric format 'int9' ...}.
     */
    public static MeasuredTable fromPoints(List<MeasuredPoint> points) {
        List<Measurement> measurements = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            MeasuredPoint point = points.get(i);
            if (point == null) {
                throw new MeasuredPoint.InvalidPoint("points[%d]".formatted(i), "the point is null");
            }
            try {
                measurements.add(point.toMeasurement());
            } catch (MeasuredPoint.InvalidPoint e) {
                throw new MeasuredPoint.InvalidPoint(
                        "points[%d].%s".formatted(i, e.field()),
                        e.getMessage().substring(e.field().length() + 2));
            }
        }
        return of(measurements);
    }

    /** This table's and {@code other}'s measurements together. */
    public MeasuredTable merge(MeasuredTable other) {
        List<Measurement> all = new ArrayList<>(measurements);
        all.addAll(other.measurements);
        return of(all);
    }

    public List<Measurement> measurements() {
        return measurements;
    }

    public int size() {
        return measurements.size();
    }

    public boolean isEmpty() {
        return measurements.isEmpty();
    }

    /** The measured latency for a shape, precision and batch, if the table covers it unambiguously. */
    public Lookup lookup(LayerShape shape, Precision precision, int batch) {
        List<Measurement> candidates = byKey.get(new Key(shape.withoutStride(), precision, batch));
        if (candidates == null) {
            return Lookup.MISSING;
        }
        List<Measurement> usable = new ArrayList<>();
        TreeSet<Integer> strides = new TreeSet<>();
        for (Measurement m : candidates) {
            if (shape.matches(m.shape())) {
                usable.add(m);
                if (m.shape().stride() > 0) {
                    strides.add(m.shape().stride());
                }
            }
        }
        if (usable.isEmpty()) {
            return Lookup.MISSING;
        }
        if (strides.size() > 1) {
            return new Lookup(
                    Double.NaN,
                    0,
                    "the table has %s %s batch %d with strides %s; give the layer's stride to use them"
                            .formatted(shape.label(), precision.id(), batch, strides));
        }
        double[] values = usable.stream()
                .mapToDouble(Measurement::latencySeconds)
                .sorted()
                .toArray();
        int n = values.length;
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        String sources = usable.stream()
                .map(Measurement::source)
                .filter(s -> !s.isEmpty())
                .distinct()
                .limit(3)
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
        String note = n == 1 ? "measured" : "median of %d measurements".formatted(n);
        return new Lookup(median, n, sources.isEmpty() ? note : note + " (" + sources + ")");
    }

    private record Key(LayerShape shape, Precision precision, int batch) {}

    /**
     * The result of a lookup: the latency (NaN when not found), how many measurements it combines, and
     * a note (the sources, or why an entry that exists could not be used).
     */
    public record Lookup(double seconds, int count, String note) {

        static final Lookup MISSING = new Lookup(Double.NaN, 0, "");

        public boolean found() {
            return count > 0;
        }
    }
}
