package dev.mpq.devices.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpq.devices.measure.Trials;
import dev.mpq.devices.probe.MachineInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelBenchTest {

    @Test
    void casesHoldTheHeadlineRowsOnAllCores() {
        List<KernelCase> cases = KernelBench.cases(2);
        assertThat(cases)
                .contains(
                        new KernelCase("int4-g128", 4096, 4096, 1, 2),
                        new KernelCase("int4-g128", 11008, 4096, 1, 2),
                        new KernelCase("int8:int8", 4096, 4096, 64, 2),
                        new KernelCase("int8:int8", 4096, 4096, 256, 2));
        assertThat(cases).extracting(KernelCase::label).doesNotHaveDuplicates();
    }

    @Test
    void aFilteredRunPrintsTheContractKeysForJavaAndOnnxRuntimeRows() {
        MachineInfo machine = new MachineInfo(
                "test cpu", 2, List.of("avx2"), List.of(), 1 << 20, "cpuinfo", 1L << 34, "jvm", List.of(), "8 x fp32");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        KernelBench bench = new KernelBench(
                machine,
                new Trials(0, 1, 1e-4),
                label -> label.equals("matmul int8:int8 4096x4096 b64 t2"),
                new PrintStream(log, true, StandardCharsets.UTF_8),
                false);
        Map<String, Object> doc = bench.run();
        assertThat(doc).containsKeys("machine", "bandwidth_gbs", "kernels");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> kernels = (List<Map<String, Object>>) doc.get("kernels");
        assertThat(kernels).extracting(k -> k.get("runtime")).containsExactly("java", "onnxruntime", "onnxruntime");
        for (Map<String, Object> k : kernels) {
            assertThat(k)
                    .containsKeys(
                            "kernel",
                            "runtime",
                            "format",
                            "rows",
                            "cols",
                            "batch",
                            "threads",
                            "seconds",
                            "gbs",
                            "gops",
                            "fraction_of_bandwidth",
                            "ort_gops");
            assertThat(k.get("format")).isEqualTo("int8:int8");
            assertThat(k.get("kernel")).isEqualTo("matmul");
            assertThat((Double) k.get("seconds")).isPositive();
        }
        double best = Math.max(
                (Double) kernels.get(1).get("gops"), (Double) kernels.get(2).get("gops"));
        assertThat(kernels.get(0).get("ort_gops")).isEqualTo(best);
        assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("bench kernels on test cpu, 2 cores");
    }
}
