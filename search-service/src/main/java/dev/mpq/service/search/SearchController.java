package dev.mpq.service.search;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Searches: submit (202 + Location of the job), list, get (status and, when done, the result). */
@RestController
@RequestMapping("/api/searches")
class SearchController {

    private final SearchService service;
    private final JsonMapper json;

    SearchController(SearchService service, JsonMapper json) {
        this.service = service;
        this.json = json;
    }

    /** A search as the API shows it; {@code result} has the shape of CONTRACTS.md section 4. */
    record SearchView(
            long id,
            String status,
            Double progress,
            String error,
            long networkId,
            String networkName,
            long profileId,
            Long deviceId,
            String deviceName,
            String reason,
            Long standingSearchId,
            String engine,
            long seed,
            SearchRequest request,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            JsonNode result) {}

    @PostMapping
    ResponseEntity<SearchView> submit(@RequestBody SearchRequest request) {
        long id = service.submit(request);
        return ResponseEntity.accepted()
                .location(URI.create("/api/searches/" + id))
                .body(view(service.find(id)));
    }

    @GetMapping
    List<SearchView> list(@RequestParam(required = false) Long networkId) {
        return service.list(networkId).stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    SearchView get(@PathVariable long id) {
        return view(service.find(id));
    }

    private SearchView view(SearchRepository.StoredSearch s) {
        return new SearchView(
                s.id(),
                s.status(),
                s.progress(),
                s.error(),
                s.networkId(),
                s.networkName(),
                s.profileId(),
                s.deviceId(),
                s.deviceName(),
                s.reason(),
                s.standingSearchId(),
                s.engine(),
                s.seed(),
                s.request(),
                s.createdAt(),
                s.startedAt(),
                s.finishedAt(),
                s.resultJson() == null ? null : json.readTree(s.resultJson()));
    }
}
