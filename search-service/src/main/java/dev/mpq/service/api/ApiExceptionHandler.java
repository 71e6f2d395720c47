package dev.mpq.service.api;

import dev.mpq.solver.InvalidProblemException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Every error of the API as RFC 9457 problem details ({@code application/problem+json}) with
 * {@code status}, {@code title}, {@code detail} and, for invalid input, {@code errors: [{field,
 * message}]}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return withErrors(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), e.errors());
    }

    @ExceptionHandler(InvalidProblemException.class)
    ProblemDetail invalidProblem(InvalidProblemException e) {
        return withErrors(
                HttpStatus.BAD_REQUEST,
                "Invalid search problem",
                e.getMessage(),
                List.of(new FieldError(e.field(), e.getMessage())));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Not found");
        return problem;
    }

    @ExceptionHandler(UnauthorizedException.class)
    ProblemDetail unauthorized(UnauthorizedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, e.getMessage());
        problem.setTitle("Unauthorized");
        return problem;
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return withErrors(
                HttpStatus.CONFLICT, "Conflict", e.getMessage(), List.of(new FieldError(e.field(), e.getMessage())));
    }

    /** Anything unexpected: a 500 problem that says where to look, never a stack trace. */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Request failed", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "The service failed on this request (%s); nothing was stored. The service log has the details."
                        .formatted(e.getClass().getSimpleName()));
        problem.setTitle("Internal error");
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getMostSpecificCause();
        String field = "";
        String detail;
        if (cause instanceof DatabindException databind) {
            field = path(databind);
            detail = "The request body does not match the expected shape at '%s': %s"
                    .formatted(field, databind.getOriginalMessage());
        } else if (cause instanceof JacksonException json) {
            detail = "Malformed JSON: " + json.getOriginalMessage()
                    + (json.getLocation() != null
                            ? " (line %d, column %d)"
                                    .formatted(
                                            json.getLocation().getLineNr(),
                                            json.getLocation().getColumnNr())
                            : "");
        } else {
            detail =
                    "The request body is missing or unreadable; send a JSON document with Content-Type application/json.";
        }
        ProblemDetail problem = withErrors(
                HttpStatus.BAD_REQUEST, "Malformed request body", detail, List.of(new FieldError(field, detail)));
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    private static String path(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
        }
        return path.toString();
    }

    private static ProblemDetail withErrors(HttpStatus status, String title, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty("errors", errors);
        return problem;
    }
}
