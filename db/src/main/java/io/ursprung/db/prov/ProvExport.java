package io.ursprung.db.prov;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.db.lineage.Edge;
import io.ursprung.db.lineage.FileNode;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.Node;
import io.ursprung.db.lineage.ProcessNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A lineage answer as a W3C PROV-JSON document: file versions are entities, processes are
 * activities, and each edge becomes a relation record of its PROV type with the formal attributes
 * that type defines ({@code prov:activity}/{@code prov:entity} for used, and so on).
 *
 * <p>The document is canonical: records are sorted by id and relation ids are derived from what the
 * relation connects, not from the order of the answer. Two answers with the same nodes and edges
 * give the same document, which is what makes export, import and export again give the same
 * document (docs/prov.md).
 */
public final class ProvExport {

  /** The namespace of Ursprung's own attributes. */
  public static final String NAMESPACE = "https://ursprung.dev/ns/prov#";

  /** The prefix bound to {@link #NAMESPACE} in exported documents. */
  public static final String PREFIX = "ursprung";

  /**
   * Records kept verbatim from imported documents, which take precedence over what the graph can
   * say about the same id (a version number, attributes of other vocabularies).
   */
  public interface Overlay {
    /** The imported attributes of the records of {@code section} among {@code ids}, by id. */
    Map<String, ObjectNode> records(String section, Collection<String> ids);

    /** Prefixes the imported records use, to be declared in the exported document. */
    Map<String, String> prefixes();

    /** No imported records. */
    Overlay NONE =
        new Overlay() {
          @Override
          public Map<String, ObjectNode> records(String section, Collection<String> ids) {
            return Map.of();
          }

          @Override
          public Map<String, String> prefixes() {
            return Map.of();
          }
        };
  }

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ProvExport() {}

  /** The document of a lineage answer. */
  public static ObjectNode of(LineageGraph g) {
    return of(g, Overlay.NONE);
  }

  /** The document of a lineage answer, with imported records laid over generated ones. */
  public static ObjectNode of(LineageGraph g, Overlay overlay) {
    Map<String, ObjectNode> entities = new TreeMap<>();
    Map<String, ObjectNode> activities = new TreeMap<>();
    for (Node n : g.nodes()) {
      if (n instanceof FileNode f) {
        entities.put(qname(f.id()), entity(f));
      } else if (n instanceof ProcessNode p) {
        activities.put(qname(p.id()), activity(p));
      }
    }
    Map<String, Map<String, ObjectNode>> relations = new LinkedHashMap<>();
    for (Edge e : g.edges()) {
      ObjectNode r = F.objectNode();
      switch (e.type()) {
        case "used" -> {
          r.put("prov:activity", qname(e.from()));
          r.put("prov:entity", qname(e.to()));
        }
        case "wasGeneratedBy" -> {
          r.put("prov:entity", qname(e.from()));
          r.put("prov:activity", qname(e.to()));
        }
        case "wasInformedBy" -> {
          r.put("prov:informed", qname(e.from()));
          r.put("prov:informant", qname(e.to()));
        }
        case "wasDerivedFrom" -> {
          r.put("prov:generatedEntity", qname(e.from()));
          r.put("prov:usedEntity", qname(e.to()));
        }
        default -> {
          continue;
        }
      }
      if (e.kind() != null) {
        r.put(PREFIX + ":kind", e.kind());
      }
      relations
          .computeIfAbsent(e.type(), k -> new TreeMap<>())
          .put(relationId(e.type(), e.from(), e.to(), e.kind()), r);
    }
    ObjectNode doc = F.objectNode();
    ObjectNode prefix = doc.putObject("prefix");
    prefix.put(PREFIX, NAMESPACE);
    new TreeMap<>(overlay.prefixes()).forEach(prefix::put);
    section(doc, "entity", entities, overlay);
    section(doc, "activity", activities, overlay);
    for (String kind : ProvDocuments.RELATIONS.keySet()) {
      Map<String, ObjectNode> records = relations.get(kind);
      if (records != null) {
        section(doc, kind, records, overlay);
      }
    }
    return doc;
  }

  private static void section(
      ObjectNode doc, String name, Map<String, ObjectNode> records, Overlay overlay) {
    Map<String, ObjectNode> imported = overlay.records(name, records.keySet());
    ObjectNode out = doc.putObject(name);
    records.forEach((id, generated) -> out.set(id, lay(imported.get(id), generated)));
  }

  /** Imported attributes first (in their order), then what only the graph knows. */
  private static ObjectNode lay(ObjectNode imported, ObjectNode generated) {
    if (imported == null) {
      return generated;
    }
    ObjectNode r = imported.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = generated.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!r.has(e.getKey())) {
        r.set(e.getKey(), e.getValue());
      }
    }
    return r;
  }

  private static ObjectNode entity(FileNode f) {
    ObjectNode e = F.objectNode();
    e.put("prov:type", PREFIX + ":FileVersion");
    put(e, "prov:label", f.path());
    put(e, PREFIX + ":path", f.path());
    put(e, PREFIX + ":host", f.host());
    e.put(PREFIX + ":version", f.version());
    put(e, PREFIX + ":fs", f.fs());
    e.put(PREFIX + ":inode", f.inode());
    if (f.size() != null) {
      e.put(PREFIX + ":size", f.size());
    }
    if (f.versionTime() != null) {
      e.set(PREFIX + ":versionTime", dateTime(f.versionTime().toString()));
    }
    return e;
  }

  private static ObjectNode activity(ProcessNode p) {
    ObjectNode a = F.objectNode();
    a.put("prov:type", PREFIX + ":Process");
    put(a, "prov:label", p.cmdline());
    if (p.start() != null) {
      a.put("prov:startTime", p.start().toString());
    }
    if (p.end() != null) {
      a.put("prov:endTime", p.end().toString());
    }
    put(a, PREFIX + ":host", p.host());
    a.put(PREFIX + ":pid", p.pid());
    put(a, PREFIX + ":cmdline", p.cmdline());
    put(a, PREFIX + ":cwd", p.cwd());
    put(a, PREFIX + ":user", p.user());
    if (p.uid() != null) {
      a.put(PREFIX + ":uid", p.uid());
    }
    if (p.exitCode() != null) {
      a.put(PREFIX + ":exitCode", p.exitCode());
    }
    put(a, PREFIX + ":exe", p.exe());
    return a;
  }

  private static ObjectNode dateTime(String lexical) {
    ObjectNode v = F.objectNode();
    v.put("$", lexical);
    v.put("type", "xsd:dateTime");
    return v;
  }

  /** A node id as a qualified name in the Ursprung namespace. */
  public static String qname(String nodeId) {
    return PREFIX + ":" + nodeId;
  }

  /**
   * The id of a relation record: a blank-node id derived from the relation's type, ends and kind,
   * so that it does not depend on the order of the answer.
   */
  public static String relationId(String type, String from, String to, String kind) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] d =
          md.digest(
              (type + "\n" + from + "\n" + to + "\n" + (kind == null ? "" : kind))
                  .getBytes(StandardCharsets.UTF_8));
      return "_:" + HexFormat.of().formatHex(d, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static void put(ObjectNode m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
