package dev.kiln.registry.oci;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/** A registry's answer with its (bounded) body read. */
public record RegistryResponse(int status, HttpHeaders headers, byte[] body, URI uri) {

  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }
}
