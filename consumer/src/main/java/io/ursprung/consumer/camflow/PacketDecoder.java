package io.ursprung.consumer.camflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.db.camflow.CamflowStore;
import io.ursprung.db.prov.InvalidProvException;
import io.ursprung.db.prov.ProvDocuments;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a CamFlow MQTT payload: Base64 text of a zlib stream (libprovenance {@code
 * compress64encode}) holding one W3C PROV-JSON document, usually a partial one. Every way a packet
 * can be bad is reported as a {@link BadPacketException} naming the stage (base64, zlib, json,
 * structure), because the dead-letter reason is what an operator reads.
 */
public final class PacketDecoder {

  /** Largest inflated document accepted, against zip bombs (CamFlow packets are kilobytes). */
  static final int MAX_INFLATED = 64 * 1024 * 1024;

  private static final String CAMFLOW_NS = "http://www.camflow.org";

  /**
   * The two ends of each relation kind the mapper uses, source of the flow first. Other formal
   * attributes (a derivation's activity, generation, usage) are not needed to map the relation and
   * must not keep it waiting.
   */
  static final Map<String, List<String>> ENDS =
      Map.of(
          "used", List.of("prov:entity", "prov:activity"),
          "wasGeneratedBy", List.of("prov:activity", "prov:entity"),
          "wasInformedBy", List.of("prov:informant", "prov:informed"),
          "wasDerivedFrom", List.of("prov:usedEntity", "prov:generatedEntity"));

  private PacketDecoder() {}

  /** Decodes a payload into vertices and relations. */
  public static CamflowStore.Packet decode(byte[] payload) throws BadPacketException {
    return packet(document(payload));
  }

  /** Base64, then zlib, then JSON. */
  static ObjectNode document(byte[] payload) throws BadPacketException {
    byte[] compressed;
    try {
      // camflowd ends the text with a NUL or newline at times; white space is not Base64.
      String text = new String(payload, StandardCharsets.US_ASCII).replaceAll("[\\s\\x00]", "");
      compressed = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new BadPacketException("base64: " + e.getMessage(), e);
    }
    byte[] json = inflate(compressed);
    JsonNode doc;
    try {
      doc = ProvDocuments.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadPacketException("json: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new BadPacketException("json: " + e.getMessage(), e);
    }
    if (doc == null || !doc.isObject()) {
      throw new BadPacketException("structure: a PROV-JSON document is a JSON object");
    }
    return (ObjectNode) doc;
  }

  private static byte[] inflate(byte[] compressed) throws BadPacketException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, compressed.length * 4));
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new BadPacketException("zlib: the compressed stream is truncated");
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_INFLATED) {
          throw new BadPacketException("zlib: inflates to more than " + MAX_INFLATED + " bytes");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new BadPacketException("zlib: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /** Checks the document as PROV-JSON and splits it into vertices and relations. */
  static CamflowStore.Packet packet(ObjectNode doc) throws BadPacketException {
    ObjectNode checked = doc.deepCopy();
    // camflowd declares cf: in every document, but a consumer should not reject a packet for
    // relying on the one prefix every CamFlow packet uses.
    // Some camflowd versions write bare Base64 ids: read them in CamFlow's namespace.
    JsonNode prefix = checked.get("prefix");
    if (prefix == null) {
      prefix = checked.putObject("prefix");
    }
    if (prefix.isObject()) {
      ((ObjectNode) prefix).putIfAbsent("cf", checked.textNode(CAMFLOW_NS));
      ((ObjectNode) prefix).putIfAbsent("default", checked.textNode(CAMFLOW_NS));
    }
    try {
      ProvDocuments.check(checked);
    } catch (InvalidProvException e) {
      throw new BadPacketException("structure: " + e.getMessage(), e);
    }
    List<CamflowStore.Vertex> vertices = new ArrayList<>();
    List<CamflowStore.Relation> relations = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> s = doc.fields(); s.hasNext(); ) {
      Map.Entry<String, JsonNode> section = s.next();
      String name = section.getKey();
      if (name.equals("prefix") || name.equals("bundle")) {
        continue;
      }
      boolean element = ProvDocuments.ELEMENTS.contains(name);
      for (Iterator<Map.Entry<String, JsonNode>> r = section.getValue().fields(); r.hasNext(); ) {
        Map.Entry<String, JsonNode> rec = r.next();
        JsonNode attrs = rec.getValue().isArray() ? rec.getValue().get(0) : rec.getValue();
        if (attrs == null) {
          continue;
        }
        ObjectNode a = (ObjectNode) attrs;
        if (element) {
          vertices.add(new CamflowStore.Vertex(rec.getKey(), name, a));
        } else {
          List<String> refs = new ArrayList<>();
          for (String formal : ENDS.getOrDefault(name, List.of())) {
            JsonNode v = a.get(formal);
            if (v != null && v.isTextual()) {
              refs.add(v.asText());
            }
          }
          relations.add(new CamflowStore.Relation(rec.getKey(), name, a, List.copyOf(refs)));
        }
      }
    }
    return new CamflowStore.Packet(vertices, relations);
  }
}
