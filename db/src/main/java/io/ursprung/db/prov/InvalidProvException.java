package io.ursprung.db.prov;

/**
 * A PROV-JSON document that cannot be used. {@link #pointer} is the RFC 6901 JSON pointer of the
 * offending value ({@code ""} for the whole document), so a user can find it in a large file.
 */
public final class InvalidProvException extends Exception {
  private final String pointer;

  public InvalidProvException(String pointer, String problem) {
    super((pointer.isEmpty() ? "the document" : pointer) + ": " + problem);
    this.pointer = pointer;
  }

  /** The JSON pointer of the value in error. */
  public String pointer() {
    return pointer;
  }
}
