package dev.mpq.service.search;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/searches/{id}/events}: the status and progress of one search as server-sent
 * events, for the dashboard's search page (read-only; the dashboard opens it only there). Each
 * event is named {@code status} and carries {@code {id, status, progress, error, startedAt,
 * finishedAt}}: one at once, then one whenever the job's row changes (checked every half second on
 * one shared thread, so open pages cost one light query per tick each), and the stream ends after
 * the event that reports {@code DONE} or {@code FAILED}. Any replica can serve it: the state is read
 * from the database. Streams are closed first at shutdown so they never hold up the graceful stop.
 */
@RestController
class SearchEventsController implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SearchEventsController.class);
    private static final long TICK_MILLIS = 500;
    private static final int HEARTBEAT_TICKS = 30;
    private static final long STREAM_TIMEOUT_MILLIS = 30 * 60_000;
    private static final long RETRY_MILLIS = 2_000;

    /** The payload of a {@code status} event. */
    record StatusEvent(long id, String status, Double progress, String error, Instant startedAt, Instant finishedAt) {

        static StatusEvent of(SearchRepository.StoredSearch search) {
            return new StatusEvent(
                    search.id(),
                    search.status(),
                    search.progress(),
                    search.error(),
                    search.startedAt(),
                    search.finishedAt());
        }

        boolean finished() {
            return status.equals("DONE") || status.equals("FAILED");
        }
    }

    /** One open stream. */
    private static final class Stream {
        final long jobId;
        final SseEmitter emitter;
        StatusEvent last;
        int quietTicks;

        Stream(long jobId, SseEmitter emitter) {
            this.jobId = jobId;
            this.emitter = emitter;
        }
    }

    private final SearchService service;
    private final SearchRepository searches;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService ticker;

    SearchEventsController(SearchService service, SearchRepository searches) {
        this.service = service;
        this.searches = searches;
    }

    @GetMapping(path = "/api/searches/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable long id) {
        SearchRepository.StoredSearch search = service.find(id);
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        Stream stream = new Stream(search.jobId(), emitter);
        emitter.onCompletion(() -> streams.remove(stream));
        emitter.onTimeout(() -> {
            streams.remove(stream);
            emitter.complete();
        });
        emitter.onError(e -> streams.remove(stream));
        streams.add(stream);
        publish(stream, StatusEvent.of(search));
        if (ticker == null) {
            close(stream);
        }
        return emitter;
    }

    private void tick() {
        for (Stream stream : streams) {
            try {
                searches.findByJob(stream.jobId)
                        .map(StatusEvent::of)
                        .ifPresentOrElse(event -> publish(stream, event), () -> close(stream));
            } catch (RuntimeException e) {
                log.warn("Search events: cannot read job {}: {}", stream.jobId, e.getMessage());
            }
        }
    }

    private void publish(Stream stream, StatusEvent event) {
        synchronized (stream) {
            try {
                if (!Objects.equals(event, stream.last)) {
                    stream.last = event;
                    stream.quietTicks = 0;
                    stream.emitter.send(SseEmitter.event()
                            .name("status")
                            .id(Long.toString(event.id()))
                            .reconnectTime(RETRY_MILLIS)
                            .data(event, MediaType.APPLICATION_JSON));
                } else if (++stream.quietTicks >= HEARTBEAT_TICKS) {
                    stream.quietTicks = 0;
                    stream.emitter.send(SseEmitter.event().comment("waiting"));
                }
                if (event.finished()) {
                    close(stream);
                }
            } catch (IOException | IllegalStateException e) {
                // the client went away (or the stream was completed meanwhile)
                streams.remove(stream);
                stream.emitter.completeWithError(e);
            }
        }
    }

    private void close(Stream stream) {
        streams.remove(stream);
        stream.emitter.complete();
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "search-events");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        ticker = executor;
    }

    /** Runs before the web server's graceful shutdown (higher phase), so open streams never delay it. */
    @Override
    public void stop() {
        ScheduledExecutorService executor = ticker;
        ticker = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        streams.forEach(this::close);
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }
}
