package dev.mpq.devices.worker;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines on stderr: {@code 12:03:04 worker: message}. */
public final class WorkerLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;

    public WorkerLog(PrintStream out) {
        this.out = out;
    }

    public void info(String format, Object... args) {
        String line = LocalTime.now().format(TIME) + " worker: " + format.formatted(args);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
