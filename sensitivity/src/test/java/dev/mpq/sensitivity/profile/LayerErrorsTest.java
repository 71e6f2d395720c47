package dev.mpq.sensitivity.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.core.FormatCatalog;
import dev.mpq.sensitivity.format.Quantizer;
import dev.mpq.sensitivity.onnx.WeightMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerErrorsTest {

    @Test
    void sampleWeightedEqualsTheGramOfItsVectorsAndTheBruteForceSum() {
        Random random = new Random(3);
        int rows = 5;
        int cols = 7;
        int count = 3;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        double[] v = new double[count * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        WeightMatrix m = new WeightMatrix(w, rows, cols);
        Quantizer q = Quantizer.of(FormatCatalog.byId("int3"));
        float[] dq = new float[w.length];
        q.fakeQuantize(w, rows, cols, dq);
        double brute = 0;
        double[] gram = new double[cols * cols];
        for (int s = 0; s < count; s++) {
            for (int r = 0; r < rows; r++) {
                double dot = 0;
                for (int c = 0; c < cols; c++) {
                    dot += ((double) dq[r * cols + c] - w[r * cols + c]) * v[s * cols + c];
                }
                brute += dot * dot / count;
            }
            for (int i = 0; i < cols; i++) {
                for (int j = 0; j < cols; j++) {
                    gram[i * cols + j] += v[s * cols + i] * v[s * cols + j] / count;
                }
            }
        }
        double fast = LayerErrors.sampleWeighted(q, m, new float[w.length], v, count);
        assertThat(brute).isGreaterThan(0);
        assertThat(fast).isCloseTo(brute, within(1e-9 * brute));
        assertThat(fast).isCloseTo(LayerErrors.gramWeighted(q, m, new float[w.length], gram), within(1e-9 * brute));
    }

    @Test
    void sampleWeightedRejectsVectorsOfTheWrongLength() {
        WeightMatrix m = new WeightMatrix(new float[6], 2, 3);
        Quantizer q = Quantizer.of(FormatCatalog.byId("int8"));
        assertThatThrownBy(() -> LayerErrors.sampleWeighted(q, m, new float[6], new double[5], 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 values are not 2 vectors of the layer's 3 inputs");
    }
}
