package io.ursprung.provd.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The framing of the control protocol: one JSON object per line, UTF-8. */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int PROTOCOL = 1;

  /** Longest line either side accepts; a request is small, a captured line at most 64 KiB. */
  static final int MAX_LINE_CHARS = 256 * 1024;

  private Wire() {}

  static void write(OutputStream out, ObjectNode message) throws IOException {
    byte[] b;
    try {
      b = JSON.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IOException("cannot encode " + message, e);
    }
    synchronized (out) {
      out.write(b);
      out.write('\n');
      out.flush();
    }
  }

  /** Reads one line; {@code null} at end of stream; refuses overlong lines. */
  static String readLine(BufferedReader in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        return sb.toString();
      }
      if (sb.length() >= MAX_LINE_CHARS) {
        throw new IOException("line longer than " + MAX_LINE_CHARS + " characters");
      }
      sb.append((char) c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  static JsonNode parse(String line) throws IOException {
    JsonNode n = JSON.readTree(line);
    if (n == null || !n.isObject()) {
      throw new IOException("expected a JSON object");
    }
    return n;
  }

  static ObjectNode message(String type) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", type);
    return n;
  }

  static BufferedReader reader(java.io.InputStream in) {
    return new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
