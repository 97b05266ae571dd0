package dev.kiln.gateway;

import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;

/** Request bodies and completion events for tests. */
public final class Builds {
  public static final String HASH_A = "a".repeat(64);
  public static final String HASH_B = "b".repeat(64);
  public static final String DIGEST_1 = "sha256:" + "1".repeat(64);
  public static final String DIGEST_2 = "sha256:" + "2".repeat(64);

  private Builds() {}

  /** A minimal valid {@code POST /v1/builds} body with a client hash. */
  public static Map<String, Object> request(String namespace, String image) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("namespace", namespace);
    body.put("image", image);
    body.put("clientHash", HASH_A);
    return body;
  }

  public static BuildCompleted.Builder completion(String id, Outcome outcome) {
    return BuildCompleted.newBuilder().setRequestId(id).setOutcome(outcome);
  }

  /** A BUILT/SKIPPED completion as the worker sends it. */
  public static BuildCompleted done(String id, Outcome outcome, String hash, String digest) {
    return completion(id, outcome)
        .setHash(hash)
        .setDigest(digest)
        .setCacheRef(TestGateway.REGISTRY + "/kiln/api:" + hash)
        .build();
  }
}
