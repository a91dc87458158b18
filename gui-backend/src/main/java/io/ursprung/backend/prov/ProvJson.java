package io.ursprung.backend.prov;

import io.ursprung.db.lineage.Edge;
import io.ursprung.db.lineage.FileNode;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.Node;
import io.ursprung.db.lineage.ProcessNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lineage answer as a W3C PROV-JSON document: file versions are entities, processes are
 * activities, and each edge becomes a relation record of its PROV type with the formal attributes
 * that type defines ({@code prov:activity}/{@code prov:entity} for used, and so on).
 */
public final class ProvJson {

  /** The namespace of Ursprung's own attributes. */
  public static final String NAMESPACE = "https://ursprung.dev/ns/prov#";

  private ProvJson() {}

  /** The document, ready for a JSON mapper. */
  public static Map<String, Object> of(LineageGraph g) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("prefix", Map.of("ursprung", NAMESPACE));
    Map<String, Object> entities = new LinkedHashMap<>();
    Map<String, Object> activities = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      if (n instanceof FileNode f) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("prov:type", "ursprung:FileVersion");
        e.put("prov:label", f.path());
        put(e, "ursprung:path", f.path());
        put(e, "ursprung:host", f.host());
        put(e, "ursprung:version", f.version());
        put(e, "ursprung:fs", f.fs());
        put(e, "ursprung:inode", f.inode());
        put(e, "ursprung:size", f.size());
        if (f.versionTime() != null) {
          put(e, "ursprung:versionTime", f.versionTime().toString());
        }
        entities.put(qname(f.id()), e);
      } else if (n instanceof ProcessNode p) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("prov:type", "ursprung:Process");
        put(a, "prov:label", p.cmdline());
        if (p.start() != null) {
          a.put("prov:startTime", p.start().toString());
        }
        if (p.end() != null) {
          a.put("prov:endTime", p.end().toString());
        }
        put(a, "ursprung:host", p.host());
        put(a, "ursprung:pid", p.pid());
        put(a, "ursprung:cmdline", p.cmdline());
        put(a, "ursprung:cwd", p.cwd());
        put(a, "ursprung:user", p.user());
        put(a, "ursprung:exitCode", p.exitCode());
        put(a, "ursprung:exe", p.exe());
        activities.put(qname(p.id()), a);
      }
    }
    doc.put("entity", entities);
    doc.put("activity", activities);
    Map<String, Map<String, Object>> relations = new LinkedHashMap<>();
    int n = 0;
    for (Edge e : g.edges()) {
      Map<String, Object> r = new LinkedHashMap<>();
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
      put(r, "ursprung:kind", e.kind());
      relations.computeIfAbsent(e.type(), k -> new LinkedHashMap<>()).put("_:r" + (++n), r);
    }
    doc.putAll(relations);
    return doc;
  }

  /** A node id as a qualified name in the ursprung namespace. */
  static String qname(String id) {
    return "ursprung:" + id;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
