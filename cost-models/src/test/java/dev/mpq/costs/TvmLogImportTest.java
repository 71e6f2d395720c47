package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.core.Precision;
import dev.mpq.costs.hawq.HawqData;
import dev.mpq.costs.hawq.HawqResNet;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TvmLogImportTest {

    private static final Precision INT4 = Precision.parse("int4:int4");
    private static final Precision INT8 = Precision.parse("int8:int8");

    private static MeasuredTable log() {
        return TvmLogImport.read(TestData.hawq().tvmLog());
    }

    @Test
    void readsEveryRecordOfTheT4Log() {
        MeasuredTable table = log();
        assertThat(table.size()).isEqualTo(74);
        assertThat(table.measurements()).allMatch(m -> m.batch() == 8);
        assertThat(table.measurements()).extracting(m -> m.precision().id()).containsOnly("int4:int4", "int8:int8");
    }

    @Test
    void mapsHwncConvolutionsToLayerShapesWithOutputPositionsAndStride() {
        // resnet18 line 8: data 58x58x8x64 (56x56 padded), weight 3x3x128x64 (kh kw O I), stride 2 -> 28x28 outputs
        LayerShape shape = new LayerShape(LayerKind.CONV, List.of(128L, 64L, 3L, 3L), 73728, 73728L * 28 * 28, 2);
        MeasuredTable.Lookup int4 = log().lookup(shape, INT4, 8);
        assertThat(int4.seconds()).isEqualTo(3.368390448184953e-05);
        assertThat(int4.note()).contains("tvm_t4_kernel_latency_batch8.csv:8 ");
        assertThat(log().lookup(shape, INT8, 8).seconds()).isEqualTo(7.049183282006158e-05);
    }

    @Test
    void mapsTheNhwcStemAndTheDenseClassifier() {
        LayerShape stem = new LayerShape(LayerKind.CONV, List.of(64L, 3L, 7L, 7L), 9408, 9408L * 112 * 112, 2);
        MeasuredTable.Lookup lookup = log().lookup(stem, INT8, 8);
        assertThat(lookup.count()).isEqualTo(2);
        assertThat(lookup.seconds()).isEqualTo((3.7691704444444443e-04 + 3.6789195662650606e-04) / 2);
        LayerShape fc = new LayerShape(LayerKind.LINEAR, List.of(1000L, 512L), 512000, 512000, 1);
        assertThat(log().lookup(fc, INT8, 8).seconds()).isEqualTo(4.376039242191913e-06);
    }

    @Test
    void oneTableServesTheLayersOfBothResNets() {
        MeasuredTable table = log();
        HawqData data = TestData.hawq();
        for (String name : List.of("resnet18", "resnet50")) {
            HawqResNet.Model model = HawqResNet.build(name, data.ilpInputs(name));
            for (LayerSpec layer : model.network().layers()) {
                LayerShape shape = LayerShape.of(layer, model.strides().getOrDefault(layer.name(), 1));
                assertThat(table.lookup(shape, INT8, 8).found())
                        .as("%s %s int8", name, layer.name())
                        .isTrue();
                if (!model.fixedLayers().contains(layer.name())) {
                    assertThat(table.lookup(shape, INT4, 8).found())
                            .as("%s %s int4", name, layer.name())
                            .isTrue();
                }
            }
        }
    }

    private static final String HEADER =
            "op,data_shape,data_dtype,weight_shape,weight_dtype,strides,padding,dilation,layout,out_dtype,time_seconds,error_no\n";

    @Test
    void unknownTypesAndMismatchedShapesNameTheLineAndColumn() {
        assertThatThrownBy(() -> TvmLogImport.read(
                        new StringReader(
                                HEADER
                                        + "conv2d_HWNCnc_tensorcore.cuda,9x9x8x512,float16,3x3x512x512,int4,1x1,0x0x0x0,1x1,HWNC,int32,8e-05,0\n"),
                        "log.csv"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(
                        "log.csv: line 2, column 3 (data_dtype): data type 'float16' is not one of int4, uint4, int8, uint8");
        assertThatThrownBy(() -> TvmLogImport.read(
                        new StringReader(
                                HEADER
                                        + "conv2d_HWNCnc_tensorcore.cuda,9x9x8x256,int8,3x3x512x512,int8,1x1,0x0x0x0,1x1,HWNC,int32,8e-05,0\n"),
                        "log.csv"))
                .hasMessageStartingWith("log.csv: line 2, column 4 (weight_shape): ")
                .hasMessageContaining("takes 512 input channels but the data has 256");
        assertThatThrownBy(() -> TvmLogImport.read(
                        new StringReader(
                                HEADER
                                        + "conv2d_HWNCnc_tensorcore.cuda,9x9x8x512,int8,3x3x512x512,int4,1x1,0x0x0x0,1x1,HWNC,int32,8e-05,0\n"),
                        "log.csv"))
                .hasMessageStartingWith("log.csv: line 2, column 5 (weight_dtype): ");
    }

    @Test
    void failedTrialsAreSkipped() {
        MeasuredTable table = TvmLogImport.read(
                new StringReader(HEADER
                        + "dense_int8.cuda,8x512,int8,1000x512,int8,,,,,int32,4e-06,0\n"
                        + "dense_int8.cuda,8x512,int8,1000x512,int8,,,,,int32,1e+09,4\n"),
                "log.csv");
        assertThat(table.size()).isEqualTo(1);
    }
}
