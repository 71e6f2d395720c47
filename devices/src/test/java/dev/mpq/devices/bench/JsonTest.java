package dev.mpq.devices.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedMapsListsNumbersStringsAndNulls() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("gbs", 12.3456789);
        inner.put("rows", 4096);
        inner.put("ort_gops", null);
        inner.put("nan", Double.NaN);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "a \"quoted\"\\path\n");
        doc.put("kernels", List.of(inner));
        doc.put("empty", List.of());
        doc.put("tiny", 1.5e-7);
        doc.put("big", 3e20);
        String json = Json.write(doc).replaceAll("\\s+", "");
        assertThat(json)
                .isEqualTo("{\"name\":\"a\\\"quoted\\\"\\\\path\\n\",\"kernels\":[{\"gbs\":12.3457,\"rows\":4096,"
                        + "\"ort_gops\":null,\"nan\":null}],\"empty\":[],\"tiny\":1.5E-7,\"big\":3E+20}");
    }

    @Test
    void wholeDoublesPrintWithoutAFraction() {
        assertThat(Json.write(Arrays.asList(2.0, -0.5, 0.0)).replaceAll("\\s+", ""))
                .isEqualTo("[2,-0.5,0]");
    }
}
