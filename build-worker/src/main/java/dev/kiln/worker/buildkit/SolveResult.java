package dev.kiln.worker.buildkit;

import java.util.Map;

/**
 * What a finished solve produced.
 *
 * @param ref the id the solve ran under in BuildKit (its build history names it)
 * @param imageDigest "sha256:<hex>" of the pushed manifest (or index, for several platforms)
 * @param exporterResponse everything the exporter reported
 */
public record SolveResult(String ref, String imageDigest, Map<String, String> exporterResponse) {
  public SolveResult {
    exporterResponse = Map.copyOf(exporterResponse);
  }
}
