package dev.mpq.service.search;

import dev.mpq.service.device.DeviceRepository;
import dev.mpq.service.device.StoredDevice;
import dev.mpq.service.events.DeviceRegistered;
import dev.mpq.service.events.MeasuredTableCompleted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Standing searches run again by themselves:
 *
 * <ul>
 *   <li>when a device is registered, one search per standing search (that the device can cost) is
 *       queued for it, in the registering transaction;
 *   <li>when a device's measured table for a network is completed, the network's standing
 *       searches are queued for that device, in the reporting transaction;
 *   <li>every {@code mpq.research.interval} each replica, one at a time (ShedLock over the same
 *       database), compares each standing search's inputs on each device with those of its latest
 *       run and queues a run where they changed; whichever replica comes second finds the digests
 *       the first one recorded, so a change is queued once.
 * </ul>
 *
 * Each search records its reason ({@code device-registered}, {@code measured-table-completed},
 * {@code inputs-changed}) and its standing search.
 */
@Component
class ReSearch {

    private static final Logger log = LoggerFactory.getLogger(ReSearch.class);
    static final String LOCK = "re-search";

    private final StandingSearchRepository standing;
    private final SearchRepository searches;
    private final SearchService service;
    private final DeviceRepository devices;
    private final TransactionTemplate transaction;
    private final LockingTaskExecutor locks;
    private final Duration interval;

    ReSearch(
            StandingSearchRepository standing,
            SearchRepository searches,
            SearchService service,
            DeviceRepository devices,
            TransactionTemplate transaction,
            DataSource dataSource,
            @Value("${mpq.research.interval:60s}") Duration interval) {
        this.standing = standing;
        this.searches = searches;
        this.service = service;
        this.devices = devices;
        this.transaction = transaction;
        this.interval = interval;
        this.locks = new DefaultLockingTaskExecutor(
                new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                        .withJdbcTemplate(new JdbcTemplate(dataSource))
                        .usingDbTime()
                        .build()));
    }

    @EventListener
    void deviceRegistered(DeviceRegistered event) {
        for (StandingSearchRepository.StandingSearch s : standing.all()) {
            queueIfApplicable(s, event.deviceId(), SearchService.Reason.DEVICE_REGISTERED);
        }
    }

    @EventListener
    void measuredTableCompleted(MeasuredTableCompleted event) {
        for (StandingSearchRepository.StandingSearch s : standing.forNetwork(event.networkId())) {
            queueIfApplicable(s, event.deviceId(), SearchService.Reason.MEASURED_TABLE_COMPLETED);
        }
    }

    /** Queues the standing search on a device unless the device cannot cost it (then logs why). */
    Optional<Long> queueIfApplicable(
            StandingSearchRepository.StandingSearch s, long deviceId, SearchService.Reason reason) {
        SearchRequest request = s.request().on(s.networkId(), s.profileId(), deviceId);
        try {
            service.assemble(request); // not transactional: a refusal here leaves the caller's transaction intact
        } catch (RuntimeException e) {
            log.info("Standing search {} does not apply to device {}: {}", s.id(), deviceId, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(service.submit(request, reason, s.id()));
    }

    @Scheduled(fixedDelayString = "${mpq.research.interval:60s}", initialDelayString = "${mpq.research.interval:60s}")
    void tick() {
        // Held only while a replica compares and queues, never beyond: the lock uses the database's
        // clock (no skew between replicas to pad against) and a run right after another queues
        // nothing, as each queued search records the inputs digest the next run compares with.
        // Holding it for part of the interval would let a replica with a longer interval silence
        // the others.
        locks.executeWithLock(
                (Runnable) this::rerunChanged,
                new LockConfiguration(Instant.now(), LOCK, interval.multipliedBy(5), Duration.ZERO));
    }

    /** Queues a run of every standing search whose inputs on a device differ from its latest run's. */
    void rerunChanged() {
        List<Long> deviceIds = devices.all();
        for (StandingSearchRepository.StandingSearch s : standing.all()) {
            for (long deviceId : deviceIds) {
                try {
                    transaction.executeWithoutResult(status -> rerunIfChanged(s, deviceId));
                } catch (RuntimeException e) {
                    log.warn(
                            "Re-search of standing search {} on device {} failed: {}",
                            s.id(),
                            deviceId,
                            e.getMessage());
                }
            }
        }
    }

    private void rerunIfChanged(StandingSearchRepository.StandingSearch s, long deviceId) {
        Optional<StoredDevice> device = devices.find(deviceId);
        if (device.isEmpty()) {
            return;
        }
        boolean costable = device.get().hasModel()
                || devices.costTable(deviceId, s.networkId()).isPresent();
        if (!costable) {
            return;
        }
        SearchRequest request = s.request().on(s.networkId(), s.profileId(), deviceId);
        String digest = service.inputsDigest(request);
        Optional<String> latest = searches.latestDigest(s.id(), deviceId);
        if (latest.isEmpty() || !latest.get().equals(digest)) {
            queueIfApplicable(s, deviceId, SearchService.Reason.INPUTS_CHANGED)
                    .ifPresent(id -> log.info(
                            "Re-search {} of standing search {} on device {}: inputs changed", id, s.id(), deviceId));
        }
    }
}
