package io.ursprung.backend.resources;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.FieldError;
import java.util.List;

/** Reads JSON request bodies, answering malformed ones with a 400 that names the field. */
final class Bodies {
  private Bodies() {}

  static <T> T read(Context ctx, ObjectMapper mapper, Class<T> type) {
    String body = ctx.body();
    if (body.isBlank()) {
      throw ApiException.badRequest(List.of(new FieldError("body", "a JSON object is required")));
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw ApiException.badRequest(List.of(new FieldError("body", "must be a JSON object")));
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badRequest(
          List.of(new FieldError(e.getPropertyName(), "is not a known field")));
    } catch (MismatchedInputException e) {
      String field =
          e.getPath().isEmpty() || e.getPath().get(0).getFieldName() == null
              ? "body"
              : e.getPath().get(0).getFieldName();
      throw ApiException.badRequest(List.of(new FieldError(field, "has the wrong type")));
    } catch (JacksonException e) {
      throw ApiException.badRequest(List.of(new FieldError("body", "is not valid JSON")));
    }
  }
}
