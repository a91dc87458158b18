package io.ursprung.db.prov;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks W3C PROV-JSON documents (W3C Member Submission 2013-04-24). The checks follow
 * the submission's schema: known section names, records keyed by qualified names with declared
 * prefixes, attribute values that are JSON literals, typed literals ({@code {"$": ..., "type":
 * ...}} or {@code {"$": ..., "lang": ...}}) or arrays of them, the formal attributes each relation
 * kind requires, and {@code xsd:dateTime} times. The first problem is reported with its JSON
 * pointer.
 */
public final class ProvDocuments {

  /** Shared mapper: decimals are kept exactly, so a number survives a round trip unchanged. */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Element sections. */
  public static final List<String> ELEMENTS = List.of("entity", "activity", "agent");

  /**
   * Relation sections and the formal attributes each requires (first) or allows; the order is the
   * one the exporter writes sections in.
   */
  public static final Map<String, List<String>> RELATIONS = new LinkedHashMap<>();

  /** Required formal attributes per relation section. */
  private static final Map<String, List<String>> REQUIRED = new LinkedHashMap<>();

  static {
    relation("used", List.of("prov:activity"), "prov:entity", "prov:time");
    relation("wasGeneratedBy", List.of("prov:entity"), "prov:activity", "prov:time");
    relation("wasInformedBy", List.of("prov:informed", "prov:informant"));
    relation(
        "wasDerivedFrom",
        List.of("prov:generatedEntity", "prov:usedEntity"),
        "prov:activity",
        "prov:generation",
        "prov:usage");
    relation("wasAssociatedWith", List.of("prov:activity"), "prov:agent", "prov:plan");
    relation("wasAttributedTo", List.of("prov:entity", "prov:agent"));
    relation("actedOnBehalfOf", List.of("prov:delegate", "prov:responsible"), "prov:activity");
    relation("wasStartedBy", List.of("prov:activity"), "prov:trigger", "prov:starter", "prov:time");
    relation("wasEndedBy", List.of("prov:activity"), "prov:trigger", "prov:ender", "prov:time");
    relation("wasInvalidatedBy", List.of("prov:entity"), "prov:activity", "prov:time");
    relation("wasInfluencedBy", List.of("prov:influencee", "prov:influencer"));
    relation("specializationOf", List.of("prov:specificEntity", "prov:generalEntity"));
    relation("alternateOf", List.of("prov:alternate1", "prov:alternate2"));
    relation("hadMember", List.of("prov:collection", "prov:entity"));
    relation("mentionOf", List.of("prov:specificEntity", "prov:generalEntity", "prov:bundle"));
  }

  private static void relation(String name, List<String> required, String... optional) {
    List<String> all = new java.util.ArrayList<>(required);
    all.addAll(List.of(optional));
    RELATIONS.put(name, List.copyOf(all));
    REQUIRED.put(name, required);
  }

  /** Formal attributes whose value is a time. */
  private static final Set<String> TIMES = Set.of("prov:time", "prov:startTime", "prov:endTime");

  /** Prefixes every document may use without declaring them. */
  private static final Set<String> BUILT_IN = Set.of("prov", "xsd", "_");

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private ProvDocuments() {}

  /** Parses and checks a document. */
  public static ObjectNode parse(String text) throws InvalidProvException {
    JsonNode doc;
    try {
      doc = JSON.readTree(text);
    } catch (JsonParseException e) {
      throw new InvalidProvException(
          "",
          "not JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidProvException("", "not JSON: " + e.getOriginalMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new InvalidProvException("", "a PROV-JSON document is a JSON object");
    }
    check((ObjectNode) doc);
    return (ObjectNode) doc;
  }

  /** Checks a parsed document. */
  public static void check(ObjectNode doc) throws InvalidProvException {
    check(doc, "", Map.of(), true);
  }

  private static void check(
      ObjectNode doc, String at, Map<String, String> outer, boolean bundlesAllowed)
      throws InvalidProvException {
    Map<String, String> prefixes = new LinkedHashMap<>(outer);
    JsonNode p = doc.get("prefix");
    if (p != null) {
      if (!p.isObject()) {
        throw new InvalidProvException(at + "/prefix", "prefix is an object of prefix: URI");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String here = at + "/prefix/" + escape(e.getKey());
        if (!e.getKey().equals("default") && !PREFIX.matcher(e.getKey()).matches()) {
          throw new InvalidProvException(here, "not a valid prefix name");
        }
        if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          throw new InvalidProvException(here, "a prefix maps to a namespace URI string");
        }
        prefixes.put(e.getKey(), e.getValue().asText());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      String section = s.getKey();
      String here = at + "/" + escape(section);
      if (section.equals("prefix")) {
        continue;
      }
      if (section.equals("bundle")) {
        if (!bundlesAllowed) {
          throw new InvalidProvException(here, "bundles cannot be nested");
        }
        JsonNode bundles = s.getValue();
        if (!bundles.isObject()) {
          throw new InvalidProvException(here, "bundle is an object of id: document");
        }
        for (Iterator<Map.Entry<String, JsonNode>> b = bundles.fields(); b.hasNext(); ) {
          Map.Entry<String, JsonNode> e = b.next();
          String bat = here + "/" + escape(e.getKey());
          checkId(e.getKey(), bat, prefixes);
          if (!e.getValue().isObject()) {
            throw new InvalidProvException(bat, "a bundle is a PROV-JSON document object");
          }
          check((ObjectNode) e.getValue(), bat, prefixes, false);
        }
        continue;
      }
      boolean element = ELEMENTS.contains(section);
      if (!element && !RELATIONS.containsKey(section)) {
        throw new InvalidProvException(
            here,
            "unknown section '"
                + section
                + "'; expected prefix, entity, activity, agent, bundle or a relation kind such"
                + " as used or wasGeneratedBy");
      }
      if (!s.getValue().isObject()) {
        throw new InvalidProvException(here, section + " is an object of id: attributes");
      }
      for (Iterator<Map.Entry<String, JsonNode>> r = s.getValue().fields(); r.hasNext(); ) {
        Map.Entry<String, JsonNode> rec = r.next();
        String rat = here + "/" + escape(rec.getKey());
        checkId(rec.getKey(), rat, prefixes);
        // PROV-JSON allows several records with one id as an array of attribute objects.
        if (rec.getValue().isArray()) {
          int i = 0;
          for (JsonNode one : rec.getValue()) {
            checkRecord(section, element, one, rat + "/" + i++, prefixes);
          }
        } else {
          checkRecord(section, element, rec.getValue(), rat, prefixes);
        }
      }
    }
  }

  private static void checkRecord(
      String section, boolean element, JsonNode rec, String at, Map<String, String> prefixes)
      throws InvalidProvException {
    if (!rec.isObject()) {
      throw new InvalidProvException(at, "a record is an object of attributes");
    }
    if (!element) {
      for (String req : REQUIRED.get(section)) {
        if (!rec.has(req)) {
          throw new InvalidProvException(at, section + " requires " + req);
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = rec.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> a = it.next();
      String name = a.getKey();
      String aat = at + "/" + escape(name);
      checkId(name, aat, prefixes);
      JsonNode v = a.getValue();
      boolean formal = !element && RELATIONS.get(section).contains(name) && !TIMES.contains(name);
      if (formal) {
        if (!v.isTextual() || v.asText().isEmpty()) {
          throw new InvalidProvException(aat, name + " must be the identifier of a record");
        }
        checkId(v.asText(), aat, prefixes);
      } else if (TIMES.contains(name)) {
        checkTime(v, aat);
      } else {
        checkValue(v, aat, true);
      }
    }
  }

  private static void checkTime(JsonNode v, String at) throws InvalidProvException {
    String text =
        v.isTextual() ? v.asText() : v.isObject() && v.has("$") ? v.get("$").asText() : null;
    if (text == null) {
      throw new InvalidProvException(at, "a time is an xsd:dateTime string");
    }
    try {
      OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidProvException(
          at, "not an xsd:dateTime with a time zone (2024-05-01T10:00:00Z): " + text);
    }
  }

  private static void checkValue(JsonNode v, String at, boolean arrayAllowed)
      throws InvalidProvException {
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return;
    }
    if (v.isArray() && arrayAllowed) {
      int i = 0;
      for (JsonNode x : v) {
        checkValue(x, at + "/" + i++, false);
      }
      return;
    }
    if (v.isObject()) {
      JsonNode lit = v.get("$");
      if (lit == null || !(lit.isTextual() || lit.isNumber() || lit.isBoolean())) {
        throw new InvalidProvException(
            at, "a typed value is {\"$\": <value>, \"type\": <qualified name>} or has \"lang\"");
      }
      for (Iterator<String> f = v.fieldNames(); f.hasNext(); ) {
        String k = f.next();
        if (!k.equals("$") && !k.equals("type") && !k.equals("lang")) {
          throw new InvalidProvException(at + "/" + escape(k), "unexpected key in a typed value");
        }
      }
      JsonNode type = v.get("type");
      if (type != null && (!type.isTextual() || type.asText().isEmpty())) {
        throw new InvalidProvException(at + "/type", "a type is a qualified name string");
      }
      JsonNode lang = v.get("lang");
      if (lang != null && !lang.isTextual()) {
        throw new InvalidProvException(at + "/lang", "a language tag is a string");
      }
      return;
    }
    throw new InvalidProvException(
        at, "an attribute value is a string, number, boolean, typed value or an array of them");
  }

  /** An identifier must be a qualified name whose prefix is declared (or built in). */
  private static void checkId(String id, String at, Map<String, String> prefixes)
      throws InvalidProvException {
    if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidProvException(at, "an identifier is a non-empty qualified name");
    }
    int colon = id.indexOf(':');
    if (colon < 0) {
      if (!prefixes.containsKey("default")) {
        throw new InvalidProvException(
            at, "'" + id + "' has no prefix and the document declares no default namespace");
      }
      return;
    }
    String prefix = id.substring(0, colon);
    if (!BUILT_IN.contains(prefix) && !prefixes.containsKey(prefix)) {
      throw new InvalidProvException(at, "prefix '" + prefix + "' is not declared");
    }
  }

  /** Escapes one JSON pointer reference token (RFC 6901). */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
