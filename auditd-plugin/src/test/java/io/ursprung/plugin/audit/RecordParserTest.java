package io.ursprung.plugin.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.ProcessExec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordParserTest {
  private static final byte[] NAME = "name".getBytes();
  private static final byte[] CWD = "cwd".getBytes();
  private static final byte[] KEY = "key".getBytes();
  private static final byte[] A2 = "a2".getBytes();
  private static final byte[] EXIT = "exit".getBytes();
  private static final byte[] RES = "res".getBytes();

  private final RecordParser parser = new RecordParser();

  private AuditRecord parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
    return parser.parse(b, 0, b.length);
  }

  @Test
  void headerWithNodeTypeTimeAndSerial() {
    AuditRecord r =
        parse("node=worker01 type=SYSCALL msg=audit(1795442235.561:290175): arch=c000003e exit=-2");
    assertEquals("worker01", r.node());
    assertEquals(RecordTypes.SYSCALL, r.type());
    assertEquals("SYSCALL", r.typeName());
    assertEquals(1795442235561L, r.timeMs());
    assertEquals(290175L, r.serial());
    assertEquals(-2, r.dec(EXIT, 0));
  }

  @Test
  void headerWithoutNodeAndUnknownNumericType() {
    AuditRecord r = parse("type=UNKNOWN[1420] msg=audit(1700000000.005:7): subj_apparmor=x");
    assertNull(r.node());
    assertEquals(1420, r.type());
    assertEquals(1700000000005L, r.timeMs());
  }

  @Test
  void malformedHeadersAreRejected() {
    assertNull(parse("type=UNKNOWN[1329] msg=g"));
    assertNull(parse("garbage"));
    assertNull(parse("node=x type=SYSCALL msg=audit(17.5)"));
    assertNull(parse(""));
  }

  @Test
  void quotedIsLiteralUnquotedHexIsDecodedAbsentMarkersAreNull() {
    AuditRecord r =
        parse(
            "type=PATH msg=audit(1.000:1): item=0 name=2F746D702F6120622E747874 inode=5 nametype=NORMAL");
    assertEquals("/tmp/a b.txt", r.encoded(NAME));
    AuditRecord q = parse("type=CWD msg=audit(1.000:1): cwd=\"/home/ABCD\"");
    assertEquals("/home/ABCD", q.encoded(CWD));
    AuditRecord n = parse("type=PATH msg=audit(1.000:1): item=0 name=(null) nametype=PARENT");
    assertNull(n.encoded(NAME));
    AuditRecord k = parse("type=SYSCALL msg=audit(1.000:1): key=(none) a2=\"3005\"");
    assertNull(k.encoded(KEY));
    // a quoted value that looks like hex stays as written
    assertEquals("3005", k.encoded(A2));
  }

  @Test
  void multipleKeysJoinedWithSohAreDecoded() {
    AuditRecord r = parse("type=SYSCALL msg=audit(1.000:1): key=65786563013634626974");
    assertEquals("exec\u000164bit", r.encoded(KEY));
  }

  @Test
  void enrichedTailNeverLeaksIntoValues() {
    AuditRecord r =
        parse(
            "node=w type=SYSCALL msg=audit(1.000:1): arch=c000003e key=(null)\u001DARCH=x86_64"
                + " SYSCALL=openat AUID=\"unset\" UID=\"bob\" GID=\"bob\"");
    assertNull(r.encoded(KEY));
    assertEquals(2, r.fieldCount()); // arch and key only
    assertEquals("bob", r.enriched("UID"));
    assertEquals("unset", r.enriched("AUID"));
    AuditRecord s =
        parse(
            "type=SOCKADDR msg=audit(1.000:1): saddr=0200223D7F0000010000000000000000\u001D"
                + "SADDR={ saddr_fam=inet laddr=127.0.0.1 lport=8765 }");
    assertEquals(16, s.hexBytes("saddr".getBytes()).length);
  }

  @Test
  void doubleSpacesBareTokensAndSingleQuotedMessages() {
    AuditRecord r =
        parse(
            "type=USER_START msg=audit(1.000:9): pid=1 uid=0 auid=4294967295 ses=4294967295"
                + " subj=unconfined  msg='op=PAM:session_open acct=\"bob\" res=success'");
    assertEquals(4294967295L, r.dec("auid".getBytes(), 0));
    assertFalse(r.has(RES)); // inside the quoted msg, not a field of the record
    AuditRecord avc =
        parse("type=AVC msg=audit(1.000:9): avc:  denied  { read } for  pid=7 comm=\"a\"");
    assertEquals(7, avc.dec("pid".getBytes(), 0));
  }

  @Test
  void nonUtf8NamesArePercentEscapedAndUtf8Kept() {
    // "caf\xE9" (Latin-1) is not UTF-8; "caf\xC3\xA9" is
    AuditRecord r = parse("type=PATH msg=audit(1.000:1): name=636166E9 nametype=NORMAL");
    assertEquals("caf%E9", r.encoded(NAME));
    AuditRecord u = parse("type=PATH msg=audit(1.000:1): name=636166C3A9 nametype=NORMAL");
    assertEquals("caf\u00e9", u.encoded(NAME));
  }

  @Test
  void execveArgumentsSplitIntoChunksAcrossRecords() {
    AuditFixture f = new AuditFixture();
    f.sys(10, 100, 1, 59, "success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1");
    f.rec("EXECVE", 10, "argc=4 a0=\"python3\" a1=\"-c\" a2_len=10 a2[0]=7072696E74");
    // continuation record: leading extra space, then the rest of a2 and a3 as hex (has a space)
    f.rec("EXECVE", 10, " a2[1]=2831323329 a3=6120622063");
    f.cwd(10, "/home/bob");
    f.path(10, 0, "/usr/bin/python3", "NORMAL", 1);
    f.end(10).run();
    List<ProcessExec> execs = f.of(ProcessExec.class);
    assertEquals(1, execs.size());
    assertEquals(List.of("python3", "-c", "print(123)", "a b c"), execs.get(0).argv());
  }

  @Test
  void missingArgumentsBecomeEmptyStrings() {
    AuditFixture f = new AuditFixture();
    f.sys(10, 100, 1, 59, "success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1");
    f.rec("EXECVE", 10, "argc=3 a0=\"echo\" a2=\"x\"");
    f.cwd(10, "/");
    f.end(10).run();
    assertEquals(List.of("echo", "", "x"), f.of(ProcessExec.class).get(0).argv());
  }

  @Test
  void malformedLinesAreCountedNeverThrown() {
    AuditFixture f = new AuditFixture();
    f.lines.add("type=UNKNOWN[1329] msg=g");
    f.lines.add("\u0001\u0002 garbage");
    f.exec(5, 100, 1, "/", "/bin/true", "true").run();
    assertEquals(2, f.processor.stats().malformed());
    assertEquals(1, f.of(ProcessExec.class).size());
    assertNotNull(f.processor.stats());
    assertTrue(f.processor.stats().records() >= 2);
  }

  @Test
  void fieldMapDecodesExecveArgumentsButNotSyscallArguments() {
    AuditRecord sc =
        parse(
            "type=SYSCALL msg=audit(1700000000.001:1): arch=c000003e syscall=257 success=yes"
                + " exit=3 a0=10 a1=2000 a2=41 a3=1B6 items=1 pid=5 comm=\"x\"");
    assertEquals("10", sc.fieldMap().get("a0"));
    assertEquals("2000", sc.fieldMap().get("a1"));
    assertEquals("41", sc.fieldMap().get("a2"));
    assertEquals("1B6", sc.fieldMap().get("a3"));
    AuditRecord socketcall =
        parse("type=SOCKETCALL msg=audit(1700000000.001:1): nargs=3 a0=2 a1=1 a2=0");
    assertEquals("2", socketcall.fieldMap().get("a0"));
    AuditRecord execve =
        parse(
            "type=EXECVE msg=audit(1700000000.001:1): argc=3 a0=\"cat\" a1=2F746D702F612062"
                + " a2_len=4 a2[0]=41424344");
    assertEquals("cat", execve.fieldMap().get("a0"));
    assertEquals("/tmp/a b", execve.fieldMap().get("a1"));
    assertEquals("4", execve.fieldMap().get("a2_len"));
    assertEquals("ABCD", execve.fieldMap().get("a2[0]"));
  }
}
