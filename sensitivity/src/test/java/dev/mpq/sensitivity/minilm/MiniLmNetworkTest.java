package dev.mpq.sensitivity.minilm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.core.LayerKind;
import dev.mpq.core.LayerSpec;
import dev.mpq.sensitivity.onnx.OnnxNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layers of the real all-MiniLM-L6-v2 graph. */
class MiniLmNetworkTest {

    @Test
    void findsTheThirtySixMatMulWeightsWithShapesMacsAndQkvTies() {
        OnnxNetwork net = OnnxNetwork.read(MiniLm.floatModel());
        List<LayerSpec> layers = net.spec().layers();
        assertThat(layers).hasSize(36);
        assertThat(layers).allMatch(l -> l.kind() == LayerKind.LINEAR);
        LayerSpec q =
                net.spec().layer("/encoder/layer.0/attention/self/query/MatMul").orElseThrow();
        assertThat(q.shape()).containsExactly(384L, 384L);
        assertThat(q.parameters()).isEqualTo(384L * 384);
        assertThat(q.macs()).isEqualTo(384L * 384);
        LayerSpec ffnIn =
                net.spec().layer("/encoder/layer.5/intermediate/dense/MatMul").orElseThrow();
        assertThat(ffnIn.shape()).containsExactly(1536L, 384L);
        LayerSpec ffnOut =
                net.spec().layer("/encoder/layer.5/output/dense/MatMul").orElseThrow();
        assertThat(ffnOut.shape()).containsExactly(384L, 1536L);
        assertThat(layers.stream().mapToLong(LayerSpec::parameters).sum())
                .isEqualTo(6L * (4 * 384 * 384 + 2 * 384 * 1536));
        // Q, K and V of each encoder layer read the same LayerNorm output
        assertThat(net.spec().ties()).hasSize(6);
        assertThat(net.spec().ties().get(0))
                .containsExactly(
                        "/encoder/layer.0/attention/self/query/MatMul",
                        "/encoder/layer.0/attention/self/key/MatMul",
                        "/encoder/layer.0/attention/self/value/MatMul");
        assertThat(net.layers()).noneMatch(l -> l.inConstantNode());
    }
}
