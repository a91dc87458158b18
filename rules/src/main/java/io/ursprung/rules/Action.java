package io.ursprung.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rule does when its condition holds. This package only describes actions; executors (which
 * touch databases, files, git and provd) implement {@link Visitor} in the engine, so adding one is
 * a compile error everywhere it must be handled rather than a silent no-op.
 */
public sealed interface Action {

  /** The keyword that starts the action in a rule file. */
  String keyword();

  /** Where the action's keyword is. */
  Position position();

  /** The target, for actions that have one (every action but a bare ALERT). */
  Optional<Target> optionalTarget();

  /** Double dispatch over the action kinds. */
  <R> R accept(Visitor<R> visitor);

  /** One method per action kind. */
  interface Visitor<R> {
    R dbLoad(DbLoad action);

    R dbTransfer(DbTransfer action);

    R logLoad(LogLoad action);

    R track(Track action);

    R captureStdout(CaptureStdout action);

    R alert(Alert action);
  }

  /**
   * {@code DBLOAD field INTO target}: load the CSV file whose path is the value of an event field.
   */
  record DbLoad(String field, Target target, Position position) implements Action {
    public DbLoad {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String keyword() {
      return "DBLOAD";
    }

    @Override
    public Optional<Target> optionalTarget() {
      return Optional.of(target);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dbLoad(this);
    }
  }

  /**
   * {@code DBTRANSFER query/stateAttribute FROM source INTO target}: copy the rows of {@code query}
   * from the database aliased {@code source} whose {@code stateAttribute} is beyond the last one
   * copied.
   */
  record DbTransfer(
      String query,
      String stateAttribute,
      String source,
      Position sourcePosition,
      Target target,
      Position position)
      implements Action {
    public DbTransfer {
      Objects.requireNonNull(query, "query");
      Objects.requireNonNull(stateAttribute, "stateAttribute");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(sourcePosition, "sourcePosition");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String keyword() {
      return "DBTRANSFER";
    }

    @Override
    public Optional<Target> optionalTarget() {
      return Optional.of(target);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dbTransfer(this);
    }
  }

  /**
   * {@code LOGLOAD field MATCH regex FIELDS spec DELIM d INTO target}: read the lines appended to
   * the file named by an event field since the last run; a line is selected when {@code match}
   * occurs anywhere in it (as in the original, which wrapped the expression in {@code
   * (.*)...(.*)}).
   */
  record LogLoad(
      String field,
      Regex match,
      List<FieldSpec> fields,
      String delimiter,
      Target target,
      Position position)
      implements Action {
    public LogLoad {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(match, "match");
      fields = List.copyOf(fields);
      Objects.requireNonNull(delimiter, "delimiter");
      Objects.requireNonNull(target, "target");
      if (delimiter.isEmpty()) {
        throw new IllegalArgumentException("empty delimiter");
      }
    }

    @Override
    public String keyword() {
      return "LOGLOAD";
    }

    @Override
    public Optional<Target> optionalTarget() {
      return Optional.of(target);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.logLoad(this);
    }
  }

  /**
   * {@code TRACK pathRegex [AT repository] INTO target}: version the content of files whose path
   * fully matches {@code pathRegex} when they are closed after writing. Without {@code AT} the
   * engine's configured repository is used.
   */
  record Track(Regex pathRegex, Optional<String> repository, Target target, Position position)
      implements Action {
    public Track {
      Objects.requireNonNull(pathRegex, "pathRegex");
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String keyword() {
      return "TRACK";
    }

    @Override
    public Optional<Target> optionalTarget() {
      return Optional.of(target);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.track(this);
    }
  }

  /**
   * {@code CAPTURESOUT MATCH regex FIELDS spec DELIM d INTO target}: capture the standard output
   * lines of the triggering process that fully match {@code match} (as in the original), through
   * provd on the process's host.
   */
  record CaptureStdout(
      Regex match, List<FieldSpec> fields, String delimiter, Target target, Position position)
      implements Action {
    public CaptureStdout {
      Objects.requireNonNull(match, "match");
      fields = List.copyOf(fields);
      Objects.requireNonNull(delimiter, "delimiter");
      Objects.requireNonNull(target, "target");
      if (delimiter.isEmpty()) {
        throw new IllegalArgumentException("empty delimiter");
      }
    }

    @Override
    public String keyword() {
      return "CAPTURESOUT";
    }

    @Override
    public Optional<Target> optionalTarget() {
      return Optional.of(target);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.captureStdout(this);
    }
  }

  /**
   * {@code ALERT "message" [INTO target]}: record an alert about the triggering event; without a
   * target it goes to the engine's alert store.
   */
  record Alert(String message, Optional<Target> target, Position position) implements Action {
    public Alert {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String keyword() {
      return "ALERT";
    }

    @Override
    public Optional<Target> optionalTarget() {
      return target;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.alert(this);
    }
  }
}
