package io.ursprung.consumer.camflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.db.camflow.CamflowStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {

  static byte[] encode(String json) {
    Deflater d = new Deflater();
    d.setInput(json.getBytes(StandardCharsets.UTF_8));
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[256];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return Base64.getEncoder().encode(out.toByteArray());
  }

  static final String PARTIAL =
      "{\"prefix\":{\"cf\":\"http://www.camflow.org\"},"
          + "\"activity\":{\"AAA=\":{\"prov:type\":\"task\",\"cf:id\":\"7\",\"cf:pid\":42}},"
          + "\"used\":{\"UUU=\":{\"prov:type\":\"read\",\"prov:entity\":\"EEE/\","
          + "\"prov:activity\":\"AAA=\",\"cf:date\":\"2017:02:24T10:51:27\"}}}";

  @Test
  void decodesBase64OfZlibOfProvJsonIntoVerticesAndRelations() throws Exception {
    CamflowStore.Packet p = PacketDecoder.decode(encode(PARTIAL));
    assertEquals(1, p.vertices().size());
    assertEquals("activity", p.vertices().get(0).section());
    assertEquals(1, p.relations().size());
    CamflowStore.Relation r = p.relations().get(0);
    assertEquals("used", r.section());
    // Source of the flow first: the entity read, then the reading activity.
    assertEquals(List.of("EEE/", "AAA="), r.refs());
  }

  @Test
  void toleratesTrailingNulAndNewlineAndAMissingCfPrefix() throws Exception {
    String noPrefix = PARTIAL.replace("\"prefix\":{\"cf\":\"http://www.camflow.org\"},", "");
    byte[] b = encode(noPrefix);
    byte[] padded = new byte[b.length + 2];
    System.arraycopy(b, 0, padded, 0, b.length);
    padded[b.length] = '\n';
    assertEquals(1, PacketDecoder.decode(padded).relations().size());
  }

  @Test
  void namesTheStageABadPacketFailedAt() {
    assertReason("base64", "%%% no".getBytes(StandardCharsets.US_ASCII));
    assertReason("zlib", Base64.getEncoder().encode("plain".getBytes(StandardCharsets.UTF_8)));
    assertReason("json", encode("{\"entity\": {"));
    assertReason("structure", encode("[1, 2]"));
    assertReason("structure", encode("{\"entity\": [1]}"));
    assertReason("structure", encode("{\"used\": {\"_:u\": {\"prov:entity\": \"x:e\"}}}"));
    byte[] whole = encode(PARTIAL);
    byte[] truncated =
        Base64.getEncoder().encode(java.util.Arrays.copyOf(Base64.getDecoder().decode(whole), 10));
    assertReason("zlib", truncated);
  }

  private static void assertReason(String stage, byte[] payload) {
    BadPacketException e =
        assertThrows(BadPacketException.class, () -> PacketDecoder.decode(payload));
    assertTrue(e.getMessage().startsWith(stage + ":"), e.getMessage());
  }
}
