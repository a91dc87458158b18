package io.ursprung.backend.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes on Javalin and remembers them, so a test can compare them with the OpenAPI
 * document without reaching into Javalin's internals.
 */
public final class Routes {
  private final Javalin app;
  private final List<Route> routes = new ArrayList<>();

  public Routes(Javalin app) {
    this.app = app;
  }

  public void get(String path, Access access, Handler handler) {
    add(HandlerType.GET, path, access, handler);
  }

  public void post(String path, Access access, Handler handler) {
    add(HandlerType.POST, path, access, handler);
  }

  public void put(String path, Access access, Handler handler) {
    add(HandlerType.PUT, path, access, handler);
  }

  public void delete(String path, Access access, Handler handler) {
    add(HandlerType.DELETE, path, access, handler);
  }

  private void add(HandlerType type, String path, Access access, Handler handler) {
    app.addHttpHandler(type, path, handler, access);
    routes.add(new Route(type.name(), path, access));
  }

  /** Every registered route. */
  public List<Route> all() {
    return List.copyOf(routes);
  }
}
