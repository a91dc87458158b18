package io.ursprung.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDefTest {

  private static ConfigDef def() {
    return new ConfigDef()
        .define(
            "kafka.bootstrap.servers",
            ConfigDef.Type.LIST,
            "localhost:9092",
            Validators.hostPortList(),
            "Kafka brokers.")
        .define("plugin.topic", ConfigDef.Type.STRING, "auditd", Validators.kafkaTopic(), "Topic.")
        .define(
            "plugin.event.timeout.ms",
            ConfigDef.Type.LONG,
            2000L,
            Validators.atLeast(1),
            "Time-out | with a pipe.")
        .define("plugin.emit.raw.syscalls", ConfigDef.Type.BOOLEAN, false, Validators.any(), "Raw.")
        .define(
            "plugin.spool.max.bytes",
            ConfigDef.Type.BYTES,
            "1GiB",
            Validators.atLeast(1024),
            "Spool bound.")
        .define(
            "plugin.host",
            ConfigDef.Type.STRING,
            () -> "computed-host",
            "(local host name)",
            Validators.noWhitespace(),
            "Host.")
        .definePassThrough("kafka.", "Passed to the Kafka client.");
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Config c = def().parse(Map.of(), Map.of(), Map.of());
    assertEquals(List.of("localhost:9092"), c.getList("kafka.bootstrap.servers"));
    assertEquals("auditd", c.getString("plugin.topic"));
    assertEquals(2000L, c.getLong("plugin.event.timeout.ms"));
    assertEquals(false, c.getBoolean("plugin.emit.raw.syscalls"));
    assertEquals(1L << 30, c.getLong("plugin.spool.max.bytes"));
    assertEquals("computed-host", c.getString("plugin.host"));
    assertEquals("default", c.origin("plugin.topic"));
    assertTrue(c.passThrough("kafka.").isEmpty());
  }

  @Test
  void environmentWinsOverFileAndOverridesWinOverBoth() {
    Map<String, String> file = Map.of("plugin.topic", "from-file", "plugin.event.timeout.ms", "10");
    Map<String, String> env =
        Map.of("URSPRUNG_PLUGIN_TOPIC", "from-env", "URSPRUNG_PLUGIN_EVENT_TIMEOUT_MS", "20");
    Map<String, String> cli = Map.of("plugin.topic", "from-cli");
    Config c = def().parse(file, env, cli);
    assertEquals("from-cli", c.getString("plugin.topic"));
    assertEquals("command line", c.origin("plugin.topic"));
    assertEquals(20L, c.getLong("plugin.event.timeout.ms"));
    assertEquals(
        "environment URSPRUNG_PLUGIN_EVENT_TIMEOUT_MS", c.origin("plugin.event.timeout.ms"));
  }

  @Test
  void everyProblemIsReportedInOnePass() {
    Map<String, String> file =
        Map.of(
            "plugin.topic", "bad topic",
            "plugin.event.timout.ms", "5",
            "plugin.spool.max.bytes", "lots");
    Map<String, String> env =
        Map.of(
            "URSPRUNG_PLUGIN_EVENT_TIMEOUT_MS", "0",
            "URSPRUNG_PLUGIN_EMIT_RAW_SYSCALLS", "maybe",
            "URSPRUNG_KAFKA_BOOTSTRAP_SERVERS", "broker");
    ConfigException e =
        assertThrows(ConfigException.class, () -> def().parse(file, env, Map.of("nope", "1")));
    List<String> p = e.problems();
    assertEquals(7, p.size(), String.join("\n", p));
    assertTrue(e.getMessage().startsWith("7 configuration problems:"), e.getMessage());
    assertTrue(
        p.stream()
            .anyMatch(
                s ->
                    s.contains("unknown key 'plugin.event.timout.ms'")
                        && s.contains("did you mean 'plugin.event.timeout.ms'")),
        String.join("\n", p));
    assertTrue(p.stream().anyMatch(s -> s.contains("unknown key 'nope'")));
    assertTrue(p.stream().anyMatch(s -> s.startsWith("plugin.topic") && s.contains("Kafka topic")));
    assertTrue(
        p.stream()
            .anyMatch(s -> s.startsWith("plugin.event.timeout.ms") && s.contains("at least")));
    assertTrue(
        p.stream()
            .anyMatch(
                s -> s.startsWith("plugin.emit.raw.syscalls") && s.contains("true or false")));
    assertTrue(p.stream().anyMatch(s -> s.startsWith("plugin.spool.max.bytes")));
    assertTrue(
        p.stream()
            .anyMatch(s -> s.startsWith("kafka.bootstrap.servers") && s.contains("host:port")));
  }

  @Test
  void passThroughKeysComeFromFileEnvironmentAndOverrides() {
    Map<String, String> file =
        Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN");
    Map<String, String> env =
        Map.of(
            "URSPRUNG_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "URSPRUNG_KAFKA_BOOTSTRAP_SERVERS", "b1:9093,b2:9093",
            "URSPRUNG_ADMIN_TOKEN", "not ours");
    Config c = def().parse(file, env, Map.of("kafka.acks", "1"));
    Map<String, String> kafka = c.passThrough("kafka.");
    assertEquals(
        Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "acks", "1"),
        kafka);
    assertEquals(List.of("b1:9093", "b2:9093"), c.getList("kafka.bootstrap.servers"));
  }

  @Test
  void loadsAPropertiesFileAndReportsAMissingOne(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("plugin.properties");
    Files.writeString(f, "# comment\nplugin.topic = t1\nplugin.spool.max.bytes=512MiB\n");
    Config c = def().load(f, Map.of(), Map.of());
    assertEquals("t1", c.getString("plugin.topic"));
    assertEquals(512L << 20, c.getLong("plugin.spool.max.bytes"));
    assertEquals(f.toString(), c.origin("plugin.topic"));

    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                def()
                    .load(
                        dir.resolve("missing.properties"),
                        Map.of("URSPRUNG_PLUGIN_TOPIC", "bad topic"),
                        Map.of()));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains("does not exist"));
  }

  @Test
  void lenientIgnoresUnknownFileKeys() {
    Config c = def().lenient().parse(Map.of("consumer.threads", "4"), Map.of(), Map.of());
    assertEquals("auditd", c.getString("plugin.topic"));
  }

  @Test
  void sizesAcceptBinaryUnits() {
    assertEquals(1024L, ConfigDef.parseBytes("1k"));
    assertEquals(1024L, ConfigDef.parseBytes("1 KiB"));
    assertEquals(3L << 20, ConfigDef.parseBytes("3MB"));
    assertEquals(2L << 40, ConfigDef.parseBytes("2TiB"));
    assertEquals(77L, ConfigDef.parseBytes("77"));
    assertThrows(IllegalArgumentException.class, () -> ConfigDef.parseBytes("1.5G"));
    assertEquals("1GiB", ConfigDef.formatBytes(1L << 30));
    assertEquals("1000", ConfigDef.formatBytes(1000));
  }

  @Test
  void environmentNamesAreDerivedFromKeys() {
    assertEquals("URSPRUNG_KAFKA_BOOTSTRAP_SERVERS", ConfigDef.envName("kafka.bootstrap.servers"));
    assertEquals("URSPRUNG_PLUGIN_SPOOL_DIR", ConfigDef.envName("plugin.spool-dir"));
  }

  @Test
  void markdownTableListsEveryKeyAndEscapesPipes() {
    String md = def().toMarkdownTable();
    String[] lines = md.split("\n");
    assertEquals(2 + 6 + 1, lines.length, md);
    assertTrue(
        md.contains("| `plugin.topic` | `URSPRUNG_PLUGIN_TOPIC` | string | `auditd` | Topic. |"),
        md);
    assertTrue(md.contains("Time-out \\| with a pipe."), md);
    assertTrue(md.contains("`1GiB`"), md);
    assertTrue(md.contains("(local host name)"), md);
    assertTrue(md.contains("| `kafka.*` | `URSPRUNG_KAFKA_*` |"), md);
  }

  @Test
  void describeMasksSecrets() {
    ConfigDef d = def().defineSecret("plugin.token", "s3cret", "A token.");
    Config c =
        d.parse(Map.of("kafka.sasl.jaas.config", "user=\"x\" password=\"y\""), Map.of(), Map.of());
    String text = c.describe();
    assertTrue(text.contains("plugin.token = ***"), text);
    assertTrue(text.contains("kafka.sasl.jaas.config = ***"), text);
    assertTrue(!text.contains("s3cret") && !text.contains("password=\"y\""), text);
  }

  @Test
  void undeclaredKeysAndWrongTypesAreProgrammingErrors() {
    Config c = def().parse(Map.of(), Map.of(), Map.of());
    assertThrows(IllegalArgumentException.class, () -> c.getString("nope"));
    assertThrows(IllegalArgumentException.class, () -> c.getInt("plugin.topic"));
    assertThrows(
        IllegalArgumentException.class,
        () -> def().define("plugin.topic", ConfigDef.Type.STRING, "x", Validators.any(), "dup"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ConfigDef().define("Bad Key", ConfigDef.Type.STRING, "x", Validators.any(), "d"));
  }

  @Test
  void passThroughChecksAreListedWithTheOtherProblems() {
    ConfigDef d =
        def()
            .checkPassThrough(
                "kafka.",
                values ->
                    values.containsKey("linger.ms") && !values.get("linger.ms").matches("\\d+")
                        ? List.of("kafka.linger.ms must be a number")
                        : List.of());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                d.parse(
                    Map.of(),
                    Map.of("URSPRUNG_KAFKA_LINGER_MS", "soon"),
                    Map.of("plugin.topic", "a b")));
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith("plugin.topic"), e.problems().toString());
    assertEquals("kafka.linger.ms must be a number", e.problems().get(1));
    assertEquals(
        "5",
        d.parse(Map.of("kafka.linger.ms", "5"), Map.of(), Map.of())
            .passThrough("kafka.")
            .get("linger.ms"));
    assertThrows(
        IllegalArgumentException.class, () -> def().checkPassThrough("other.", v -> List.of()));
  }

  @Test
  void aFailingPassThroughCheckIsAProblemNotACrash() {
    ConfigDef d =
        def()
            .checkPassThrough(
                "kafka.",
                values -> {
                  throw new IllegalStateException("boom");
                });
    ConfigException e =
        assertThrows(ConfigException.class, () -> d.parse(Map.of(), Map.of(), Map.of()));
    assertTrue(e.problems().get(0).contains("boom"), e.problems().toString());
  }
}
