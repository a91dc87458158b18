package io.ursprung.db.lineage;

import java.util.List;

/**
 * A lineage answer: nodes nearest first, and the edges between them.
 *
 * @param nodes file versions and processes
 * @param edges relations between returned nodes
 * @param truncated whether the node limit cut the answer short
 */
public record LineageGraph(List<Node> nodes, List<Edge> edges, boolean truncated) {
  public LineageGraph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }
}
