package io.ursprung.backend.http;

import java.util.List;

/** Ends a request with an {@link ApiError}. */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient List<FieldError> errors;

  public ApiException(int status, String message, List<FieldError> errors) {
    super(message);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public ApiException(int status, String message) {
    this(status, message, List.of());
  }

  /** 400 with every bad parameter. */
  public static ApiException badRequest(List<FieldError> errors) {
    return new ApiException(
        400,
        errors.size() == 1 ? "1 parameter is invalid" : errors.size() + " parameters are invalid",
        errors);
  }

  /** 404 for something unknown or not visible to the caller (the two are not told apart). */
  public static ApiException notFound(String what) {
    return new ApiException(404, what + " not found");
  }

  public int status() {
    return status;
  }

  public ApiError body() {
    return new ApiError(status, getMessage(), errors);
  }
}
