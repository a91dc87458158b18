package io.ursprung.plugin.model;

import io.ursprung.events.ProcessRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A pipe or socketpair, and the processes known to use each end. A process counts as a user of an
 * end when it holds it at exec (after the shell's dup2/close dance, so the shell that merely passed
 * the pipe on does not count) or, if it never exec'd, at exit (subshells running builtins).
 */
final class Channel {
  final String kind;
  final String id;
  private final List<ProcessRef> end0 = new ArrayList<>(2);
  private final List<ProcessRef> end1 = new ArrayList<>(2);
  private final Set<List<ProcessRef>> reported = new HashSet<>();

  Channel(String kind, String id) {
    this.kind = kind;
    this.id = id;
  }

  boolean isPipe() {
    return "pipe".equals(kind);
  }

  /**
   * Registers a user of an end and returns the new (writer, reader) pairs that this makes known,
   * each pair reported once per channel.
   */
  List<ProcessRef[]> register(int end, ProcessRef who) {
    List<ProcessRef> mine = end == 0 ? end0 : end1;
    if (mine.contains(who)) {
      return List.of();
    }
    mine.add(who);
    List<ProcessRef> others = end == 0 ? end1 : end0;
    List<ProcessRef[]> out = new ArrayList<>(1);
    for (ProcessRef other : others) {
      if (other.equals(who)) {
        continue;
      }
      if (isPipe()) {
        ProcessRef writer = end == 1 ? who : other;
        ProcessRef reader = end == 1 ? other : who;
        add(out, writer, reader);
      } else {
        add(out, who, other);
        add(out, other, who);
      }
    }
    return out;
  }

  private void add(List<ProcessRef[]> out, ProcessRef writer, ProcessRef reader) {
    if (reported.add(List.of(writer, reader))) {
      out.add(new ProcessRef[] {writer, reader});
    }
  }
}
