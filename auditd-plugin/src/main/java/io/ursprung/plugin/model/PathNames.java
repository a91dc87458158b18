package io.ursprung.plugin.model;

/** Lexical path handling: joining a relative name to a directory and normalising the result. */
final class PathNames {
  private PathNames() {}

  /** The absolute, normalised form of name relative to base; null when it cannot be known. */
  static String resolve(String base, String name) {
    if (name == null) {
      return null;
    }
    if (!name.isEmpty() && name.charAt(0) == '/') {
      return normalize(name);
    }
    if (base == null || base.isEmpty() || base.charAt(0) != '/') {
      return null;
    }
    if (name.isEmpty()) {
      return normalize(base);
    }
    String joined = base.endsWith("/") ? base + name : base + "/" + name;
    return normalize(joined);
  }

  /**
   * Collapses repeated slashes, "." and ".." (lexically: a symlinked directory followed by ".." is
   * not resolved the way the kernel would, which only matters for odd names) and a trailing slash.
   */
  static String normalize(String p) {
    if (isNormal(p)) {
      return p;
    }
    String[] parts = p.split("/");
    String[] stack = new String[parts.length];
    int n = 0;
    for (String s : parts) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (n > 0) {
          n--;
        }
        continue;
      }
      stack[n++] = s;
    }
    if (n == 0) {
      return "/";
    }
    StringBuilder sb = new StringBuilder(p.length());
    for (int i = 0; i < n; i++) {
      sb.append('/').append(stack[i]);
    }
    return sb.toString();
  }

  private static boolean isNormal(String p) {
    int n = p.length();
    if (n == 0 || p.charAt(0) != '/') {
      return false;
    }
    if (n == 1) {
      return true;
    }
    if (p.charAt(n - 1) == '/') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (p.charAt(i) == '/') {
        // look at the segment that starts after this slash
        int j = i + 1;
        if (j < n && p.charAt(j) == '/') {
          return false;
        }
        if (j < n && p.charAt(j) == '.') {
          if (j + 1 == n || p.charAt(j + 1) == '/') {
            return false;
          }
          if (p.charAt(j + 1) == '.' && (j + 2 == n || p.charAt(j + 2) == '/')) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
