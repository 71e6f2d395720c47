package dev.mpq.service.search;

import dev.mpq.service.job.JobContext;
import dev.mpq.service.job.JobHandler;
import dev.mpq.service.solve.ResultDocument;
import dev.mpq.solver.ParetoFront;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a queued search: assembles its problem from the stored inputs, solves it (outside any
 * transaction), then stores the result and completes the job in one transaction, so the result is
 * stored exactly once even when a replica dies mid-way.
 */
@Component
class SearchJob implements JobHandler {

    private final SearchService service;
    private final SearchRepository searches;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    SearchJob(SearchService service, SearchRepository searches, TransactionTemplate transaction, JsonMapper json) {
        this.service = service;
        this.searches = searches;
        this.transaction = transaction;
        this.json = json;
    }

    @Override
    public String kind() {
        return SearchService.JOB_KIND;
    }

    @Override
    public void run(JobContext job) {
        SearchRepository.StoredSearch search = searches.findByJob(job.jobId())
                .orElseThrow(() -> new IllegalStateException("Job %d has no search".formatted(job.jobId())));
        SearchService.Assembled assembled = service.assemble(search.request());
        job.progress(0.05);
        ParetoFront front = service.solver().solve(assembled.problem(), assembled.engine(), assembled.options());
        SearchCosts costs = assembled.costs();
        String result = ResultDocument.toJson(json, assembled.problem(), front, extra -> {
            extra.writeObjectPropertyStart("costs");
            extra.writeStringProperty("basis", costs.basis());
            extra.writeName("excluded");
            extra.writePOJO(costs.excluded());
            extra.writeObjectPropertyStart("sources");
            var layers = assembled.problem().groups();
            for (int i = 0; i < layers.size(); i++) {
                extra.writeName(layers.get(i).name());
                extra.writePOJO(costs.sources().get(i));
            }
            extra.writeEndObject();
            extra.writeObjectPropertyStart("values");
            for (int i = 0; i < layers.size(); i++) {
                extra.writeName(layers.get(i).name());
                extra.writePOJO(costs.costs().get(i));
            }
            extra.writeEndObject();
            extra.writeEndObject();
        });
        Object engine = front.stats().get("engine");
        transaction.executeWithoutResult(status -> {
            searches.saveResult(search.id(), engine == null ? null : engine.toString(), result);
            job.complete();
        });
    }
}
