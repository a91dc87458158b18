package io.ursprung.backend.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.FieldError;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.auth.AuthService;
import io.ursprung.db.auth.NewUser;
import io.ursprung.db.auth.PasswordHasher;
import io.ursprung.db.auth.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Users and their grants, admins only: {@code /api/v1/users}. */
public final class UserResource {

  /** The body of a PUT. */
  record UserBody(String password, String role, List<Integer> uids, List<Integer> gids) {}

  private final AuthService auth;
  private final ObjectMapper mapper;

  public UserResource(AuthService auth, ObjectMapper mapper) {
    this.auth = auth;
    this.mapper = mapper;
  }

  public void register(Routes routes) {
    routes.get(
        Backend.API + "/users", Access.ADMIN, ctx -> ctx.json(Map.of("items", auth.users())));
    routes.get(Backend.API + "/users/{name}", Access.ADMIN, this::get);
    routes.put(Backend.API + "/users/{name}", Access.ADMIN, this::put);
    routes.delete(Backend.API + "/users/{name}", Access.ADMIN, this::delete);
  }

  private static String name(Context ctx) {
    String name = ctx.pathParam("name");
    if (!NewUser.NAME.matcher(name).matches()) {
      throw ApiException.badRequest(
          List.of(new FieldError("name", "must match " + NewUser.NAME.pattern())));
    }
    return name;
  }

  private void get(Context ctx) {
    String name = name(ctx);
    ctx.json(auth.user(name).orElseThrow(() -> ApiException.notFound("user " + name)));
  }

  private void put(Context ctx) {
    String name = name(ctx);
    UserBody body = Bodies.read(ctx, mapper, UserBody.class);
    List<FieldError> errors = new ArrayList<>();
    if (body.password() == null
        || body.password().length() < NewUser.MIN_PASSWORD
        || body.password().length() > 1024) {
      errors.add(new FieldError("password", "needs 12 to 1024 characters"));
    }
    Role role = null;
    try {
      role = Role.parse(body.role() == null ? "" : body.role());
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("role", e.getMessage()));
    }
    List<Integer> uids = body.uids() == null ? List.of() : body.uids();
    List<Integer> gids = body.gids() == null ? List.of() : body.gids();
    if (uids.size() > 1000 || uids.stream().anyMatch(u -> u == null || u < 0)) {
      errors.add(new FieldError("uids", "must be at most 1000 non-negative integers"));
    }
    if (gids.size() > 1000 || gids.stream().anyMatch(g -> g == null || g < 0)) {
      errors.add(new FieldError("gids", "must be at most 1000 non-negative integers"));
    }
    if (name.equals("admin")) {
      errors.add(new FieldError("name", "the built-in admin cannot be changed"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    char[] password = body.password().toCharArray();
    boolean created;
    try {
      created = auth.putUser(new NewUser(name, password, role, uids, gids));
    } finally {
      PasswordHasher.wipe(password);
    }
    ctx.status(created ? 201 : 200).json(auth.user(name).orElseThrow());
  }

  private void delete(Context ctx) {
    String name = name(ctx);
    if (name.equals("admin")) {
      throw new ApiException(403, "the built-in admin cannot be deleted");
    }
    if (!auth.deleteUser(name)) {
      throw ApiException.notFound("user " + name);
    }
    ctx.status(204);
  }
}
