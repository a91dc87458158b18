package io.ursprung.db.jobs;

/** The job exists but belongs to someone else, and the viewer is not an admin (HTTP 403). */
public final class JobAccessDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobAccessDeniedException(String message) {
    super(message);
  }
}
