package io.ursprung.rules;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rules of one file in force and swaps them on {@link #reload()} only when the new file
 * is entirely valid, so a bad edit never takes rules away from a running consumer. What triggers a
 * reload (SIGHUP, a file watch) is the caller's business.
 *
 * <p>{@link #current()} and {@link #matcher()} may be called from any thread while another reloads;
 * both always come from the same load.
 */
public final class RuleReloader {
  private static final Logger LOG = LoggerFactory.getLogger(RuleReloader.class);

  private record Loaded(RuleSet rules, RuleMatcher matcher) {}

  /**
   * The outcome of a reload.
   *
   * @param applied whether the new file replaced the rules in force
   * @param current the rules in force after the reload (the old ones when not applied)
   * @param errors why the new file was rejected; empty when applied
   * @param added ids of rules new in this load (empty when not applied)
   * @param removed ids of rules no longer present (empty when not applied); their actions should be
   *     stopped
   */
  public record ReloadResult(
      boolean applied,
      RuleSet current,
      List<RuleError> errors,
      Set<RuleId> added,
      Set<RuleId> removed) {
    public ReloadResult {
      errors = List.copyOf(errors);
      added = Set.copyOf(added);
      removed = Set.copyOf(removed);
    }
  }

  private final Path file;
  private final RuleFileLoader loader;
  private final AtomicReference<Loaded> loaded;

  private RuleReloader(Path file, RuleFileLoader loader, RuleSet initial) {
    this.file = file;
    this.loader = loader;
    this.loaded = new AtomicReference<>(new Loaded(initial, RuleMatcher.compile(initial)));
  }

  /**
   * Loads {@code file} for the first time. At start-up there are no old rules to keep, so a bad
   * file is an error the caller must surface (and refuse to start).
   */
  public static RuleReloader start(Path file, RuleFileLoader loader) throws RuleFileException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(loader, "loader");
    RuleSet initial = loader.load(file);
    LOG.info("Loaded {} rules from {}", initial.rules().size(), file);
    return new RuleReloader(file, loader, initial);
  }

  /** The rules in force. */
  public RuleSet current() {
    return loaded.get().rules();
  }

  /** The compiled conditions of {@link #current()}. */
  public RuleMatcher matcher() {
    return loaded.get().matcher();
  }

  /** Re-reads the file; applies it when valid, otherwise keeps the rules in force. */
  public synchronized ReloadResult reload() {
    Loaded old = loaded.get();
    RuleSet next;
    try {
      next = loader.load(file);
    } catch (RuleFileException e) {
      LOG.warn("Kept the {} rules in force: {}", old.rules().rules().size(), e.getMessage());
      return new ReloadResult(false, old.rules(), e.errors(), Set.of(), Set.of());
    }
    Set<RuleId> before = ids(old.rules());
    Set<RuleId> after = ids(next);
    Set<RuleId> added = new LinkedHashSet<>(after);
    added.removeAll(before);
    Set<RuleId> removed = new LinkedHashSet<>(before);
    removed.removeAll(after);
    loaded.set(new Loaded(next, RuleMatcher.compile(next)));
    LOG.info(
        "Reloaded {}: {} rules, {} added, {} removed",
        file,
        next.rules().size(),
        added.size(),
        removed.size());
    return new ReloadResult(true, next, List.of(), added, removed);
  }

  private static Set<RuleId> ids(RuleSet rules) {
    return rules.rules().stream()
        .map(Rule::id)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
