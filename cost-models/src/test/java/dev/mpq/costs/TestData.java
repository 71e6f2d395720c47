package dev.mpq.costs;

import dev.mpq.costs.hawq.HawqData;
import java.nio.file.Path;

/** The repository's data directory, passed by surefire as {@code -Dmpq.data}. */
public final class TestData {

    private TestData() {}

    public static Path directory() {
        String data = System.getProperty("mpq.data");
        if (data == null || data.isBlank()) {
            throw new IllegalStateException(
                    "System property mpq.data is not set; run the tests through Maven (the root pom sets it to data/).");
        }
        return Path.of(data);
    }

    public static HawqData hawq() {
        return HawqData.inDataDirectory(directory());
    }
}
