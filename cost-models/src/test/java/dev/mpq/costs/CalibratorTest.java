package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.core.LayerKind;
import dev.mpq.core.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibratorTest {

    private static final Precision INT4 = Precision.parse("int4:int4");
    private static final Precision INT8 = Precision.parse("int8:int8");

    /** The catalogue T4 with known "true" terms: INT8 0.30, INT4 0.20, memory 0.60, overhead 4 us. */
    private static DeviceSpec truth() {
        return DeviceCatalog.byId("t4")
                .apply(DeviceSpec.Overrides.none()
                        .withEfficiencies(Map.of(MathMode.INT8, 0.30, MathMode.INT4, 0.20), null, 0.60, 4e-6));
    }

    /** Linear and conv shapes from memory bound to compute bound. */
    private static List<LayerShape> shapes() {
        List<LayerShape> shapes = new ArrayList<>();
        for (long n : new long[] {256, 512, 1024, 2048, 4096}) {
            shapes.add(new LayerShape(LayerKind.LINEAR, List.of(n, n), n * n, n * n, 1));
        }
        for (long c : new long[] {64, 128, 256, 512}) {
            long size = 3584 / c;
            shapes.add(new LayerShape(LayerKind.CONV, List.of(c, c, 3L, 3L), c * c * 9, c * c * 9 * size * size, 1));
            shapes.add(
                    new LayerShape(LayerKind.CONV, List.of(4 * c, c, 1L, 1L), 4 * c * c, 4 * c * c * size * size, 1));
        }
        return shapes;
    }

    private static List<Measurement> measure(DeviceSpec device, double unit, double noise, long seed) {
        Random random = new Random(seed);
        List<Measurement> points = new ArrayList<>();
        for (LayerShape shape : shapes()) {
            for (int batch : new int[] {1, 8, 64}) {
                for (Precision p : List.of(INT4, INT8)) {
                    double seconds =
                            ((LayerCost.Costed) RooflineModel.predict(device, shape, p, batch)).latencySeconds();
                    double factor = 1 + noise * (2 * random.nextDouble() - 1);
                    points.add(new Measurement(shape, p, batch, seconds * unit * factor, "synthetic"));
                }
            }
        }
        return points;
    }

    @Test
    void recoversKnownTermsFromExactSyntheticMeasurements() {
        Calibration fit = Calibrator.fit(DeviceCatalog.byId("t4"), measure(truth(), 1, 0, 1));
        assertThat(fit.modeEfficiency().get(MathMode.INT8)).isCloseTo(0.30, within(0.003));
        assertThat(fit.modeEfficiency().get(MathMode.INT4)).isCloseTo(0.20, within(0.002));
        assertThat(fit.memoryEfficiency()).isCloseTo(0.60, within(0.006));
        assertThat(fit.overheadSeconds()).isCloseTo(4e-6, within(4e-8));
        assertThat(fit.fitMape()).isLessThan(1e-3);
        assertThat(fit.fittedModes()).containsExactlyInAnyOrder(MathMode.INT4, MathMode.INT8);
        assertThat(fit.note()).isEmpty();
    }

    @Test
    void modesWithoutPointsTakeTheFittedModesCorrection() {
        Calibration fit = Calibrator.fit(DeviceCatalog.byId("t4"), measure(truth(), 1, 0, 1));
        // catalogue 0.7 everywhere; fitted 0.30 and 0.20: geometric-mean correction sqrt(0.3 x 0.2) / 0.7
        assertThat(fit.modeEfficiency().get(MathMode.FP16)).isCloseTo(Math.sqrt(0.3 * 0.2), within(0.003));
        assertThat(fit.computeEfficiency()).isCloseTo(Math.sqrt(0.3 * 0.2), within(0.003));
    }

    @Test
    void measurementsInAnotherUnitScaleTheTermsAndPredictInThatUnit() {
        List<Measurement> milliseconds = measure(truth(), 1000, 0, 1);
        Calibration fit = Calibrator.fit(DeviceCatalog.byId("t4"), milliseconds);
        assertThat(fit.modeEfficiency().get(MathMode.INT8)).isCloseTo(0.30 / 1000, within(0.003 / 1000));
        assertThat(fit.overheadSeconds()).isCloseTo(4e-3, within(4e-5));
        assertThat(fit.fitMape()).isLessThan(1e-3);
    }

    @Test
    void noisyMeasurementsStillPredictHeldOutShapes() {
        List<Measurement> points = measure(truth(), 1, 0.10, 42);
        Calibrator.Split split = Calibrator.alternateShapes(points);
        assertThat(split.fit()).isNotEmpty();
        assertThat(split.heldOut()).isNotEmpty();
        assertThat(split.fit())
                .noneMatch(m -> split.heldOut().stream().anyMatch(h -> h.shape().equals(m.shape())));
        Calibrator.Validated validated =
                Calibrator.fitAndValidate(DeviceCatalog.byId("t4"), split.fit(), split.heldOut());
        assertThat(validated.report().mape()).as("seed 42").isLessThan(0.06);
        assertThat(validated.report().spearman()).as("seed 42").isGreaterThan(0.98);
        assertThat(validated.report().heldOutPoints()).isEqualTo(split.heldOut().size());
        assertThat(validated.heldOut()).hasSize(split.heldOut().size());
    }

    @Test
    void pointsOfExcludedPrecisionsAreSkippedAndCounted() {
        List<Measurement> points = new ArrayList<>(measure(truth(), 1, 0, 1));
        LayerShape shape = shapes().get(0);
        points.add(new Measurement(shape, Precision.parse("fp8-e4m3:fp8-e4m3"), 1, 1e-5, "not on a T4"));
        Calibration fit = Calibrator.fit(DeviceCatalog.byId("t4"), points);
        assertThat(fit.skippedPoints()).isEqualTo(1);
        assertThat(fit.points()).isEqualTo(points.size() - 1);
        assertThatThrownBy(() ->
                        Calibrator.fit(DeviceCatalog.byId("t4"), points.subList(points.size() - 1, points.size())))
                .hasMessageContaining("No measured point on t4 can be used");
    }

    @Test
    void calibrationAppliesToItsDeviceOnly() {
        Calibration fit = Calibrator.fit(DeviceCatalog.byId("t4"), measure(truth(), 1, 0, 1));
        DeviceSpec calibrated = fit.apply(DeviceCatalog.byId("t4"));
        assertThat(calibrated.efficiency(MathMode.INT8))
                .isEqualTo(fit.modeEfficiency().get(MathMode.INT8));
        assertThatThrownBy(() -> new DeviceModel(DeviceCatalog.byId("l4"), null, fit, null))
                .hasMessageContaining("Calibration for device 't4' cannot serve device 'l4'");
    }
}
