package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.Precision;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasuredTableTest {

    private static final Precision INT8 = Precision.parse("int8:int8");
    private static final LayerShape CONV_S1 =
            new LayerShape(LayerKind.CONV, List.of(128L, 128L, 3L, 3L), 147456, 147456L * 784, 1);
    private static final LayerShape CONV_S2 =
            new LayerShape(LayerKind.CONV, List.of(128L, 128L, 3L, 3L), 147456, 147456L * 784, 2);

    @Test
    void layerOfAnyNetworkWithTheSameShapeFindsTheEntry() {
        MeasuredTable table = MeasuredTable.of(List.of(new Measurement(
                new LayerShape(LayerKind.LINEAR, List.of(384L, 1536L), 384L * 1536, 384L * 1536, 0),
                INT8,
                8,
                1e-5,
                "run")));
        LayerSpec minilm = new LayerSpec(
                "encoder.layer.3.output.dense", LayerKind.LINEAR, List.of(384L, 1536L), 589824, 589824, null);
        LayerSpec other =
                new LayerSpec("blocks.0.mlp.fc2", LayerKind.LINEAR, List.of(384L, 1536L), 589824, 589824, null);
        assertThat(table.lookup(LayerShape.of(minilm), INT8, 8).seconds()).isEqualTo(1e-5);
        assertThat(table.lookup(LayerShape.of(other), INT8, 8).seconds()).isEqualTo(1e-5);
        assertThat(table.lookup(LayerShape.of(other), INT8, 16).found()).isFalse();
        assertThat(table.lookup(LayerShape.of(other), Precision.parse("int4:int4"), 8)
                        .found())
                .isFalse();
    }

    @Test
    void repeatedMeasurementsCombineByTheirMedian() {
        MeasuredTable table = MeasuredTable.of(List.of(
                new Measurement(CONV_S1, INT8, 8, 3e-5, "a"),
                new Measurement(CONV_S1, INT8, 8, 1e-5, "b"),
                new Measurement(CONV_S1, INT8, 8, 2e-5, "c"),
                new Measurement(CONV_S1, INT8, 8, 9e-5, "d")));
        MeasuredTable.Lookup lookup = table.lookup(CONV_S1, INT8, 8);
        assertThat(lookup.seconds()).isEqualTo(2.5e-5);
        assertThat(lookup.count()).isEqualTo(4);
        assertThat(lookup.note()).contains("median of 4");
    }

    @Test
    void unknownStrideMatchesOnlyWhenTheTableHoldsOneStride() {
        LayerShape unknown = CONV_S1.withoutStride();
        MeasuredTable one = MeasuredTable.of(List.of(new Measurement(CONV_S2, INT8, 8, 2e-5, "s2")));
        assertThat(one.lookup(unknown, INT8, 8).seconds()).isEqualTo(2e-5);
        assertThat(one.lookup(CONV_S1, INT8, 8).found()).isFalse();

        MeasuredTable both = one.merge(MeasuredTable.of(List.of(new Measurement(CONV_S1, INT8, 8, 1e-5, "s1"))));
        MeasuredTable.Lookup ambiguous = both.lookup(unknown, INT8, 8);
        assertThat(ambiguous.found()).isFalse();
        assertThat(ambiguous.note()).contains("strides [1, 2]").contains("give the layer's stride");
        assertThat(both.lookup(CONV_S1, INT8, 8).seconds()).isEqualTo(1e-5);
        assertThat(both.lookup(CONV_S2, INT8, 8).seconds()).isEqualTo(2e-5);
    }

    @Test
    void csvRoundTripsThroughWriteAndRead() {
        MeasuredTable table = MeasuredTable.of(List.of(
                new Measurement(CONV_S1, INT8, 8, 1.25e-5, "worker, run 1"),
                new Measurement(CONV_S2.withoutStride(), Precision.parse("int4-g128"), 1, 3e-6, "")));
        MeasuredTable read = MeasuredTableCsv.read(new StringReader(MeasuredTableCsv.write(table)), "t.csv");
        assertThat(read.measurements()).hasSize(2);
        assertThat(read.measurements().get(0).shape()).isEqualTo(CONV_S1);
        assertThat(read.measurements().get(0).source()).isEqualTo("worker, run 1");
        assertThat(read.measurements().get(1).shape().stride()).isZero();
        assertThat(read.measurements().get(1).precision().id()).isEqualTo("int4-g128");
    }

    private static final String HEADER = "kind,weight_shape,macs,stride,precision,batch,latency_seconds\n";

    @Test
    void csvErrorsNameTheLineAndColumn() {
        assertThatThrownBy(() -> MeasuredTableCsv.read(
                        new StringReader(HEADER + "conv,64x64x3x3,115605504,1,int8:int8,8,1e-4\n"
                                + "conv,64x64x3x3,115605504,1,int9:int9,8,1e-4\n"),
                        "table.csv"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith("table.csv: line 3, column 5 (precision): Unknown numeric format 'int9'");
        assertThatThrownBy(() -> MeasuredTableCsv.read(
                        new StringReader(HEADER + "conv,64x64x3x3,115605504,1,int8:int8,8,fast\n"), "table.csv"))
                .hasMessage("table.csv: line 2, column 7 (latency_seconds): 'fast' is not a number");
        assertThatThrownBy(() -> MeasuredTableCsv.read(
                        new StringReader(HEADER + "conv,64x0x3x3,115605504,1,int8:int8,8,1e-4\n"), "table.csv"))
                .hasMessageStartingWith("table.csv: line 2, column 2 (weight_shape)");
        assertThatThrownBy(() -> MeasuredTableCsv.read(
                        new StringReader(HEADER + "conv,64x64x3x3,115605504,1,int8:int8,0,1e-4\n"), "table.csv"))
                .hasMessageStartingWith("table.csv: line 2, column 6 (batch)");
        assertThatThrownBy(() -> MeasuredTableCsv.read(
                        new StringReader(HEADER + "dense,64x64,4096,1,int8:int8,1,1e-4\n"), "table.csv"))
                .hasMessageStartingWith("table.csv: line 2, column 1 (kind): Unknown layer kind 'dense'");
        assertThatThrownBy(() -> MeasuredTableCsv.read(
                        new StringReader(HEADER + "conv,64x64x3x3,115605504,1,int8:int8,8\n"), "table.csv"))
                .hasMessageStartingWith("table.csv: line 2, column 7: the line has 6 fields but the header has 7");
        assertThatThrownBy(() -> MeasuredTableCsv.read(new StringReader("kind,weight_shape,macs\n"), "table.csv"))
                .hasMessageContaining("line 1")
                .hasMessageContaining("[batch, latency_seconds, precision]");
    }

    @Test
    void importRecordsNameTheOffendingPointAndField() {
        MeasuredPoint good = new MeasuredPoint("linear", List.of(10L, 20L), 0, 200, null, "int8:int8", 1, 1e-6, "x");
        MeasuredPoint badPrecision =
                new MeasuredPoint("linear", List.of(10L, 20L), 0, 200, null, "int8:", 1, 1e-6, "x");
        MeasuredPoint badLatency =
                new MeasuredPoint("linear", List.of(10L, 20L), 0, 200, null, "int8:int8", 1, -1, "x");
        assertThat(MeasuredTable.fromPoints(List.of(good))
                        .measurements()
                        .get(0)
                        .shape()
                        .parameters())
                .isEqualTo(200);
        assertThatThrownBy(() -> MeasuredTable.fromPoints(List.of(good, badPrecision)))
                .isInstanceOf(MeasuredPoint.InvalidPoint.class)
                .hasMessageStartingWith("points[1].precision: ")
                .extracting(e -> ((MeasuredPoint.InvalidPoint) e).field())
                .isEqualTo("points[1].precision");
        assertThatThrownBy(() -> MeasuredTable.fromPoints(List.of(badLatency)))
                .hasMessageStartingWith("points[0].latencySeconds: ")
                .hasMessageContaining("finite time > 0");
    }
}
