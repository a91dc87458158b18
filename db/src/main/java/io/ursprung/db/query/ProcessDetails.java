package io.ursprung.db.query;

import java.time.Instant;
import java.util.List;

/**
 * Everything known about one process.
 *
 * @param process the process
 * @param argv the argument vector of its last exec
 * @param gid group id
 * @param jobId batch job, when known
 * @param parent its parent, when known and visible
 * @param children its visible children
 * @param execs every exec in order
 * @param reads files it read or executed
 * @param writes file versions it made
 * @param informedBy processes that wrote into its pipes and sockets, and its fork parent
 * @param informs processes reading its pipes and sockets
 * @param connections socket activity
 */
public record ProcessDetails(
    ProcessSummary process,
    List<String> argv,
    Integer gid,
    String jobId,
    ProcessSummary parent,
    List<ProcessSummary> children,
    List<Exec> execs,
    List<FileAccess> reads,
    List<FileAccess> writes,
    List<Informed> informedBy,
    List<Informed> informs,
    List<Connection> connections) {

  /**
   * One exec.
   *
   * @param time when
   * @param exe program
   * @param argv arguments
   * @param cwd working directory
   */
  public record Exec(Instant time, String exe, List<String> argv, String cwd) {}

  /**
   * A read or a write.
   *
   * @param fileId node id of the version read or made
   * @param host file namespace
   * @param path name
   * @param time when
   * @param kind read, exec, write, create, truncate, rename
   * @param size size after a write, when known
   */
  public record FileAccess(
      String fileId, String host, String path, Instant time, String kind, Long size) {}

  /**
   * A process-to-process relation.
   *
   * @param processId the other process
   * @param cmdline its command line
   * @param kind pipe, socketpair, socket, fork
   * @param time when
   */
  public record Informed(String processId, String cmdline, String kind, Instant time) {}

  /**
   * A socket operation.
   *
   * @param time when
   * @param op bind, connect, accept, listen
   * @param family inet, inet6, unix
   * @param address address
   * @param port port
   * @param path unix socket path
   * @param result syscall result
   */
  public record Connection(
      Instant time,
      String op,
      String family,
      String address,
      Integer port,
      String path,
      Long result) {}
}
