package io.ursprung.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The declared configuration keys of one service, in the spirit of Kafka's {@code ConfigDef}.
 *
 * <p>Each key is declared once with its type, default, validator and description; parsing, the
 * environment variable name ({@link #envName}), validation and documentation ({@link
 * #toMarkdownTable()}) all derive from it. Key names are lower case, dot separated ({@code
 * kafka.bootstrap.servers}); the environment variable is {@code URSPRUNG_} plus the key upper-cased
 * with every other character replaced by {@code _} ({@code URSPRUNG_KAFKA_BOOTSTRAP_SERVERS}).
 *
 * <p>A pass-through prefix ({@link #definePassThrough}) lets a family of keys reach a library
 * untouched, for example every {@code kafka.*} key to the Kafka client (SASL, TLS); their
 * environment variables are mapped back by turning {@code _} into {@code .} and lower-casing, which
 * fits Kafka's own property names.
 *
 * <p>Not thread-safe while keys are being declared; immutable in use afterwards.
 */
public final class ConfigDef {

  /** Prefix of every environment variable Ursprung reads. */
  public static final String ENV_PREFIX = "URSPRUNG_";

  private static final Pattern KEY_NAME = Pattern.compile("[a-z][a-z0-9]*([._-][a-z0-9]+)*");
  private static final Pattern BYTES =
      Pattern.compile(
          "(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)", Pattern.CASE_INSENSITIVE);

  /** The type of a key's value, which decides how its text is parsed. */
  public enum Type {
    /** Any text, trimmed. */
    STRING,
    /** A 32-bit signed integer. */
    INT,
    /** A 64-bit signed integer. */
    LONG,
    /** A decimal number. */
    DOUBLE,
    /** {@code true}/{@code false}, also {@code yes}/{@code no}, {@code on}/{@code off}. */
    BOOLEAN,
    /** Comma-separated strings, each trimmed, empty entries dropped. */
    LIST,
    /**
     * A size in bytes: a number with an optional binary unit ({@code k}/{@code KiB} = 1024, {@code
     * M}/{@code MiB}, {@code G}/{@code GiB}, {@code T}/{@code TiB}; {@code KB} is also read as
     * 1024, since nobody sizing a spool means 1000). Stored as a {@code Long}.
     */
    BYTES,
    /** A file system path. */
    PATH;

    Object parse(String text) {
      String s = text.trim();
      switch (this) {
        case STRING:
          return s;
        case INT:
          return Integer.parseInt(s);
        case LONG:
          return Long.parseLong(s);
        case DOUBLE:
          return Double.parseDouble(s);
        case BOOLEAN:
          switch (s.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
              return Boolean.TRUE;
            case "false":
            case "no":
            case "off":
              return Boolean.FALSE;
            default:
              throw new IllegalArgumentException("expected true or false");
          }
        case LIST:
          List<String> out = new ArrayList<>();
          for (String part : s.split(",")) {
            if (!part.isBlank()) {
              out.add(part.trim());
            }
          }
          return List.copyOf(out);
        case BYTES:
          return parseBytes(s);
        case PATH:
          if (s.isEmpty()) {
            throw new IllegalArgumentException("expected a path");
          }
          return Path.of(s);
        default:
          throw new AssertionError(this);
      }
    }

    String expected() {
      switch (this) {
        case INT:
          return "an integer";
        case LONG:
          return "a long integer";
        case DOUBLE:
          return "a number";
        case BOOLEAN:
          return "true or false";
        case BYTES:
          return "a size such as 1048576, 512MiB or 1GiB";
        case PATH:
          return "a path";
        default:
          return "a string";
      }
    }

    /** Renders a typed value back to the text form this type parses. */
    String format(Object value) {
      if (value instanceof List<?> list) {
        return String.join(",", list.stream().map(Object::toString).toList());
      }
      if (this == BYTES) {
        return formatBytes((Long) value);
      }
      return String.valueOf(value);
    }
  }

  /**
   * One declared key.
   *
   * @param name the key, lower case and dot separated
   * @param type how its text is parsed
   * @param defaultValue supplies the typed default; {@code null} when the key is required
   * @param defaultDoc how the default reads in documentation
   * @param validator checks the typed value
   * @param description one or two sentences for help text and docs
   * @param secret whether the value must be masked when printed
   */
  public record Key(
      String name,
      Type type,
      Supplier<Object> defaultValue,
      String defaultDoc,
      Validator validator,
      String description,
      boolean secret) {
    public Key {
      Objects.requireNonNull(name, "name");
      if (!KEY_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "key names are lower case words separated by '.', '_' or '-': '" + name + "'");
      }
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(defaultDoc, "defaultDoc");
    }

    /** Whether the key has no default and must be set. */
    public boolean required() {
      return defaultValue == null;
    }

    /** The environment variable that sets this key. */
    public String envName() {
      return ConfigDef.envName(name);
    }
  }

  private final Map<String, Key> keys = new LinkedHashMap<>();
  private final Map<String, String> passThrough = new LinkedHashMap<>();
  private final Map<String, List<PassThroughCheck>> passThroughChecks = new LinkedHashMap<>();
  private boolean strict = true;

  /** Declares a key with a fixed default ({@code null} = required). */
  public ConfigDef define(
      String name, Type type, Object defaultValue, Validator validator, String description) {
    Supplier<Object> supplier = null;
    String doc = "(required)";
    if (defaultValue != null) {
      Object typed = defaultValue instanceof String s ? type.parse(s) : defaultValue;
      supplier = () -> typed;
      doc = type.format(typed);
    }
    return add(new Key(name, type, supplier, doc, validator, description, false));
  }

  /**
   * Declares a key whose default is computed when the configuration is parsed (for example the
   * local host name), documented as {@code defaultDoc}.
   */
  public ConfigDef define(
      String name,
      Type type,
      Supplier<Object> defaultValue,
      String defaultDoc,
      Validator validator,
      String description) {
    Objects.requireNonNull(defaultValue, "defaultValue");
    return add(new Key(name, type, defaultValue, defaultDoc, validator, description, false));
  }

  /** Declares a key whose value is never printed (passwords, tokens). */
  public ConfigDef defineSecret(String name, Object defaultValue, String description) {
    Supplier<Object> supplier = defaultValue == null ? null : () -> defaultValue;
    return add(
        new Key(
            name,
            Type.STRING,
            supplier,
            defaultValue == null ? "(required)" : "(hidden)",
            Validators.any(),
            description,
            true));
  }

  /**
   * Applies a group of declarations shared by several services (the store's keys, say), keeping the
   * chain: {@code new ConfigDef().define(...).with(StoreKeys::define).define(...)}.
   */
  public ConfigDef with(java.util.function.UnaryOperator<ConfigDef> declarations) {
    return declarations.apply(this);
  }

  /**
   * Declares a prefix whose keys are passed through untouched, such as {@code kafka.} for Kafka
   * client properties. A declared key that starts with the prefix is not passed through.
   */
  public ConfigDef definePassThrough(String prefix, String description) {
    if (!prefix.endsWith(".")
        || !KEY_NAME.matcher(prefix.substring(0, prefix.length() - 1)).matches()) {
      throw new IllegalArgumentException("a pass-through prefix looks like 'kafka.': " + prefix);
    }
    passThrough.put(prefix, description);
    return this;
  }

  /**
   * A check of all values under one pass-through prefix together, for values that only the library
   * they pass to understands (Kafka's property types, say).
   */
  @FunctionalInterface
  public interface PassThroughCheck {
    /**
     * Every problem with {@code values} (keys without the prefix), one sentence each naming the
     * full key where it can; empty when there is none.
     */
    List<String> problems(Map<String, String> values);
  }

  /**
   * Checks the keys under a declared pass-through prefix when the configuration is parsed, so that
   * their problems are listed together with every other one instead of surfacing later, when the
   * library is finally handed them. The check runs even when other keys have problems.
   */
  public ConfigDef checkPassThrough(String prefix, PassThroughCheck check) {
    if (!passThrough.containsKey(prefix)) {
      throw new IllegalArgumentException("undeclared pass-through prefix " + prefix);
    }
    passThroughChecks.computeIfAbsent(prefix, p -> new ArrayList<>()).add(check);
    return this;
  }

  /**
   * Ignores keys in the file that are neither declared nor under a pass-through prefix, instead of
   * reporting them. Meant for a file shared by several services; the default (strict) catches typos
   * in key names, which would otherwise silently leave the default in force.
   */
  public ConfigDef lenient() {
    strict = false;
    return this;
  }

  private ConfigDef add(Key key) {
    if (keys.putIfAbsent(key.name(), key) != null) {
      throw new IllegalArgumentException("key declared twice: " + key.name());
    }
    return this;
  }

  /** The declared keys, in declaration order. */
  public Collection<Key> keys() {
    return Collections.unmodifiableCollection(keys.values());
  }

  /** The key called {@code name}, or {@code null}. */
  public Key key(String name) {
    return keys.get(name);
  }

  /** The declared pass-through prefixes with their descriptions. */
  public Map<String, String> passThroughPrefixes() {
    return Collections.unmodifiableMap(passThrough);
  }

  /** {@code kafka.bootstrap.servers} → {@code URSPRUNG_KAFKA_BOOTSTRAP_SERVERS}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * Reads {@code file} (when given) and parses it together with the environment and the overrides.
   *
   * @param file a Java properties file, or {@code null} for none
   * @param env the environment, usually {@link System#getenv()}
   * @param overrides explicit settings from the command line, by key name
   * @throws ConfigException listing every problem, including an unreadable file
   */
  public Config load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> fromFile = Map.of();
    List<String> problems = new ArrayList<>();
    if (file != null) {
      try {
        fromFile = readProperties(file);
      } catch (NoSuchFileException e) {
        problems.add("configuration file " + file + " does not exist");
      } catch (IOException | IllegalArgumentException e) {
        problems.add("configuration file " + file + " cannot be read: " + e.getMessage());
      }
    }
    return parse(fromFile, env, overrides, problems, file == null ? "file" : file.toString());
  }

  /**
   * Parses values from the three sources. Environment variables win over the file and overrides win
   * over both. Every problem is collected before anything is thrown.
   *
   * @throws ConfigException listing every problem
   */
  public Config parse(
      Map<String, String> file, Map<String, String> env, Map<String, String> overrides) {
    return parse(file, env, overrides, new ArrayList<>(), "file");
  }

  private Config parse(
      Map<String, String> file,
      Map<String, String> env,
      Map<String, String> overrides,
      List<String> problems,
      String fileName) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    Map<String, String> passed = new TreeMap<>();

    for (Map.Entry<String, String> e : new TreeMap<>(file).entrySet()) {
      String k = e.getKey().trim();
      if (!keys.containsKey(k) && prefixOf(k) == null && strict) {
        problems.add("unknown key '" + k + "' in " + fileName + suggestion(k));
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
      if (!keys.containsKey(e.getKey()) && prefixOf(e.getKey()) == null) {
        problems.add(
            "unknown key '" + e.getKey() + "' given on the command line" + suggestion(e.getKey()));
      }
    }

    for (Key key : keys.values()) {
      String text = null;
      String origin = "default";
      if (file.containsKey(key.name())) {
        text = file.get(key.name());
        origin = fileName;
      }
      if (env.containsKey(key.envName())) {
        text = env.get(key.envName());
        origin = "environment " + key.envName();
      }
      if (overrides.containsKey(key.name())) {
        text = overrides.get(key.name());
        origin = "command line";
      }
      Object value;
      if (text == null) {
        if (key.required()) {
          problems.add(
              key.name() + " is required (set it in the file or with " + key.envName() + ")");
          continue;
        }
        try {
          value = key.defaultValue().get();
        } catch (RuntimeException ex) {
          problems.add(key.name() + ": default cannot be computed: " + ex.getMessage());
          continue;
        }
      } else {
        try {
          value = key.type().parse(text);
        } catch (RuntimeException ex) {
          problems.add(
              key.name()
                  + " (from "
                  + origin
                  + ") must be "
                  + key.type().expected()
                  + ", got '"
                  + (key.secret() ? "***" : text.trim())
                  + "'");
          continue;
        }
      }
      String problem = key.validator().check(value);
      if (problem != null) {
        problems.add(key.name() + " (from " + origin + ") " + problem);
        continue;
      }
      values.put(key.name(), value);
      origins.put(key.name(), origin);
    }

    for (String prefix : passThrough.keySet()) {
      for (Map.Entry<String, String> e : file.entrySet()) {
        String k = e.getKey().trim();
        if (k.startsWith(prefix) && !keys.containsKey(k)) {
          passed.put(k, e.getValue().trim());
        }
      }
      String envPrefix = envName(prefix.substring(0, prefix.length() - 1)) + "_";
      for (Map.Entry<String, String> e : env.entrySet()) {
        String name = e.getKey();
        if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
          String k =
              prefix
                  + name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
          if (!keys.containsKey(k) && !isDeclaredEnv(name)) {
            passed.put(k, e.getValue().trim());
          }
        }
      }
      for (Map.Entry<String, String> e : overrides.entrySet()) {
        if (e.getKey().startsWith(prefix) && !keys.containsKey(e.getKey())) {
          passed.put(e.getKey(), e.getValue().trim());
        }
      }
    }

    for (Map.Entry<String, List<PassThroughCheck>> e : passThroughChecks.entrySet()) {
      String prefix = e.getKey();
      Map<String, String> under = new TreeMap<>();
      passed.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              under.put(k.substring(prefix.length()), v);
            }
          });
      for (PassThroughCheck check : e.getValue()) {
        try {
          problems.addAll(check.problems(Collections.unmodifiableMap(under)));
        } catch (RuntimeException ex) {
          // A check that fails is itself a reason not to start, and must not hide the others.
          problems.add(prefix + "* cannot be checked: " + ex);
        }
      }
    }

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Config(this, values, origins, passed);
  }

  private boolean isDeclaredEnv(String envName) {
    for (Key k : keys.values()) {
      if (k.envName().equals(envName)) {
        return true;
      }
    }
    return false;
  }

  private String prefixOf(String key) {
    for (String p : passThrough.keySet()) {
      if (key.startsWith(p) && key.length() > p.length()) {
        return p;
      }
    }
    return null;
  }

  private String suggestion(String unknown) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : keys.keySet()) {
      int d = distance(unknown, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(2, unknown.length() / 4)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  /** Levenshtein distance, for "did you mean" hints on misspelt keys. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Reads a Java properties file (ISO-8859-1 escapes as usual, UTF-8 text accepted). */
  public static Map<String, String> readProperties(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file);
        java.io.Reader reader =
            new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
      p.load(reader);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      out.put(name, p.getProperty(name));
    }
    return out;
  }

  /**
   * The keys as a Markdown table (key, environment variable, type, default, description), followed
   * by one row per pass-through prefix, for the reference docs.
   */
  public String toMarkdownTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | environment variable | type | default | description |\n");
    sb.append("| --- | --- | --- | --- | --- |\n");
    for (Key k : keys.values()) {
      sb.append("| `")
          .append(k.name())
          .append("` | `")
          .append(k.envName())
          .append("` | ")
          .append(k.type().name().toLowerCase(Locale.ROOT))
          .append(" | ")
          .append(k.defaultDoc().isEmpty() ? "(empty)" : "`" + cell(k.defaultDoc()) + "`")
          .append(" | ")
          .append(cell(k.description()))
          .append(" |\n");
    }
    for (Map.Entry<String, String> p : passThrough.entrySet()) {
      sb.append("| `")
          .append(p.getKey())
          .append("*` | `")
          .append(envName(p.getKey().substring(0, p.getKey().length() - 1)))
          .append("_*` | string | | ")
          .append(cell(p.getValue()))
          .append(" |\n");
    }
    return sb.toString();
  }

  /** The keys as plain text for {@code --help} footers: one paragraph per key. */
  public String toHelpText() {
    StringBuilder sb = new StringBuilder();
    for (Key k : keys.values()) {
      sb.append("  ")
          .append(k.name())
          .append(" (")
          .append(k.envName())
          .append(", default ")
          .append(k.defaultDoc().isEmpty() ? "empty" : k.defaultDoc())
          .append(")%n      ")
          .append(k.description().replace("%", "%%"))
          .append("%n");
    }
    for (Map.Entry<String, String> p : passThrough.entrySet()) {
      sb.append("  ")
          .append(p.getKey())
          .append("*%n      ")
          .append(p.getValue().replace("%", "%%"))
          .append("%n");
    }
    return sb.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  static long parseBytes(String s) {
    Matcher m = BYTES.matcher(s.replace("_", ""));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int shift =
        unit.isEmpty() || unit.equals("b")
            ? 0
            : switch (unit.charAt(0)) {
              case 'k' -> 10;
              case 'm' -> 20;
              case 'g' -> 30;
              case 't' -> 40;
              default -> throw new IllegalArgumentException("unknown unit " + unit);
            };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("too large");
    }
    return n << shift;
  }

  static String formatBytes(long n) {
    String[] units = {"TiB", "GiB", "MiB", "KiB"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (n >= unit && n % unit == 0) {
        return (n / unit) + units[i];
      }
    }
    return Long.toString(n);
  }

  @Override
  public String toString() {
    return "ConfigDef" + Arrays.toString(keys.keySet().toArray());
  }
}
