package io.ursprung.backend.prov;

import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.prov.ProvDocuments;
import io.ursprung.db.prov.ProvExport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lineage answer as a W3C PROV-JSON document. The document is made by {@link ProvExport} in the
 * db module, which {@code ursprung prov export} shares, so the API and the command give the same
 * document for the same answer.
 */
public final class ProvJson {

  /** The namespace of Ursprung's own attributes. */
  public static final String NAMESPACE = ProvExport.NAMESPACE;

  private ProvJson() {}

  /** The document, ready for a JSON mapper (keys in document order). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> of(LineageGraph g) {
    return ProvDocuments.JSON.convertValue(ProvExport.of(g), LinkedHashMap.class);
  }
}
