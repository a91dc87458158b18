package io.ursprung.plugin.audit;

import java.util.HashMap;
import java.util.Map;

/**
 * Audit record type numbers (linux/audit.h, audit-userspace lib/audit-records.h) and the rule that
 * decides which records form an event on their own.
 */
public final class RecordTypes {
  public static final int UNKNOWN = 0;
  public static final int LOGIN = 1006;
  public static final int SYSCALL = 1300;
  public static final int PATH = 1302;
  public static final int IPC = 1303;
  public static final int SOCKETCALL = 1304;
  public static final int CONFIG_CHANGE = 1305;
  public static final int SOCKADDR = 1306;
  public static final int CWD = 1307;
  public static final int EXECVE = 1309;
  public static final int FD_PAIR = 1317;
  public static final int OBJ_PID = 1318;
  public static final int EOE = 1320;
  public static final int BPRM_FCAPS = 1321;
  public static final int MMAP = 1323;
  public static final int PROCTITLE = 1327;
  public static final int OPENAT2 = 1337;
  public static final int KERNEL = 2000;

  private static final Map<String, Integer> BY_NAME = new HashMap<>();

  static {
    Object[][] known = {
      {"LOGIN", LOGIN},
      {"SYSCALL", SYSCALL},
      {"PATH", PATH},
      {"IPC", IPC},
      {"SOCKETCALL", SOCKETCALL},
      {"CONFIG_CHANGE", CONFIG_CHANGE},
      {"SOCKADDR", SOCKADDR},
      {"CWD", CWD},
      {"EXECVE", EXECVE},
      {"IPC_SET_PERM", 1311},
      {"MQ_OPEN", 1312},
      {"MQ_SENDRECV", 1313},
      {"MQ_NOTIFY", 1314},
      {"MQ_GETSETATTR", 1315},
      {"KERNEL_OTHER", 1316},
      {"FD_PAIR", FD_PAIR},
      {"OBJ_PID", OBJ_PID},
      {"TTY", 1319},
      {"EOE", EOE},
      {"BPRM_FCAPS", BPRM_FCAPS},
      {"CAPSET", 1322},
      {"MMAP", MMAP},
      {"NETFILTER_PKT", 1324},
      {"NETFILTER_CFG", 1325},
      {"SECCOMP", 1326},
      {"PROCTITLE", PROCTITLE},
      {"FEATURE_CHANGE", 1328},
      {"REPLACE", 1329},
      {"KERN_MODULE", 1330},
      {"FANOTIFY", 1331},
      {"TIME_INJOFFSET", 1332},
      {"TIME_ADJNTPVAL", 1333},
      {"BPF", 1334},
      {"EVENT_LISTENER", 1335},
      {"URINGOP", 1336},
      {"OPENAT2", OPENAT2},
      {"DM_CTRL", 1338},
      {"DM_EVENT", 1339},
      {"AVC", 1400},
      {"SELINUX_ERR", 1401},
      {"AVC_PATH", 1402},
      {"MAC_POLICY_LOAD", 1403},
      {"MAC_STATUS", 1404},
      {"MAC_CONFIG_CHANGE", 1405},
      {"MAC_TASK_CONTEXTS", 1420},
      {"MAC_OBJ_CONTEXTS", 1421},
      {"ANOM_PROMISCUOUS", 1700},
      {"ANOM_ABEND", 1701},
      {"ANOM_LINK", 1702},
      {"ANOM_CREAT", 1703},
      {"INTEGRITY_DATA", 1800},
      {"INTEGRITY_METADATA", 1801},
      {"INTEGRITY_STATUS", 1802},
      {"INTEGRITY_HASH", 1803},
      {"INTEGRITY_PCR", 1804},
      {"INTEGRITY_RULE", 1805},
      {"KERNEL", KERNEL},
      {"DAEMON_START", 1200},
      {"DAEMON_END", 1201},
      {"DAEMON_ABORT", 1202},
      {"DAEMON_CONFIG", 1203},
      {"DAEMON_RECONFIG", 1204},
      {"DAEMON_ROTATE", 1205},
      {"DAEMON_RESUME", 1206},
      {"DAEMON_ACCEPT", 1207},
      {"DAEMON_CLOSE", 1208},
      {"DAEMON_ERR", 1209},
      {"USER", 1005},
      {"USER_AUTH", 1100},
      {"USER_ACCT", 1101},
      {"USER_MGMT", 1102},
      {"CRED_ACQ", 1103},
      {"CRED_DISP", 1104},
      {"USER_START", 1105},
      {"USER_END", 1106},
      {"USER_AVC", 1107},
      {"USER_CHAUTHTOK", 1108},
      {"USER_ERR", 1109},
      {"CRED_REFR", 1110},
      {"USYS_CONFIG", 1111},
      {"USER_LOGIN", 1112},
      {"USER_LOGOUT", 1113},
      {"ADD_USER", 1114},
      {"DEL_USER", 1115},
      {"ADD_GROUP", 1116},
      {"DEL_GROUP", 1117},
      {"DAC_CHECK", 1118},
      {"CHGRP_ID", 1119},
      {"TEST", 1120},
      {"TRUSTED_APP", 1121},
      {"USER_SELINUX_ERR", 1122},
      {"USER_CMD", 1123},
      {"USER_TTY", 1124},
      {"CHUSER_ID", 1125},
      {"GRP_AUTH", 1126},
      {"SYSTEM_BOOT", 1127},
      {"SYSTEM_SHUTDOWN", 1128},
      {"SYSTEM_RUNLEVEL", 1129},
      {"SERVICE_START", 1130},
      {"SERVICE_STOP", 1131},
      {"GRP_MGMT", 1132},
      {"GRP_CHAUTHTOK", 1133},
      {"MAC_CHECK", 1134},
      {"ACCT_LOCK", 1135},
      {"ACCT_UNLOCK", 1136},
      {"USER_DEVICE", 1137},
      {"SOFTWARE_UPDATE", 1138},
    };
    for (Object[] k : known) {
      BY_NAME.put((String) k[0], (Integer) k[1]);
    }
  }

  private RecordTypes() {}

  /** Type code for a type name in a line; {@link #UNKNOWN} when not known. */
  static int lookup(byte[] b, int s, int e) {
    int len = e - s;
    // the hot types first, without allocating
    switch (len) {
      case 3:
        if (b[s] == 'E' && b[s + 1] == 'O' && b[s + 2] == 'E') {
          return EOE;
        }
        if (b[s] == 'C' && b[s + 1] == 'W' && b[s + 2] == 'D') {
          return CWD;
        }
        break;
      case 4:
        if (Text.regionEquals(b, s, "PATH")) {
          return PATH;
        }
        break;
      case 6:
        if (Text.regionEquals(b, s, "EXECVE")) {
          return EXECVE;
        }
        break;
      case 7:
        if (Text.regionEquals(b, s, "SYSCALL")) {
          return SYSCALL;
        }
        if (Text.regionEquals(b, s, "FD_PAIR")) {
          return FD_PAIR;
        }
        break;
      case 8:
        if (Text.regionEquals(b, s, "SOCKADDR")) {
          return SOCKADDR;
        }
        break;
      case 9:
        if (Text.regionEquals(b, s, "PROCTITLE")) {
          return PROCTITLE;
        }
        break;
      default:
        break;
    }
    if (len > 9 && Text.regionEquals(b, s, "UNKNOWN[") && b[e - 1] == ']') {
      long n = Text.parseDec(b, s + 8, e - 1, 0);
      return n > 0 && n < 100_000 ? (int) n : UNKNOWN;
    }
    Integer code = BY_NAME.get(Text.ascii(b, s, e));
    return code == null ? UNKNOWN : code;
  }

  /**
   * Whether a record of this type is an event on its own (auparse's rule): user-space messages
   * (1100-1299), KERNEL, and anomaly/integrity types from 2100 on. LOGIN is excluded because
   * current kernels emit it together with a SYSCALL record of the same serial; unknown names are
   * treated as parts of larger events and completed by EOE or the time-out.
   */
  public static boolean isSingleRecord(int type) {
    return (type >= 1100 && type < 1300) || type == 1005 || type == KERNEL || type >= 2100;
  }
}
