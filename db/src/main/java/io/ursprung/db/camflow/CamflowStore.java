package io.ursprung.db.camflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.graph.Rows;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Stores CamFlow packets: each packet, with the relations it completes, in one transaction under
 * the host's advisory lock.
 *
 * <p>A packet is a partial PROV-JSON document. Its vertices are kept ({@code camflow_vertices});
 * each of its relations is mapped to graph rows when all vertices it names are known (from this or
 * an earlier packet), and otherwise kept in {@code camflow_pending} until a later packet brings the
 * missing vertex. Processes get a stable identity on first sight ({@code camflow_processes}). The
 * packet's digest is recorded last ({@code camflow_packets}), so a packet delivered again after the
 * commit is skipped, and one delivered again after a failed transaction is applied afresh.
 */
public final class CamflowStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;
  private final GraphStore graph;

  public CamflowStore(DataSource dataSource, GraphStore graph) {
    this.dataSource = dataSource;
    this.graph = graph;
  }

  /**
   * A vertex: one version of a kernel object.
   *
   * @param id the CamFlow id
   * @param section entity, activity or agent
   * @param attributes its PROV-JSON attributes
   */
  public record Vertex(String id, String section, ObjectNode attributes) {}

  /**
   * A relation.
   *
   * @param id the CamFlow id
   * @param section the PROV relation kind (used, wasGeneratedBy, ...)
   * @param attributes its PROV-JSON attributes
   * @param refs the ids of the vertices it names
   */
  public record Relation(String id, String section, ObjectNode attributes, List<String> refs) {}

  /** A decoded packet. */
  public record Packet(List<Vertex> vertices, List<Relation> relations) {}

  /**
   * What storing a packet did.
   *
   * @param duplicate the packet was stored before; nothing was written
   * @param mapped relations mapped to the graph (from this packet and pending ones it completed)
   * @param pending relations of this packet left waiting for vertices
   */
  public record Result(boolean duplicate, int mapped, int pending) {}

  /** A process identity. */
  public record ProcessId(int pid, Instant start) {}

  /** Turns vertices and complete relations into graph rows. */
  public interface Mapper {
    /**
     * Adds the rows of the packet's vertices and of the relations whose vertices are all in {@code
     * known}.
     *
     * @param host the graph host of the machine
     * @param vertices the packet's vertices
     * @param relations complete relations (this packet's and pending ones now complete)
     * @param known every vertex the relations name, by id
     * @param context process identities and stored names
     * @param batch where rows go
     */
    void map(
        String host,
        List<Vertex> vertices,
        List<Relation> relations,
        Map<String, Vertex> known,
        Context context,
        GraphBatch batch)
        throws SQLException;

    /** Whether relations of this kind are ever mapped (others are not kept pending). */
    boolean maps(String section);
  }

  /** What the mapper may ask the store inside the packet's transaction. */
  public interface Context {
    /**
     * The process identity of CamFlow object (bootId, objectId), fixed on first sight with {@code
     * pid} and {@code start}.
     */
    ProcessId process(String bootId, String objectId, int pid, Instant start) throws SQLException;

    /** The latest name stored for a file, if any. */
    Optional<String> path(Rows.FileKey file) throws SQLException;
  }

  /**
   * The graph host of a machine; the first mapping stays. {@code announced} is the host name the
   * machine gave, or null.
   */
  public String machine(String machineId, String announced, Instant now) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO camflow_machines AS m (machine_id, host, first_seen, last_seen)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (machine_id) DO UPDATE SET"
                    + " last_seen = GREATEST(m.last_seen, EXCLUDED.last_seen) RETURNING host")) {
      ps.setString(1, machineId);
      ps.setString(2, announced != null ? announced : "camflow-" + machineId);
      ps.setTimestamp(3, Timestamp.from(now));
      ps.setTimestamp(4, Timestamp.from(now));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Known machines and their hosts (to subscribe again after a restart). */
  public Map<String, String> machines() throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT machine_id, host FROM camflow_machines ORDER BY machine_id")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  /** Sets a packet aside with the reason it could not be used. */
  public void deadLetter(String topic, String machineId, String reason, byte[] payload)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO camflow_dead_letters (topic, machine_id, reason, payload)"
                    + " VALUES (?, ?, ?, ?)")) {
      ps.setString(1, topic);
      ps.setString(2, machineId);
      ps.setString(3, reason);
      ps.setBytes(4, payload);
      ps.executeUpdate();
    }
  }

  /** Dead letters stored so far. */
  public long deadLetters() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM camflow_dead_letters")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Relations still waiting for a vertex. */
  public long pending() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM camflow_pending")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Stores a packet of {@code host} with the relations it completes, in one transaction.
   *
   * @param digest the SHA-256 of the packet's payload (hex)
   */
  public Result store(String host, String digest, Packet packet, Mapper mapper, Instant now)
      throws SQLException {
    return graph.inTransaction(
        List.of(host),
        tx -> {
          Connection c = tx.connection();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT 1 FROM camflow_packets WHERE host = ? AND digest = ?")) {
            ps.setString(1, host);
            ps.setString(2, digest);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                return new Result(true, 0, 0);
              }
            }
          }
          saveVertices(c, host, packet.vertices());
          Map<String, Vertex> known = new HashMap<>();
          for (Vertex v : packet.vertices()) {
            known.put(v.id(), v);
          }
          // The relations to try: this packet's, and those waiting for one of its vertices.
          Map<String, Relation> candidates = new LinkedHashMap<>();
          for (Relation r : waitingFor(c, host, known.keySet())) {
            candidates.put(r.id(), r);
          }
          for (Relation r : packet.relations()) {
            if (mapper.maps(r.section())) {
              candidates.putIfAbsent(r.id(), r);
            }
          }
          Set<String> missing = new LinkedHashSet<>();
          for (Relation r : candidates.values()) {
            for (String ref : r.refs()) {
              if (!known.containsKey(ref)) {
                missing.add(ref);
              }
            }
          }
          known.putAll(loadVertices(c, host, missing));
          List<Relation> ready = new ArrayList<>();
          List<Relation> waiting = new ArrayList<>();
          for (Relation r : candidates.values()) {
            (known.keySet().containsAll(r.refs()) ? ready : waiting).add(r);
          }
          GraphBatch batch = new GraphBatch();
          Map<String, ProcessId> cache = new HashMap<>();
          Context context =
              new Context() {
                @Override
                public ProcessId process(String boot, String object, int pid, Instant start)
                    throws SQLException {
                  String k = boot + "\n" + object;
                  ProcessId p = cache.get(k);
                  if (p == null) {
                    p = processId(c, host, boot, object, pid, start);
                    cache.put(k, p);
                  }
                  return p;
                }

                @Override
                public Optional<String> path(Rows.FileKey file) throws SQLException {
                  return storedPath(c, file);
                }
              };
          mapper.map(host, packet.vertices(), ready, known, context, batch);
          batch.seen(host, "host", now);
          tx.write(batch);
          int newlyPending = 0;
          Set<String> fromPacket = new LinkedHashSet<>();
          for (Relation r : packet.relations()) {
            fromPacket.add(r.id());
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO camflow_pending (host, relation_id, section, attributes, refs,"
                      + " received_at) VALUES (?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Relation r : waiting) {
              if (!fromPacket.contains(r.id())) {
                continue; // already pending
              }
              newlyPending++;
              ps.setString(1, host);
              ps.setString(2, r.id());
              ps.setString(3, r.section());
              ps.setString(4, json(r.attributes()));
              ps.setArray(5, c.createArrayOf("text", r.refs().toArray()));
              ps.setTimestamp(6, Timestamp.from(now));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          if (!ready.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "DELETE FROM camflow_pending WHERE host = ? AND relation_id = ANY (?)")) {
              ps.setString(1, host);
              ps.setArray(2, c.createArrayOf("text", ready.stream().map(Relation::id).toArray()));
              ps.executeUpdate();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO camflow_packets (host, digest, received_at, vertices, relations)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, host);
            ps.setString(2, digest);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setInt(4, packet.vertices().size());
            ps.setInt(5, packet.relations().size());
            ps.executeUpdate();
          }
          return new Result(false, ready.size(), newlyPending);
        });
  }

  private static void saveVertices(Connection c, String host, List<Vertex> vertices)
      throws SQLException {
    if (vertices.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO camflow_vertices (host, vertex_id, section, attributes)"
                + " VALUES (?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
      for (Vertex v : vertices) {
        ps.setString(1, host);
        ps.setString(2, v.id());
        ps.setString(3, v.section());
        ps.setString(4, json(v.attributes()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static Map<String, Vertex> loadVertices(Connection c, String host, Collection<String> ids)
      throws SQLException {
    Map<String, Vertex> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT vertex_id, section, attributes::text FROM camflow_vertices"
                + " WHERE host = ? AND vertex_id = ANY (?)")) {
      ps.setString(1, host);
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(
              rs.getString(1), new Vertex(rs.getString(1), rs.getString(2), obj(rs.getString(3))));
        }
      }
    }
    return out;
  }

  private static List<Relation> waitingFor(Connection c, String host, Collection<String> ids)
      throws SQLException {
    List<Relation> out = new ArrayList<>();
    if (ids.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT relation_id, section, attributes::text, refs FROM camflow_pending"
                + " WHERE host = ? AND refs && ? ORDER BY received_at, relation_id")) {
      ps.setString(1, host);
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array refs = rs.getArray(4);
          out.add(
              new Relation(
                  rs.getString(1),
                  rs.getString(2),
                  obj(rs.getString(3)),
                  List.of((String[]) refs.getArray())));
        }
      }
    }
    return out;
  }

  private static ProcessId processId(
      Connection c, String host, String boot, String object, int pid, Instant start)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO camflow_processes (host, boot_id, object_id, pid, start_time)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, host);
      ps.setString(2, boot);
      ps.setString(3, object);
      ps.setInt(4, pid);
      ps.setTimestamp(5, Timestamp.from(start));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pid, start_time FROM camflow_processes"
                + " WHERE host = ? AND boot_id = ? AND object_id = ?")) {
      ps.setString(1, host);
      ps.setString(2, boot);
      ps.setString(3, object);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new ProcessId(rs.getInt(1), rs.getTimestamp(2).toInstant());
      }
    }
  }

  private static Optional<String> storedPath(Connection c, Rows.FileKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT path FROM file_names WHERE host = ? AND fs = ? AND inode = ?"
                + " ORDER BY time DESC LIMIT 1")) {
      ps.setString(1, key.host());
      ps.setString(2, key.fs());
      ps.setLong(3, key.inode());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static String json(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode obj(String text) throws SQLException {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored CamFlow attributes are not JSON: " + e.getMessage(), e);
    }
  }
}
