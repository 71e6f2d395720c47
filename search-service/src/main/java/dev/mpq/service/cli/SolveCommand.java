package dev.mpq.service.cli;

import dev.mpq.service.solve.ProblemDocument;
import dev.mpq.service.solve.ResultDocument;
import dev.mpq.solver.InvalidProblemException;
import dev.mpq.solver.ParetoFront;
import dev.mpq.solver.Solver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mpq solve}: one problem document in, one result document out (CONTRACTS.md section 4). */
@Command(
        name = "solve",
        mixinStandardHelpOptions = true,
        description = {
            "Solve a problem document offline (no database, no web server).",
            "Budgets only: the best configuration; 'front': the Pareto front of 'minimize' against that metric.",
            "An INFEASIBLE answer is a success (exit 0) and lists the violated budgets."
        })
public final class SolveCommand implements Callable<Integer> {

    @Option(names = "--problem", required = true, paramLabel = "FILE", description = "The problem document (JSON).")
    Path problem;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the result (default: standard output).")
    Path out;

    @Option(
            names = "--engine",
            paramLabel = "NAME",
            description = "Override the document's engine (exact-front, ilp, ...; default: the best exact engine).")
    String engine;

    @Override
    public Integer call() throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        JsonNode root;
        try {
            root = mapper.readTree(Files.newInputStream(problem));
        } catch (NoSuchFileException e) {
            throw new InputException("%s: no such file".formatted(problem));
        } catch (JacksonException e) {
            throw new InputException("%s: malformed JSON: %s".formatted(problem, e.getOriginalMessage()), e);
        }
        ProblemDocument document;
        try {
            document = ProblemDocument.read(root);
        } catch (InvalidProblemException e) {
            throw new InvalidProblemException(e.field(), "%s: %s".formatted(problem, e.getMessage()));
        }
        String chosen = engine != null ? engine : document.engine();
        ParetoFront front = new Solver().solve(document.problem(), chosen, document.options());
        if (out == null) {
            ResultDocument.write(mapper, document.problem(), front, new NonClosing(System.out));
            System.out.println();
        } else {
            try (OutputStream stream = Files.newOutputStream(out)) {
                ResultDocument.write(mapper, document.problem(), front, stream);
            }
        }
        System.err.printf(
                "%s: %d point(s), engine %s, %.3f s%n",
                front.status(),
                front.points().size(),
                front.stats().get("engine"),
                front.stats().get("seconds"));
        return 0;
    }

    /** Standard output stays open after the JSON is written. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
