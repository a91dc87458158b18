package io.ursprung.rules.fields;

import io.ursprung.events.Credentials;
import io.ursprung.events.EventData;
import io.ursprung.events.FileAccess;
import io.ursprung.events.HostStatus;
import io.ursprung.events.Ipc;
import io.ursprung.events.JobLifecycle;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessGroupChanged;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.RawSyscall;
import io.ursprung.events.SocketActivity;
import io.ursprung.events.WireTime;
import java.util.List;

/**
 * {@link EventFields} over a {@link ProvEvent}, answering each lookup from the records directly
 * rather than building a map per event: most events are tested against a handful of fields.
 */
final class ProvEventFields implements EventFields {
  private final ProvEvent event;

  ProvEventFields(ProvEvent event) {
    this.event = event;
  }

  @Override
  public Object get(String name) {
    switch (name) {
      case "type":
        return event.type().wireName();
      case "id":
        return event.id();
      case "host":
        return event.host();
      case "time":
        return WireTime.format(event.time());
      case "producer":
        return event.producer().name();
      default:
        return ofData(event.data(), name);
    }
  }

  @Override
  public String toString() {
    return "EventFields[" + event.id() + "]";
  }

  private static Object ofData(EventData data, String name) {
    if (data instanceof FileAccess f) {
      return fileAccess(f, name);
    } else if (data instanceof ProcessExec x) {
      return exec(x, name);
    } else if (data instanceof ProcessStarted s) {
      return started(s, name);
    } else if (data instanceof ProcessExited x) {
      return exited(x, name);
    } else if (data instanceof ProcessGroupChanged g) {
      return group(g, name);
    } else if (data instanceof SocketActivity s) {
      return socket(s, name);
    } else if (data instanceof Ipc i) {
      return ipc(i, name);
    } else if (data instanceof JobLifecycle j) {
      return job(j, name);
    } else if (data instanceof RawSyscall s) {
      return syscall(s, name);
    } else if (data instanceof HostStatus h) {
      return hostStatus(h, name);
    }
    return null;
  }

  private static Object fileAccess(FileAccess f, String name) {
    switch (name) {
      case "op":
        return f.op().wireName();
      case "path":
        return f.path();
      case "inode":
        return f.inode();
      case "device":
        return f.device();
      case "fd":
        return integer(f.fd());
      case "flags":
        return f.flags();
      case "read":
        return f.read();
      case "write":
        return f.write();
      case "create":
        return f.create();
      case "truncate":
        return f.truncate();
      case "targetPath":
        return f.targetPath();
      case "targetInode":
        return f.targetInode();
      case "objectType":
        return f.objectType();
      default:
        return process(f.process(), name);
    }
  }

  private static Object exec(ProcessExec x, String name) {
    switch (name) {
      case "exe":
        return x.exe();
      case "exeInode":
        return x.exeInode();
      case "exeDevice":
        return x.exeDevice();
      case "argv":
        return joined(x.argv());
      case "argc":
        return (long) x.argv().size();
      case "cwd":
        return x.cwd();
      case "syscall":
        return x.syscall();
      default:
        Object c = credentials(x.credentials(), name);
        return c != null ? c : process(x.process(), name);
    }
  }

  private static Object started(ProcessStarted s, String name) {
    switch (name) {
      case "parentPid":
        return s.parent() == null ? null : (long) s.parent().pid();
      case "ppid":
        return integer(s.ppid());
      case "pgid":
        return integer(s.pgid());
      case "sid":
        return integer(s.sid());
      case "cwd":
        return s.cwd();
      case "exe":
        return s.exe();
      case "argv":
        return s.argv() == null ? null : joined(s.argv());
      case "how":
        return s.how();
      default:
        Object c = credentials(s.credentials(), name);
        return c != null ? c : process(s.process(), name);
    }
  }

  private static Object exited(ProcessExited x, String name) {
    switch (name) {
      case "exitCode":
        return integer(x.exitCode());
      case "signal":
        return integer(x.signal());
      case "how":
        return x.how();
      default:
        return process(x.process(), name);
    }
  }

  private static Object group(ProcessGroupChanged g, String name) {
    switch (name) {
      case "pgid":
        return (long) g.pgid();
      case "sid":
        return integer(g.sid());
      case "op":
        return g.op();
      default:
        return process(g.process(), name);
    }
  }

  private static Object socket(SocketActivity s, String name) {
    switch (name) {
      case "op":
        return s.op();
      case "fd":
        return integer(s.fd());
      case "family":
        return s.family();
      case "address":
        return s.address();
      case "port":
        return integer(s.port());
      case "path":
        return s.path();
      case "result":
        return s.result();
      default:
        return process(s.process(), name);
    }
  }

  private static Object ipc(Ipc i, String name) {
    switch (name) {
      case "kind":
        return i.kind();
      case "channel":
        return i.channel();
      case "writerPid":
        return (long) i.writer().pid();
      case "readerPid":
        return (long) i.reader().pid();
      default:
        return null;
    }
  }

  private static Object job(JobLifecycle j, String name) {
    switch (name) {
      case "jobId":
        return j.jobId();
      case "stage":
        return j.stage();
      case "user":
        return j.user();
      default:
        if (name.startsWith(FieldCatalog.JOB_ATTRIBUTE_PREFIX)) {
          return j.attributes().get(name.substring(FieldCatalog.JOB_ATTRIBUTE_PREFIX.length()));
        }
        return null;
    }
  }

  private static Object hostStatus(HostStatus h, String name) {
    switch (name) {
      case "kernelAvailable":
        return h.kernel().available();
      case "kernelLost":
        return h.kernel().lost();
      case "kernelBacklog":
        return h.kernel().backlog();
      case "eventsPublished":
        return h.counters().eventsPublished();
      default:
        return null;
    }
  }

  private static Object syscall(RawSyscall s, String name) {
    switch (name) {
      case "serial":
        return s.serial();
      case "syscall":
        return s.syscall();
      case "exit":
        return s.exit();
      default:
        if (name.startsWith(FieldCatalog.AUDIT_RECORD_PREFIX)) {
          return auditRecordField(s, name.substring(FieldCatalog.AUDIT_RECORD_PREFIX.length()));
        }
        return s.process() == null ? null : process(s.process(), name);
    }
  }

  private static Object auditRecordField(RawSyscall s, String typeAndField) {
    int dot = typeAndField.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    String type = typeAndField.substring(0, dot);
    String field = typeAndField.substring(dot + 1);
    for (RawSyscall.Record r : s.records()) {
      if (r.type().equals(type)) {
        return r.fields().get(field);
      }
    }
    return null;
  }

  private static Object process(ProcessRef p, String name) {
    switch (name) {
      case "pid":
        return (long) p.pid();
      case "processStart":
        return WireTime.format(p.start());
      default:
        return null;
    }
  }

  private static Object credentials(Credentials c, String name) {
    if (c == null) {
      return null;
    }
    switch (name) {
      case "uid":
        return integer(c.uid());
      case "gid":
        return integer(c.gid());
      case "euid":
        return integer(c.euid());
      case "egid":
        return integer(c.egid());
      case "auid":
        return integer(c.auid());
      case "user":
        return c.user();
      case "group":
        return c.group();
      case "loginUser":
        return c.loginUser();
      default:
        return null;
    }
  }

  private static Long integer(Integer i) {
    return i == null ? null : Long.valueOf(i);
  }

  private static String joined(List<String> argv) {
    return String.join(" ", argv);
  }
}
