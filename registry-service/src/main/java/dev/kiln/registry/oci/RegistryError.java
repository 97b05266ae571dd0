package dev.kiln.registry.oci;

/**
 * One entry of a registry's error body, {@code {"errors":[{"code":..,"message":..}]}}.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">
 *     OCI distribution spec, error codes</a>
 */
public record RegistryError(String code, String message) {

  @Override
  public String toString() {
    return message.isEmpty() ? code : code + ": " + message;
  }
}
