package io.ursprung.consumer.rules;

import io.ursprung.consumer.ScaleRecord;
import io.ursprung.events.WireTime;
import io.ursprung.rules.fields.EventFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Spectrum Scale watch event as the rule language sees it: a {@code file.access} event, so rules
 * written for auditd file events work on Scale file systems too.
 *
 * <table>
 *   <caption>mmwatch to rule fields</caption>
 *   <tr><th>mmwatch</th><th>fields</th></tr>
 *   <tr><td>IN_CLOSE_WRITE</td><td>op = close, write = true</td></tr>
 *   <tr><td>IN_CLOSE_NOWRITE</td><td>op = close, write = false, read = true</td></tr>
 *   <tr><td>IN_CREATE</td><td>op = open, create = true (directories: op = mkdir)</td></tr>
 *   <tr><td>IN_OPEN</td><td>op = open</td></tr>
 *   <tr><td>IN_ACCESS</td><td>op = access, read = true</td></tr>
 *   <tr><td>IN_DELETE, IN_DELETE_SELF</td><td>op = unlink (directories: rmdir)</td></tr>
 *   <tr><td>IN_MOVED_FROM</td><td>op = rename, path = the old name</td></tr>
 *   <tr><td>IN_MOVED_TO</td><td>op = rename, targetPath = the new name, targetInode</td></tr>
 * </table>
 *
 * <p>{@code host} is the node ({@code nodeName}), {@code device} the file system ({@code fsName}),
 * {@code pid} the {@code processId}, {@code producer} {@code mmwatch}, {@code objectType} {@code
 * dir} or {@code file}. The cluster is the graph host of the event's rows.
 */
final class ScaleEventFields {
  private ScaleEventFields() {}

  /** The op of an event set, by the order of the table above. */
  static String op(ScaleRecord r) {
    boolean dir = r.is("IN_ISDIR");
    if (r.is("IN_MOVED_FROM") || r.is("IN_MOVED_TO")) {
      return "rename";
    } else if (r.is("IN_CLOSE_WRITE") || r.is("IN_CLOSE_NOWRITE")) {
      return "close";
    } else if (r.is("IN_CREATE")) {
      return dir ? "mkdir" : "open";
    } else if (r.is("IN_DELETE") || r.is("IN_DELETE_SELF")) {
      return dir ? "rmdir" : "unlink";
    } else if (r.is("IN_OPEN")) {
      return "open";
    } else if (r.is("IN_ACCESS")) {
      return "access";
    }
    return null;
  }

  /** Every field of {@code r}. */
  static Map<String, Object> map(ScaleRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "file.access");
    m.put("id", r.id());
    m.put("host", r.node());
    m.put("time", WireTime.format(r.time()));
    m.put("producer", "mmwatch");
    if (r.pid() != null) {
      m.put("pid", (long) r.pid());
    }
    String op = op(r);
    if (op != null) {
      m.put("op", op);
    }
    if (r.is("IN_MOVED_TO")) {
      m.put("targetPath", r.path());
      m.put("targetInode", r.inode());
    } else {
      m.put("path", r.path());
      m.put("inode", r.inode());
    }
    m.put("device", r.fs());
    if (r.is("IN_CLOSE_WRITE") || r.is("IN_CLOSE_NOWRITE")) {
      m.put("write", r.is("IN_CLOSE_WRITE"));
    }
    if (r.is("IN_CLOSE_NOWRITE") || r.is("IN_ACCESS")) {
      m.put("read", true);
    }
    if (r.is("IN_CREATE")) {
      m.put("create", true);
    }
    m.put("objectType", r.is("IN_ISDIR") ? "dir" : "file");
    m.values().removeIf(v -> v == null);
    return m;
  }

  /** The fields of {@code r} as {@link EventFields}. */
  static EventFields of(ScaleRecord r) {
    return EventFields.of(map(r));
  }
}
