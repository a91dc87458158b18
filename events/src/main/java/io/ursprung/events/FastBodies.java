package io.ursprung.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written readers for the commonest event bodies (file accesses, the process life cycle, IPC),
 * used by {@link EventCodec#fromBytes} instead of Jackson databind, which spent most of the
 * consumer's decoding time buffering creator properties and parsing times with {@code java.time}'s
 * general formatter.
 *
 * <p>A reader here never decides whether a body is valid. It takes only the canonical form: every
 * field at most once, each value of exactly the JSON type the producers write (strings, integers
 * that fit, true/false; no nulls, no coercions such as {@code "12"} for a number), times in the
 * {@code 2026-11-23T16:19:19.123Z} form, unknown fields skipped as databind skips them. For such a
 * body the result is by construction the record databind makes. For anything else it returns null
 * and the caller decodes the whole event again with databind, which accepts, rejects, and words its
 * reason exactly as before. {@code FastBodiesAgreementTest} checks the two against each other.
 */
final class FastBodies {
  private FastBodies() {}

  private static final FileAccess.Op[] OPS = FileAccess.Op.values();

  /** Whether {@link #read} has a reader for bodies of this type. */
  static boolean reads(EventType type) {
    return switch (type) {
      case FILE_ACCESS, PROCESS_START, PROCESS_EXEC, PROCESS_EXIT, IPC -> true;
      default -> false;
    };
  }

  /**
   * A body of a type {@link #reads} takes, the parser on its START_OBJECT; null when the body is
   * not in the canonical form (the parser is then left anywhere: the caller starts again).
   */
  static EventData read(EventType type, JsonParser p) {
    try {
      return switch (type) {
        case FILE_ACCESS -> fileAccess(p);
        case PROCESS_START -> processStarted(p);
        case PROCESS_EXEC -> processExec(p);
        case PROCESS_EXIT -> processExited(p);
        case IPC -> ipc(p);
        default -> null;
      };
    } catch (NotCanonical | IOException | RuntimeException e) {
      // Not JSON, a value of another type, out of range, a field twice, a required field missing
      // (the record throws): databind says what.
      return null;
    }
  }

  private static FileAccess fileAccess(JsonParser p) throws IOException, NotCanonical {
    ProcessRef process = null;
    FileAccess.Op op = null;
    String path = null;
    Long inode = null;
    String device = null;
    Integer fd = null;
    String flags = null;
    Boolean read = null;
    Boolean write = null;
    Boolean create = null;
    Boolean truncate = null;
    String targetPath = null;
    Long targetInode = null;
    String objectType = null;
    // Unknown fields are skipped, as databind skips them (a newer minor revision may add some).
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "process" -> process = once(process, processRef(p));
        case "op" -> op = once(op, op(string(p)));
        case "path" -> path = once(path, string(p));
        case "inode" -> inode = once(inode, longValue(p));
        case "device" -> device = once(device, string(p));
        case "fd" -> fd = once(fd, intValue(p));
        case "flags" -> flags = once(flags, string(p));
        case "read" -> read = once(read, bool(p));
        case "write" -> write = once(write, bool(p));
        case "create" -> create = once(create, bool(p));
        case "truncate" -> truncate = once(truncate, bool(p));
        case "targetPath" -> targetPath = once(targetPath, string(p));
        case "targetInode" -> targetInode = once(targetInode, longValue(p));
        case "objectType" -> objectType = once(objectType, string(p));
        default -> p.skipChildren();
      }
    }
    // Required (process, op, path) are checked by the record; a missing one throws.
    return new FileAccess(
        process,
        op,
        path,
        inode,
        device,
        fd,
        flags,
        read,
        write,
        create,
        truncate,
        targetPath,
        targetInode,
        objectType);
  }

  private static ProcessStarted processStarted(JsonParser p) throws IOException, NotCanonical {
    ProcessRef process = null;
    ProcessRef parent = null;
    Integer ppid = null;
    Integer pgid = null;
    Integer sid = null;
    Credentials credentials = null;
    String cwd = null;
    String exe = null;
    List<String> argv = null;
    String how = null;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "process" -> process = once(process, processRef(p));
        case "parent" -> parent = once(parent, processRef(p));
        case "ppid" -> ppid = once(ppid, intValue(p));
        case "pgid" -> pgid = once(pgid, intValue(p));
        case "sid" -> sid = once(sid, intValue(p));
        case "credentials" -> credentials = once(credentials, credentials(p));
        case "cwd" -> cwd = once(cwd, string(p));
        case "exe" -> exe = once(exe, string(p));
        case "argv" -> argv = once(argv, strings(p));
        case "how" -> how = once(how, string(p));
        default -> p.skipChildren();
      }
    }
    // process and how are required; the record throws without them.
    return new ProcessStarted(process, parent, ppid, pgid, sid, credentials, cwd, exe, argv, how);
  }

  private static ProcessExec processExec(JsonParser p) throws IOException, NotCanonical {
    ProcessRef process = null;
    String exe = null;
    Long exeInode = null;
    String exeDevice = null;
    List<String> argv = null;
    String cwd = null;
    Credentials credentials = null;
    String syscall = null;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "process" -> process = once(process, processRef(p));
        case "exe" -> exe = once(exe, string(p));
        case "exeInode" -> exeInode = once(exeInode, longValue(p));
        case "exeDevice" -> exeDevice = once(exeDevice, string(p));
        case "argv" -> argv = once(argv, strings(p));
        case "cwd" -> cwd = once(cwd, string(p));
        case "credentials" -> credentials = once(credentials, credentials(p));
        case "syscall" -> syscall = once(syscall, string(p));
        default -> p.skipChildren();
      }
    }
    return new ProcessExec(process, exe, exeInode, exeDevice, argv, cwd, credentials, syscall);
  }

  private static ProcessExited processExited(JsonParser p) throws IOException, NotCanonical {
    ProcessRef process = null;
    Integer exitCode = null;
    Integer signal = null;
    String how = null;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "process" -> process = once(process, processRef(p));
        case "exitCode" -> exitCode = once(exitCode, intValue(p));
        case "signal" -> signal = once(signal, intValue(p));
        case "how" -> how = once(how, string(p));
        default -> p.skipChildren();
      }
    }
    return new ProcessExited(process, exitCode, signal, how);
  }

  private static Ipc ipc(JsonParser p) throws IOException, NotCanonical {
    String kind = null;
    String channel = null;
    ProcessRef writer = null;
    ProcessRef reader = null;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "kind" -> kind = once(kind, string(p));
        case "channel" -> channel = once(channel, string(p));
        case "writer" -> writer = once(writer, processRef(p));
        case "reader" -> reader = once(reader, processRef(p));
        default -> p.skipChildren();
      }
    }
    return new Ipc(kind, channel, writer, reader);
  }

  /** {@code {"pid": int, "start": time}}, both required. */
  private static ProcessRef processRef(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw NotCanonical.INSTANCE;
    }
    Integer pid = null;
    Instant start = null;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "pid" -> pid = once(pid, intValue(p));
        case "start" -> start = once(start, storableStart(string(p)));
        default -> p.skipChildren();
      }
    }
    if (pid == null || start == null) {
      throw NotCanonical.INSTANCE;
    }
    return new ProcessRef(pid, start); // a pid below 1 throws: databind reports it
  }

  /** {@link Credentials}: ids as ints, names as strings. */
  private static Credentials credentials(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw NotCanonical.INSTANCE;
    }
    Integer uid = null;
    Integer gid = null;
    Integer euid = null;
    Integer egid = null;
    Integer auid = null;
    String user = null;
    String group = null;
    String loginUser = null;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "uid" -> uid = once(uid, intValue(p));
        case "gid" -> gid = once(gid, intValue(p));
        case "euid" -> euid = once(euid, intValue(p));
        case "egid" -> egid = once(egid, intValue(p));
        case "auid" -> auid = once(auid, intValue(p));
        case "user" -> user = once(user, string(p));
        case "group" -> group = once(group, string(p));
        case "loginUser" -> loginUser = once(loginUser, string(p));
        default -> p.skipChildren();
      }
    }
    return new Credentials(uid, gid, euid, egid, auid, user, group, loginUser);
  }

  /** An array of strings (no nulls, no other values). */
  private static List<String> strings(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw NotCanonical.INSTANCE;
    }
    List<String> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(string(p));
    }
    return out;
  }

  /**
   * The next field's name, the parser moved on to its value; null at the end of the object.
   * Anything but a field there (the input cut short, say) is not canonical.
   */
  private static String nextField(JsonParser p) throws IOException, NotCanonical {
    JsonToken t = p.nextToken();
    if (t == JsonToken.END_OBJECT) {
      return null;
    }
    if (t != JsonToken.FIELD_NAME) {
      throw NotCanonical.INSTANCE;
    }
    String name = p.currentName();
    p.nextToken();
    return name;
  }

  /**
   * {@code value}, the field's first: a field given twice is not canonical (which one databind
   * keeps is its business). Every value taken here is non-null, so null means not seen yet.
   */
  private static <T> T once(T before, T value) throws NotCanonical {
    if (before != null) {
      throw NotCanonical.INSTANCE;
    }
    return value;
  }

  /** A process's start in the producers' form, one the store can hold. */
  private static Instant storableStart(String s) throws NotCanonical {
    Instant t = EventCodec.parseCanonicalInstant(s);
    if (t == null || ProvEvent.timeProblem("start", t) != null) {
      throw NotCanonical.INSTANCE; // out of the store's range: databind refuses it and says why
    }
    return t;
  }

  private static FileAccess.Op op(String wire) throws NotCanonical {
    for (FileAccess.Op o : OPS) {
      if (o.wireName().equals(wire)) {
        return o;
      }
    }
    throw NotCanonical.INSTANCE;
  }

  private static String string(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw NotCanonical.INSTANCE;
    }
    return p.getText();
  }

  private static Long longValue(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw NotCanonical.INSTANCE;
    }
    JsonParser.NumberType nt = p.getNumberType();
    if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
      throw NotCanonical.INSTANCE;
    }
    return p.getLongValue();
  }

  private static Integer intValue(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() != JsonParser.NumberType.INT) {
      throw NotCanonical.INSTANCE;
    }
    return p.getIntValue();
  }

  private static Boolean bool(JsonParser p) throws NotCanonical {
    JsonToken v = p.currentToken();
    if (v == JsonToken.VALUE_TRUE) {
      return Boolean.TRUE;
    }
    if (v == JsonToken.VALUE_FALSE) {
      return Boolean.FALSE;
    }
    throw NotCanonical.INSTANCE;
  }

  /** A value this reader does not take; thrown without a stack trace, caught in this class. */
  private static final class NotCanonical extends Exception {
    static final NotCanonical INSTANCE = new NotCanonical();

    private NotCanonical() {
      super(null, null, false, false);
    }
  }
}
