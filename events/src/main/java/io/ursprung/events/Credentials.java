package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The ids a process ran with, and their names where the producer could resolve them (through NSS,
 * so LDAP/SSSD users resolve too). {@code auid} is the login uid: the person behind a process even
 * after {@code su} or {@code sudo}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Credentials(
    Integer uid,
    Integer gid,
    Integer euid,
    Integer egid,
    Integer auid,
    String user,
    String group,
    String loginUser) {

  /** Credentials with only the numeric ids known. */
  public static Credentials ofIds(int uid, int gid) {
    return new Credentials(uid, gid, null, null, null, null, null, null);
  }
}
