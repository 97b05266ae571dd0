package dev.kiln.gateway.build;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The validated build parameters of a request, stored as the build's {@code params} JSON.
 *
 * @param dockerfile path of the Dockerfile in the context, '/'-separated and relative
 * @param target stage to build; empty = the last one
 * @param args build arguments by name
 * @param platforms sorted {@code os/arch[/variant]} values; empty = the builder's platform
 * @param secrets secret id → lowercase hex sha256 of its value
 */
public record BuildParameters(
    String dockerfile,
    String target,
    Map<String, String> args,
    List<String> platforms,
    Map<String, String> secrets) {

  /** Sorts args, platforms and secrets, so equal parameters are equal records and equal JSON. */
  public BuildParameters {
    args = Collections.unmodifiableSortedMap(new TreeMap<>(args));
    platforms = platforms.stream().sorted().distinct().toList();
    secrets = Collections.unmodifiableSortedMap(new TreeMap<>(secrets));
  }
}
