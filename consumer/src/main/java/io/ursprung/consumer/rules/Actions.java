package io.ursprung.consumer.rules;

import io.ursprung.rules.Action;
import io.ursprung.rules.Rule;

/**
 * Runs one work item with the executor of its action kind, chosen through {@link Action.Visitor} so
 * that a new action kind is a compile error here until it has an executor.
 */
final class Actions implements AutoCloseable {
  private final DbLoadAction dbLoad;
  private final DbTransferAction dbTransfer;
  private final LogLoadAction logLoad;
  private final TrackAction track;
  private final CaptureAction capture;
  private final AlertAction alert;

  Actions(RuleSettings settings, Outputs outputs, WorkStore work) {
    this.dbLoad = new DbLoadAction(outputs);
    this.dbTransfer = new DbTransferAction(outputs);
    this.logLoad = new LogLoadAction(outputs);
    this.track = new TrackAction(outputs, settings.trackRepository());
    this.capture = new CaptureAction(outputs, settings);
    this.alert = new AlertAction(outputs, work);
  }

  /** Runs {@code action} of {@code rule} for {@code item}; finishing the item is part of it. */
  void run(Rule rule, Action action, WorkItem item) throws Exception {
    Exception failure =
        action.accept(
            new Action.Visitor<Exception>() {
              @Override
              public Exception dbLoad(Action.DbLoad a) {
                return attempt(() -> dbLoad.run(rule, a, item));
              }

              @Override
              public Exception dbTransfer(Action.DbTransfer a) {
                return attempt(() -> dbTransfer.run(rule, a, item));
              }

              @Override
              public Exception logLoad(Action.LogLoad a) {
                return attempt(() -> logLoad.run(rule, a, item));
              }

              @Override
              public Exception track(Action.Track a) {
                return attempt(() -> track.run(rule, a, item));
              }

              @Override
              public Exception captureStdout(Action.CaptureStdout a) {
                return attempt(() -> capture.run(rule, a, item));
              }

              @Override
              public Exception alert(Action.Alert a) {
                return attempt(() -> alert.run(rule, a, item));
              }
            });
    if (failure != null) {
      throw failure;
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  private static Exception attempt(Step step) {
    try {
      step.run();
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  @Override
  public void close() {
    capture.close();
    track.close();
  }
}
