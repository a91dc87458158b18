package io.ursprung.provd.fanotify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A file event in the JSON shape of Spectrum Scale's clustered watch ({@code mmwatch}): every
 * scalar is a JSON string, {@code acls} and {@code xattrs} are {@code null}, names and mask bits
 * are inotify's ({@code IN_*}, the same numbers as fanotify's {@code FAN_*}).
 *
 * <p>Values provd cannot know are empty strings, never invented: {@code openFlags} (fanotify does
 * not report the accessor's flags), {@code poolName}, {@code nfsClientIp}, and the file's
 * attributes when the file is gone. Times are UTC in mmwatch's {@code yyyy-MM-dd_HH:mm:ss} layout
 * with microseconds and a {@code +0000} zone; {@code eventTime} is when provd read the event, since
 * fanotify carries no time stamp. {@code permissions} is {@code st_mode} in octal.
 *
 * @param event event name(s), such as {@code IN_CLOSE_WRITE} or {@code IN_CREATE IN_ISDIR}
 * @param mask the inotify mask of those names
 * @param cookie pairs {@code IN_MOVED_FROM} with its {@code IN_MOVED_TO}; 0 otherwise
 * @param path the absolute path
 * @param clusterName cluster (configured; defaults to the host name)
 * @param nodeName the host whose process did the access
 * @param fsName the configured mount point the event came through
 * @param inode the inode number, or -1 when unknown
 * @param attrs the file's attributes when known, else {@code null}
 * @param eventTime when provd read the event
 * @param clientUserId the accessing process's effective uid, or -1 when it is gone
 * @param clientGroupId the accessing process's effective gid, or -1
 * @param processId the accessing process
 */
public record MmwatchRecord(
    String event,
    long mask,
    long cookie,
    String path,
    String clusterName,
    String nodeName,
    String fsName,
    long inode,
    FileAttrs attrs,
    Instant eventTime,
    int clientUserId,
    int clientGroupId,
    int processId) {

  /** The version string this shape follows. */
  public static final String WF_JSON = "0.0.1";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd_HH:mm:ss.SSSSSSxx").withZone(ZoneOffset.UTC);

  /**
   * A file's attributes from {@code stat}.
   *
   * @param mode {@code st_mode}
   * @param nlink link count
   * @param size size in bytes
   * @param uid owner
   * @param gid group
   * @param atime access time
   * @param ctime change time
   * @param mtime modification time
   */
  public record FileAttrs(
      int mode,
      long nlink,
      long size,
      int uid,
      int gid,
      Instant atime,
      Instant ctime,
      Instant mtime) {}

  /** The mmwatch time layout. */
  public static String time(Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  /** The record as mmwatch's JSON object, fields in mmwatch's order. */
  public ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode n = mapper.createObjectNode();
    n.put("WF_JSON", WF_JSON);
    n.put("wd", "0");
    n.put("cookie", Long.toString(cookie));
    n.put("mask", String.format("0x%08X", mask));
    n.put("event", event);
    n.put("path", path);
    n.put("clusterName", clusterName);
    n.put("nodeName", nodeName);
    n.put("nfsClientIp", "");
    n.put("fsName", fsName);
    n.put("inode", inode < 0 ? "" : Long.toUnsignedString(inode));
    n.put("filesetID", "0");
    n.put("linkCount", attrs == null ? "" : Long.toString(attrs.nlink()));
    n.put("openFlags", "");
    n.put("poolName", "");
    n.put("fileSize", attrs == null ? "" : Long.toString(attrs.size()));
    n.put("ownerUserId", attrs == null ? "" : Integer.toUnsignedString(attrs.uid()));
    n.put("ownerGroupId", attrs == null ? "" : Integer.toUnsignedString(attrs.gid()));
    n.put("atime", attrs == null ? "" : time(attrs.atime()));
    n.put("ctime", attrs == null ? "" : time(attrs.ctime()));
    n.put("mtime", attrs == null ? "" : time(attrs.mtime()));
    n.put("eventTime", time(eventTime));
    n.put("clientUserId", clientUserId < 0 ? "" : Integer.toString(clientUserId));
    n.put("clientGroupId", clientGroupId < 0 ? "" : Integer.toString(clientGroupId));
    n.put("processId", Integer.toString(processId));
    n.put("permissions", attrs == null ? "" : Integer.toOctalString(attrs.mode()));
    n.putNull("acls");
    n.putNull("xattrs");
    n.put("subEventType", "NONE");
    return n;
  }
}
