package io.ursprung.backend.http;

import java.util.List;

/**
 * The body of every error response: {@code {"status":400,"message":"...","errors":[{"field":
 * "depth","message":"..."}]}}. {@code errors} is empty unless parameters were wrong.
 *
 * @param status the HTTP status, repeated for clients that only see the body
 * @param message a sentence for people
 * @param errors one entry per bad parameter
 */
public record ApiError(int status, String message, List<FieldError> errors) {
  public ApiError {
    errors = List.copyOf(errors);
  }
}
