package io.ursprung.backend.http;

/**
 * One bad request parameter or body field.
 *
 * @param field its name
 * @param message what is wrong and what is expected
 */
public record FieldError(String field, String message) {}
