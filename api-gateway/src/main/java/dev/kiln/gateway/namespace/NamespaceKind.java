package dev.kiln.gateway.namespace;

import java.util.Locale;

/** What a registry namespace holds for its organisation. */
public enum NamespaceKind {
  /** Namespace tags, {@code <namespace>/<image>:<tag>}; tokens are issued for it. */
  USER,
  /** Cache images, {@code <cache-ns>/<image>:<hash>}. */
  CACHE;

  /** The value of the {@code kind} column. */
  String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  static NamespaceKind fromColumn(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
