package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.jobs.JobAccessDeniedException;
import io.ursprung.db.jobs.JobFilter;
import io.ursprung.db.jobs.JobQueries;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Job audit and accounting (docs/jobs.md): {@code GET /api/v1/jobs} lists jobs, {@code GET
 * /api/v1/jobs/usage} sums jobs and resources by a group, {@code GET /api/v1/jobs/{id}} gives one
 * job with its records, {@code GET /api/v1/jobs/{id}/attributes} the same as name-value attributes
 * named by URI. A job is shown only to its owner and to admins: others get 403.
 */
public final class JobResource {
  private final JobQueries jobs;

  public JobResource(JobQueries jobs) {
    this.jobs = jobs;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/jobs", Access.VIEWER, this::list);
    // Before /jobs/{id}, so that "usage" is not taken for a job id.
    routes.get(Backend.API + "/jobs/usage", Access.VIEWER, this::usage);
    routes.get(Backend.API + "/jobs/{id}", Access.VIEWER, this::job);
    routes.get(Backend.API + "/jobs/{id}/attributes", Access.VIEWER, this::attributes);
  }

  private static JobFilter filter(Params p) {
    Instant from = p.time("from", false);
    Instant to = p.time("to", false);
    if (from != null && to != null && !from.isBefore(to)) {
      p.error("to", "must be after from");
    }
    String state = p.text("state", false, 64);
    if (state != null && !state.matches("[A-Za-z_]+")) {
      p.error("state", "must be a state name such as SUCCESSFUL_COMPLETION or RUNNING");
    }
    return new JobFilter(
        p.text("user", false, 256),
        from,
        to,
        state == null ? null : state.toUpperCase(java.util.Locale.ROOT),
        p.text("resourceManager", false, 64),
        p.host("host", false),
        p.text("clientSubmissionId", false, 1024),
        p.text("gatewayUser", false, 256));
  }

  private void list(Context ctx) {
    Params p = new Params(ctx);
    JobFilter f = filter(p);
    Paging page = Paging.read(p, 50);
    p.check();
    ctx.json(denied(() -> jobs.jobs(Backend.viewer(ctx), f, page.offset(), page.limit())));
  }

  private void usage(Context ctx) {
    Params p = new Params(ctx);
    JobFilter f = filter(p);
    String groupBy = p.text("groupBy", false, 32);
    if (groupBy == null) {
      groupBy = "user";
    } else if (!JobQueries.GROUPS.contains(groupBy)) {
      p.error("groupBy", "must be one of " + String.join(", ", JobQueries.GROUPS));
    }
    p.check();
    String g = groupBy;
    ctx.json(denied(() -> jobs.usage(Backend.viewer(ctx), f, g)));
  }

  private void job(Context ctx) {
    String id = jobId(ctx);
    ctx.json(
        denied(() -> jobs.job(Backend.viewer(ctx), id))
            .orElseThrow(() -> ApiException.notFound("job")));
  }

  private void attributes(Context ctx) {
    String id = jobId(ctx);
    ctx.json(
        denied(() -> jobs.attributes(Backend.viewer(ctx), id))
            .orElseThrow(() -> ApiException.notFound("job")));
  }

  private static String jobId(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.isEmpty() || id.length() > 4096 || id.indexOf('\0') >= 0) {
      throw ApiException.badRequest(
          java.util.List.of(
              new io.ursprung.backend.http.FieldError("id", "must be a job id (1-4096 chars)")));
    }
    return id;
  }

  /** Someone else's job or jobs: 403, with the reason. */
  private static <T> T denied(Supplier<T> call) {
    try {
      return call.get();
    } catch (JobAccessDeniedException e) {
      throw new ApiException(403, e.getMessage());
    }
  }
}
