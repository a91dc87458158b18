package io.ursprung.backend.http;

import io.javalin.security.RouteRole;

/** Who may call a route. */
public enum Access implements RouteRole {
  /** Anyone, without a token (health, login). */
  PUBLIC,
  /** Any authenticated user; results are filtered by what the user may see. */
  VIEWER,
  /** Admins only. */
  ADMIN
}
