package io.ursprung.db.lineage;

/**
 * A node of a lineage answer: a {@link FileNode} or a {@link ProcessNode}. {@code type} is {@code
 * file} or {@code process}; {@code depth} is the number of edges from the nearest start node.
 */
public sealed interface Node permits FileNode, ProcessNode {
  /** The node id ({@link NodeId} text form). */
  String id();

  /** {@code file} or {@code process}. */
  String type();

  /** Edges from the nearest start node. */
  int depth();
}
