package io.ursprung.db.lineage;

import io.ursprung.db.auth.Viewer;
import java.util.Optional;

/** Lineage walks and neighbourhoods, always filtered by what the viewer may see. */
public interface LineageService {

  /**
   * The lineage of a file named {@code path} on {@code host}: upstream from its latest version (or
   * version {@code version}), downstream from all its versions (or that one).
   *
   * @return empty when the file is unknown or invisible to the viewer
   */
  Optional<LineageGraph> fromFile(
      Viewer viewer,
      String host,
      String path,
      Integer version,
      Direction direction,
      int depth,
      int limit);

  /**
   * The lineage of a node (a process or a file version).
   *
   * @return empty when the node is unknown or invisible to the viewer
   */
  Optional<LineageGraph> fromNode(
      Viewer viewer, NodeId node, Direction direction, int depth, int limit);

  /**
   * The nodes one edge away from {@code node} in either direction, including fork parent and
   * children, {@code limit} at a time from {@code offset} in a stable order.
   *
   * @return empty when the node is unknown or invisible to the viewer
   */
  Optional<LineageGraph> neighbourhood(Viewer viewer, NodeId node, int offset, int limit);
}
