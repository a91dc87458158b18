package io.ursprung.backend.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.FieldError;
import io.ursprung.backend.http.LoginLimiter;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.auth.AuthService;
import io.ursprung.db.auth.PasswordHasher;
import io.ursprung.db.auth.Session;
import io.ursprung.db.auth.Viewer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Login, logout and "who am I": {@code /api/v1/login}, {@code /logout}, {@code /me}. */
public final class SessionResource {

  /** The login body. */
  record Login(String name, String password) {}

  private final AuthService auth;
  private final LoginLimiter limiter;
  private final ObjectMapper mapper;

  public SessionResource(AuthService auth, LoginLimiter limiter, ObjectMapper mapper) {
    this.auth = auth;
    this.limiter = limiter;
    this.mapper = mapper;
  }

  public void register(Routes routes) {
    routes.post(Backend.API + "/login", Access.PUBLIC, this::login);
    routes.post(Backend.API + "/logout", Access.VIEWER, this::logout);
    routes.get(Backend.API + "/me", Access.VIEWER, this::me);
  }

  private void login(Context ctx) {
    Login body = Bodies.read(ctx, mapper, Login.class);
    List<FieldError> errors = new ArrayList<>();
    if (body.name() == null || body.name().isBlank() || body.name().length() > 64) {
      errors.add(new FieldError("name", "is required (at most 64 characters)"));
    } else if (body.name().indexOf('\0') >= 0) {
      // PostgreSQL refuses NUL in text, which would make a bad name look like an outage (503).
      errors.add(new FieldError("name", "must not contain NUL characters"));
    }
    if (body.password() == null || body.password().isEmpty() || body.password().length() > 1024) {
      errors.add(new FieldError("password", "is required (at most 1024 characters)"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    Duration wait = limiter.attempt(ctx.ip(), body.name());
    if (!wait.isZero()) {
      ctx.header("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
      throw new ApiException(429, "too many login attempts; try again later");
    }
    char[] password = body.password().toCharArray();
    Optional<Session> session;
    try {
      session = auth.login(body.name(), password);
    } finally {
      PasswordHasher.wipe(password);
    }
    if (session.isEmpty()) {
      limiter.failed(body.name());
      throw new ApiException(401, "unknown user name or wrong password");
    }
    limiter.succeeded(body.name());
    ctx.json(
        Map.of(
            "token", session.get().token(),
            "expiresAt", session.get().expiresAt(),
            "user", session.get().user()));
  }

  private void logout(Context ctx) {
    String header = ctx.header("Authorization");
    auth.logout(header.substring(7).trim());
    ctx.status(204);
  }

  private void me(Context ctx) {
    Viewer v = Backend.viewer(ctx);
    ctx.json(
        Map.of(
            "name", v.name(),
            "role", v.role().wireName(),
            "uids", v.uids().stream().sorted().toList(),
            "gids", v.gids().stream().sorted().toList()));
  }
}
