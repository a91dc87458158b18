package io.ursprung.plugin.model;

/**
 * A decoded {@code struct sockaddr} from a SOCKADDR record.
 *
 * @param family inet, inet6, unix, netlink or other
 * @param address IP address text for inet/inet6
 * @param port port for inet/inet6
 * @param path unix socket path, {@code @name} for the abstract namespace
 */
record Sockaddr(String family, String address, Integer port, String path) {

  /**
   * Decodes raw sockaddr bytes. sa_family is in the host's byte order, hence the flag; ports and
   * addresses are in network order.
   */
  static Sockaddr decode(byte[] b, boolean littleEndian) {
    if (b == null || b.length < 2) {
      return null;
    }
    int fam =
        littleEndian ? (b[0] & 0xff) | ((b[1] & 0xff) << 8) : ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    switch (fam) {
      case 2:
        if (b.length < 8) {
          return new Sockaddr("inet", null, null, null);
        }
        return new Sockaddr(
            "inet",
            (b[4] & 0xff) + "." + (b[5] & 0xff) + "." + (b[6] & 0xff) + "." + (b[7] & 0xff),
            port(b),
            null);
      case 10:
        if (b.length < 24) {
          return new Sockaddr("inet6", null, null, null);
        }
        return new Sockaddr("inet6", ipv6(b, 8), port(b), null);
      case 1:
        return new Sockaddr("unix", null, null, unixPath(b));
      case 16:
        return new Sockaddr("netlink", null, null, null);
      default:
        return new Sockaddr("other", null, null, null);
    }
  }

  private static int port(byte[] b) {
    return ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  private static String unixPath(byte[] b) {
    if (b.length <= 2) {
      return null; // unnamed
    }
    if (b[2] == 0) {
      // abstract: the name is every byte up to addrlen; trailing NULs are padding
      int e = b.length;
      while (e > 3 && b[e - 1] == 0) {
        e--;
      }
      if (e <= 3) {
        return null;
      }
      return "@" + io.ursprung.plugin.audit.Text.string(b, 3, e);
    }
    int e = 2;
    while (e < b.length && b[e] != 0) {
      e++;
    }
    return io.ursprung.plugin.audit.Text.string(b, 2, e);
  }

  /**
   * RFC 5952 text: longest run of two or more zero groups as "::", IPv4-mapped as ::ffff:a.b.c.d.
   */
  static String ipv6(byte[] b, int off) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff);
    }
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:"
          + (b[off + 12] & 0xff)
          + "."
          + (b[off + 13] & 0xff)
          + "."
          + (b[off + 14] & 0xff)
          + "."
          + (b[off + 15] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
