package dev.mpq.service.api;

/** One invalid field of a request: where ({@code layers[2].kind}) and what is wrong with it. */
public record FieldError(String field, String message) {}
