package io.ursprung.db.prov;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.graph.Rows;
import io.ursprung.db.lineage.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Imports PROV-JSON documents into the store and gives them back.
 *
 * <p>An import keeps every record verbatim ({@code prov_documents}, {@code prov_records}) and
 * writes what the graph can hold natively into the graph tables, in one transaction: activities and
 * entities identified in the Ursprung namespace (ids as {@link NodeId} text, as {@link ProvExport}
 * writes them) become processes and file versions, and used / wasGeneratedBy / wasInformedBy /
 * wasDerivedFrom between them become edges, so lineage queries, the API and the GUI see imported
 * provenance. Importing the same document twice changes nothing (the document id is the SHA-256 of
 * its text; graph rows are keyed by what they connect).
 */
public final class ProvStore {

  /** The {@code source} of graph rows written by an import. */
  public static final String SOURCE = "prov";

  private final DataSource dataSource;
  private final GraphStore graph;

  public ProvStore(DataSource dataSource, GraphStore graph) {
    this.dataSource = dataSource;
    this.graph = graph;
  }

  /**
   * What an import did.
   *
   * @param docId the document id (SHA-256 of the text)
   * @param alreadyImported whether the document was there before (nothing was written)
   * @param records records kept verbatim
   * @param processes processes written to the graph
   * @param versions file versions written to the graph
   * @param edges edges written to the graph
   */
  public record ImportResult(
      String docId, boolean alreadyImported, int records, int processes, int versions, int edges) {}

  /** An imported document. */
  public record DocumentInfo(String docId, String name, Instant importedAt) {}

  /**
   * Checks and imports a document.
   *
   * @throws InvalidProvException when it is not a valid PROV-JSON document (nothing is written)
   */
  public ImportResult importDocument(String name, String text)
      throws InvalidProvException, SQLException {
    ObjectNode doc = ProvDocuments.parse(text);
    String docId = sha256(text);
    NativeMapping mapping = new NativeMapping(doc);
    GraphBatch batch = mapping.batch;
    return graph.inTransaction(
        batch.lockHosts(),
        tx -> {
          Connection c = tx.connection();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO prov_documents (doc_id, name, prefixes, document) VALUES (?, ?, ?,"
                      + " ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, docId);
            ps.setString(2, name);
            ps.setString(3, text(doc.has("prefix") ? doc.get("prefix") : doc.objectNode()));
            ps.setString(4, text);
            if (ps.executeUpdate() == 0) {
              return new ImportResult(docId, true, 0, 0, 0, 0);
            }
          }
          int records = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO prov_records (doc_id, section, record_id, position, attributes)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Iterator<Map.Entry<String, JsonNode>> s = doc.fields(); s.hasNext(); ) {
              Map.Entry<String, JsonNode> section = s.next();
              if (section.getKey().equals("prefix")) {
                continue;
              }
              for (Iterator<Map.Entry<String, JsonNode>> r = section.getValue().fields();
                  r.hasNext(); ) {
                Map.Entry<String, JsonNode> rec = r.next();
                ps.setString(1, docId);
                ps.setString(2, section.getKey());
                ps.setString(3, rec.getKey());
                ps.setInt(4, records++);
                ps.setString(5, text(rec.getValue()));
                ps.addBatch();
              }
            }
            ps.executeBatch();
          }
          mapping.addNewVersions(c);
          tx.write(batch);
          return new ImportResult(
              docId,
              false,
              records,
              batch.processRows().size(),
              batch.versionRows().size(),
              batch.usedRows().size()
                  + batch.informedRows().size()
                  + batch.derivedRows().size()
                  + mapping.generations);
        });
  }

  /** The text of an imported document, exactly as it was imported. */
  public Optional<String> document(String docId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT document FROM prov_documents WHERE doc_id = ?")) {
      ps.setString(1, docId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** The imported documents, newest first. */
  public List<DocumentInfo> documents() throws SQLException {
    List<DocumentInfo> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT doc_id, name, imported_at FROM prov_documents"
                    + " ORDER BY imported_at DESC, doc_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new DocumentInfo(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
      }
    }
    return out;
  }

  /**
   * Imported records for {@link ProvExport#of(io.ursprung.db.lineage.LineageGraph,
   * ProvExport.Overlay)}: the most recently imported record of each id wins.
   */
  public ProvExport.Overlay overlay() {
    Map<String, String> prefixes = new LinkedHashMap<>();
    return new ProvExport.Overlay() {
      @Override
      public Map<String, ObjectNode> records(String section, Collection<String> ids) {
        Map<String, ObjectNode> out = new HashMap<>();
        if (ids.isEmpty()) {
          return out;
        }
        try (Connection c = dataSource.getConnection();
            PreparedStatement ps =
                c.prepareStatement(
                    "SELECT DISTINCT ON (r.record_id) r.record_id, r.attributes, d.prefixes"
                        + " FROM prov_records r JOIN prov_documents d USING (doc_id)"
                        + " WHERE r.section = ? AND r.record_id = ANY (?)"
                        + " ORDER BY r.record_id, d.imported_at DESC, d.doc_id")) {
          ps.setString(1, section);
          ps.setArray(2, c.createArrayOf("text", ids.toArray()));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              JsonNode attrs = ProvDocuments.JSON.readTree(rs.getString(2));
              if (attrs.isObject()) {
                out.put(rs.getString(1), (ObjectNode) attrs);
                ProvDocuments.JSON
                    .readTree(rs.getString(3))
                    .fields()
                    .forEachRemaining(
                        e -> {
                          if (!e.getKey().equals(ProvExport.PREFIX)) {
                            prefixes.putIfAbsent(e.getKey(), e.getValue().asText());
                          }
                        });
              }
            }
          }
        } catch (SQLException | JsonProcessingException e) {
          throw new IllegalStateException("cannot read imported PROV records: " + e, e);
        }
        return out;
      }

      @Override
      public Map<String, String> prefixes() {
        return prefixes;
      }
    };
  }

  private static String text(JsonNode n) {
    try {
      return ProvDocuments.JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What of a document the graph holds natively. Package-private so that the mapping can be tested
   * without a database.
   */
  static final class NativeMapping {
    final GraphBatch batch = new GraphBatch();
    final Map<String, NodeId.Process> processes = new LinkedHashMap<>();
    final Map<String, FileEntity> files = new LinkedHashMap<>();
    final List<Rows.Version> versions = new ArrayList<>();
    int generations;
    private final String ns;

    /** A file version entity with what relations say about it. */
    static final class FileEntity {
      final NodeId.FileVersion id;
      final String path;
      final Long size;
      String cause;
      NodeId.Process writer;

      FileEntity(NodeId.FileVersion id, String path, Long size) {
        this.id = id;
        this.path = path;
        this.size = size;
      }

      Rows.FileKey key() {
        return new Rows.FileKey(id.host(), id.fs(), id.inode());
      }
    }

    NativeMapping(ObjectNode doc) {
      ns = ursprungPrefix(doc);
      if (ns == null) {
        return;
      }
      records(doc, "activity")
          .forEach(
              (id, a) -> {
                NodeId node = node(id);
                if (node instanceof NodeId.Process p) {
                  processes.put(id, p);
                  process(p, a);
                }
              });
      records(doc, "entity")
          .forEach(
              (id, e) -> {
                NodeId node = node(id);
                if (node instanceof NodeId.FileVersion f) {
                  files.put(
                      id, new FileEntity(f, str(e.get(ns + "path")), lng(e.get(ns + "size"))));
                }
              });
      records(doc, "wasGeneratedBy")
          .forEach(
              (rid, r) -> {
                FileEntity f = files.get(str(r.get("prov:entity")));
                NodeId.Process p = processes.get(str(r.get("prov:activity")));
                if (f != null && p != null) {
                  f.writer = p;
                  f.cause = kind(r, "write");
                  generations++;
                }
              });
      records(doc, "wasDerivedFrom")
          .forEach(
              (rid, r) -> {
                FileEntity to = files.get(str(r.get("prov:generatedEntity")));
                FileEntity from = files.get(str(r.get("prov:usedEntity")));
                if (to == null || from == null) {
                  return;
                }
                String kind = kind(r, "rename");
                if (to.key().equals(from.key()) && kind.equals("rename")) {
                  // Ursprung keeps a rename as a version of the same inode made by the rename.
                  if (to.cause == null) {
                    to.cause = "rename";
                  }
                } else if (to.id.host().equals(from.id.host())) {
                  batch.derived(
                      new Rows.Derived(
                          edgeId("wasDerivedFrom", rid, r),
                          kind,
                          to.key(),
                          to.path,
                          from.key(),
                          from.path,
                          time(to),
                          null,
                          null,
                          null));
                }
              });
      for (FileEntity f : files.values()) {
        Instant t = f.id.versionTime();
        Instant seen = t != null ? t : firstVersion(f.key()).orElse(Instant.now());
        batch.file(f.key(), null, seen);
        batch.seen(f.id.host(), "host", seen);
        if (f.path != null) {
          batch.name(
              new Rows.FileName(
                  "prov:" + f.id.text(), f.path, "open", f.key(), seen, null, null, null));
        }
        if (t != null) {
          NodeId.Process w = f.writer;
          versions.add(
              new Rows.Version(
                  "prov:" + f.id.text(),
                  f.key(),
                  t,
                  f.cause != null ? f.cause : "write",
                  f.path,
                  f.size,
                  w == null ? null : w.host(),
                  w == null ? null : w.pid(),
                  w == null ? null : w.start(),
                  SOURCE));
        }
      }
      records(doc, "used")
          .forEach(
              (rid, r) -> {
                NodeId.Process p = processes.get(str(r.get("prov:activity")));
                FileEntity f = files.get(str(r.get("prov:entity")));
                if (p == null || f == null) {
                  return;
                }
                batch.used(
                    new Rows.Used(
                        p.host(),
                        edgeId("used", rid, r),
                        kind(r, "read"),
                        p.pid(),
                        p.start(),
                        readTime(p, f, r),
                        f.key(),
                        f.path,
                        SOURCE));
              });
      records(doc, "wasInformedBy")
          .forEach(
              (rid, r) -> {
                NodeId.Process informed = processes.get(str(r.get("prov:informed")));
                NodeId.Process informant = processes.get(str(r.get("prov:informant")));
                if (informed == null
                    || informant == null
                    || !informed.host().equals(informant.host())) {
                  return;
                }
                Instant t =
                    informed.start().isAfter(informant.start())
                        ? informed.start()
                        : informant.start();
                batch.informed(
                    new Rows.Informed(
                        informed.host(),
                        edgeId("wasInformedBy", rid, r),
                        kind(r, "pipe"),
                        informed.pid(),
                        informed.start(),
                        informant.pid(),
                        informant.start(),
                        t,
                        null));
              });
    }

    /**
     * The time a process read a version: the relation's {@code prov:time} when given, else the
     * version's own time (the earliest read that sees exactly that version), else just before the
     * first version of the file (the content from before capture).
     */
    private Instant readTime(NodeId.Process p, FileEntity f, JsonNode r) {
      Instant given = instant(r.get("prov:time"));
      if (given != null) {
        return given;
      }
      if (f.id.versionTime() != null) {
        return f.id.versionTime();
      }
      Optional<Instant> first = firstVersion(f.key());
      Instant t = p.start();
      if (first.isPresent() && !first.get().isAfter(t)) {
        t = first.get().minus(1, ChronoUnit.MICROS);
      }
      return t;
    }

    private Optional<Instant> firstVersion(Rows.FileKey key) {
      return files.values().stream()
          .filter(x -> x.key().equals(key) && x.id.versionTime() != null)
          .map(x -> x.id.versionTime())
          .min(Instant::compareTo);
    }

    private Instant time(FileEntity f) {
      return f.id.versionTime() != null
          ? f.id.versionTime()
          : firstVersion(f.key()).orElse(Instant.EPOCH);
    }

    private void process(NodeId.Process p, JsonNode a) {
      batch.seen(p.host(), "host", p.start());
      String cmdline = str(a.get(ns + "cmdline"));
      Integer uid = a.has(ns + "uid") ? (int) (long) lng(a.get(ns + "uid")) : null;
      String user = str(a.get(ns + "user"));
      if (user != null && uid != null && user.equals(Integer.toString(uid))) {
        user = null; // the exporter writes the uid as text when the name is unknown
      }
      batch
          .process(p.host(), p.pid(), p.start())
          .program(
              p.start(),
              str(a.get(ns + "exe")),
              cmdline == null ? null : Arrays.asList(cmdline.split(" ", -1)),
              str(a.get(ns + "cwd")),
              uid,
              null,
              null,
              null,
              null,
              user,
              null,
              null);
      Instant end = instant(a.get("prov:endTime"));
      if (end != null) {
        Long code = lng(a.get(ns + "exitCode"));
        batch
            .process(p.host(), p.pid(), p.start())
            .exited(end, code == null ? null : (int) (long) code, null, "exit");
      }
    }

    /**
     * Adds the versions to the batch except those the graph already has (same inode and time, made
     * by another event), so that importing an export into its own store doubles none.
     */
    void addNewVersions(Connection c) throws SQLException {
      if (versions.isEmpty()) {
        return;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT 1 FROM file_versions WHERE host = ? AND fs = ? AND inode = ?"
                  + " AND version_time = ? AND event_id <> ?")) {
        for (Rows.Version v : versions) {
          ps.setString(1, v.file().host());
          ps.setString(2, v.file().fs());
          ps.setLong(3, v.file().inode());
          ps.setTimestamp(4, Timestamp.from(v.time()));
          ps.setString(5, v.eventId());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              batch.version(v);
            }
          }
        }
      }
    }

    private String edgeId(String type, String rid, JsonNode r) {
      // Relation ids are often blank nodes, unique only within their document: key the edge by
      // what it connects instead, so the same edge imported from two documents is one row.
      StringBuilder sb = new StringBuilder(type);
      TreeSet<String> names = new TreeSet<>();
      r.fieldNames().forEachRemaining(names::add);
      for (String k : names) {
        if (k.startsWith("prov:") || k.equals(ns + "kind")) {
          sb.append('\n').append(k).append('=').append(str(r.get(k)));
        }
      }
      return "prov:" + sha256(sb.toString()).substring(0, 32);
    }

    private String kind(JsonNode r, String dflt) {
      String k = str(r.get(ns + "kind"));
      return k != null ? k : dflt;
    }

    private NodeId node(String id) {
      if (!id.startsWith(ns)) {
        return null;
      }
      try {
        return NodeId.parse(id.substring(ns.length()));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    /** The {@code prefix:} bound to the Ursprung namespace, or null when none is. */
    private static String ursprungPrefix(ObjectNode doc) {
      JsonNode p = doc.get("prefix");
      if (p == null) {
        return null;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (ProvExport.NAMESPACE.equals(e.getValue().asText()) && !e.getKey().equals("default")) {
          return e.getKey() + ":";
        }
      }
      return null;
    }

    private static Map<String, JsonNode> records(ObjectNode doc, String section) {
      Map<String, JsonNode> out = new LinkedHashMap<>();
      JsonNode s = doc.get(section);
      if (s != null) {
        s.fields()
            .forEachRemaining(
                e -> {
                  JsonNode v = e.getValue();
                  // Several records under one id: the graph takes the first.
                  out.put(e.getKey(), v.isArray() ? v.get(0) : v);
                });
      }
      return out;
    }
  }

  /** The text of a value: a literal, or the lexical form of a typed value. */
  static String str(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isObject() && v.has("$")) {
      return v.get("$").asText();
    }
    if (v.isArray()) {
      return v.isEmpty() ? null : str(v.get(0));
    }
    return v.asText();
  }

  static Long lng(JsonNode v) {
    String s = str(v);
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Instant instant(JsonNode v) {
    String s = str(v);
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
