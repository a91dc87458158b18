package io.ursprung.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parsed, validated values of one {@link ConfigDef}. Immutable; a reload produces a new instance.
 *
 * <p>Asking for a key that was never declared is a programming error ({@link
 * IllegalArgumentException}), not a configuration problem: it fails in the first test that reaches
 * it.
 */
public final class Config {
  private final ConfigDef def;
  private final Map<String, Object> values;
  private final Map<String, String> origins;
  private final Map<String, String> passThrough;

  Config(
      ConfigDef def,
      Map<String, Object> values,
      Map<String, String> origins,
      Map<String, String> passThrough) {
    this.def = def;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    this.passThrough = Collections.unmodifiableMap(new LinkedHashMap<>(passThrough));
  }

  /** The typed value of a declared key. */
  public Object get(String key) {
    if (def.key(key) == null) {
      throw new IllegalArgumentException("undeclared configuration key " + key);
    }
    return values.get(key);
  }

  public String getString(String key) {
    return (String) typed(key, ConfigDef.Type.STRING);
  }

  public int getInt(String key) {
    return (Integer) typed(key, ConfigDef.Type.INT);
  }

  /** The value of a {@link ConfigDef.Type#LONG} or {@link ConfigDef.Type#BYTES} key. */
  public long getLong(String key) {
    ConfigDef.Type t = def.key(key) == null ? null : def.key(key).type();
    return (Long)
        typed(key, t == ConfigDef.Type.BYTES ? ConfigDef.Type.BYTES : ConfigDef.Type.LONG);
  }

  public double getDouble(String key) {
    return (Double) typed(key, ConfigDef.Type.DOUBLE);
  }

  public boolean getBoolean(String key) {
    return (Boolean) typed(key, ConfigDef.Type.BOOLEAN);
  }

  @SuppressWarnings("unchecked")
  public List<String> getList(String key) {
    return (List<String>) typed(key, ConfigDef.Type.LIST);
  }

  public Path getPath(String key) {
    return (Path) typed(key, ConfigDef.Type.PATH);
  }

  /**
   * The pass-through keys under {@code prefix}, with the prefix removed: {@code
   * kafka.sasl.mechanism=PLAIN} becomes {@code sasl.mechanism=PLAIN} for prefix {@code kafka.}.
   */
  public Map<String, String> passThrough(String prefix) {
    if (!def.passThroughPrefixes().containsKey(prefix)) {
      throw new IllegalArgumentException("undeclared pass-through prefix " + prefix);
    }
    Map<String, String> out = new LinkedHashMap<>();
    passThrough.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /** Where a key's value came from: {@code default}, the file name, the environment or the CLI. */
  public String origin(String key) {
    get(key);
    return origins.get(key);
  }

  /**
   * Every value with its origin, one per line, secrets and secret-looking pass-through values
   * masked: what a service logs at start-up so that an operator sees what is in force.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (ConfigDef.Key k : def.keys()) {
      Object v = values.get(k.name());
      sb.append(k.name())
          .append(" = ")
          .append(k.secret() ? "***" : k.type().format(v))
          .append("  (")
          .append(origins.get(k.name()))
          .append(")\n");
    }
    passThrough.forEach(
        (k, v) -> sb.append(k).append(" = ").append(looksSecret(k) ? "***" : v).append('\n'));
    return sb.toString();
  }

  private static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("token")
        || k.endsWith(".key");
  }

  private Object typed(String key, ConfigDef.Type expected) {
    ConfigDef.Key k = def.key(key);
    if (k == null) {
      throw new IllegalArgumentException("undeclared configuration key " + key);
    }
    if (k.type() != expected) {
      throw new IllegalArgumentException(key + " is declared as " + k.type() + ", not " + expected);
    }
    return values.get(key);
  }

  @Override
  public String toString() {
    return describe();
  }
}
