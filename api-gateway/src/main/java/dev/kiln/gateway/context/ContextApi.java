package dev.kiln.gateway.context;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.image.Digest;
import dev.kiln.core.store.ContextStore;
import dev.kiln.core.store.ContextUrls;
import dev.kiln.core.store.StoreResult;
import dev.kiln.gateway.build.BuildService;
import dev.kiln.gateway.http.Access;
import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.http.Call;
import dev.kiln.gateway.http.LimitedInputStream;
import dev.kiln.gateway.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Context archives: {@code PUT} (validated while streamed into the store), {@code HEAD}, and {@code
 * GET} through a signed URL, which is how BuildKit fetches them without a token.
 */
public final class ContextApi {
  private static final Logger log = LoggerFactory.getLogger(ContextApi.class);

  private final ContextStore store;
  private final ContextOwners owners;
  private final ContextLimits limits;
  private final BuildService builds;
  private final byte[] urlSecret;
  private final Clock clock;

  public ContextApi(
      ContextStore store,
      ContextOwners owners,
      ContextLimits limits,
      BuildService builds,
      byte[] urlSecret,
      Clock clock) {
    this.store = store;
    this.owners = owners;
    this.limits = limits;
    this.builds = builds;
    this.urlSecret = urlSecret.clone();
    this.clock = clock;
  }

  public void register(Router router) {
    router.route("PUT", "/v1/contexts/{digest}", Access.TOKEN, this::put);
    router.route("HEAD", "/v1/contexts/{digest}", Access.TOKEN, this::head);
    router.route("GET", "/v1/contexts/{digest}", Access.PUBLIC, this::get);
  }

  private void put(Call call) throws IOException {
    Digest digest = digest(call);
    Optional<UUID> build = call.query("build").map(ContextApi::buildId);
    build.ifPresent(id -> builds.owned(id, call.principal()));
    String org = call.principal().org();
    // A digest another organisation uploaded proves nothing: only the caller's own upload
    // short-circuits; anyone else sends the bytes, which the store checks against the digest.
    if (owners.owns(org, digest) && store.exists(digest)) {
      call.sendJson(200, stored(digest, store.sizeBytes(digest)));
      return;
    }
    StoreResult result;
    try {
      result = receive(call, digest);
    } catch (ApiException e) {
      build.ifPresent(id -> builds.fail(id, e.getMessage()));
      throw e;
    }
    owners.record(org, digest, clock.instant());
    log.debug("context {} stored ({} bytes)", digest, result.sizeBytes());
    call.sendJson(result.created() ? 201 : 200, stored(digest, result.sizeBytes()));
  }

  /** Streams the body into the store; every rejection is an ApiException saying what to fix. */
  private StoreResult receive(Call call, Digest digest) throws IOException {
    if (call.contentLength() > limits.maxBytes()) {
      throw tooLarge(digest);
    }
    LimitedInputStream limited = call.body(limits.maxBytes());
    // The byte limit is enforced by `limited` (413); the validator checks entries and paths.
    ValidatingInputStream validating =
        new ValidatingInputStream(limited, new ContextLimits(Long.MAX_VALUE, limits.maxEntries()));
    try (InputStream body = validating) {
      return store.put(digest, body, limits);
    } catch (RuntimeException | IOException e) {
      if (limited.exceeded()) {
        throw tooLarge(digest);
      }
      RuntimeException rejection = validating.rejection();
      if (rejection instanceof InvalidInputException invalid) {
        throw ApiException.badRequest(
            "the context archive " + digest + " was rejected: " + invalid.getMessage());
      }
      if (e instanceof InvalidInputException invalid) {
        throw ApiException.badRequest(
            "the context archive " + digest + " was rejected: " + invalid.getMessage());
      }
      if (rejection != null) {
        throw ApiException.badRequest(
            "the context archive " + digest + " is not a readable tar: " + rejection.getMessage());
      }
      throw e;
    }
  }

  private ApiException tooLarge(Digest digest) {
    return ApiException.tooLarge(
        "the context archive "
            + digest
            + " is larger than the gateway's limit of "
            + limits.maxBytes()
            + " bytes; add large files to .dockerignore");
  }

  private void head(Call call) throws IOException {
    Digest digest = digest(call);
    if (!owners.owns(call.principal().org(), digest) || !store.exists(digest)) {
      call.sendHeaders(404, -1);
      return;
    }
    call.exchange().getResponseHeaders().set("Content-Type", "application/x-tar");
    call.exchange()
        .getResponseHeaders()
        .set("Content-Length", Long.toString(store.sizeBytes(digest)));
    call.sendHeaders(200, -1);
  }

  private void get(Call call) throws IOException {
    Digest digest = digest(call);
    String expires = call.query("expires").orElse("");
    String sig = call.query("sig").orElse("");
    long expiresEpochSeconds;
    try {
      expiresEpochSeconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      expiresEpochSeconds = -1;
    }
    if (expiresEpochSeconds < 0
        || sig.isEmpty()
        || !ContextUrls.verify(digest, expiresEpochSeconds, sig, urlSecret, clock)) {
      throw ApiException.forbidden(
          "this context URL has no valid signature or has expired; contexts are fetched through"
              + " URLs signed with KILN_CONTEXT_URL_SECRET, so ask for the build again");
    }
    String etag = "\"" + digest + "\"";
    call.exchange().getResponseHeaders().set("ETag", etag);
    if (call.header("If-None-Match").map(etag::equals).orElse(false)) {
      call.sendHeaders(304, -1);
      return;
    }
    if (!store.exists(digest)) {
      throw ApiException.notFound(
          "context " + digest + " is not in the store; upload it again with PUT /v1/contexts");
    }
    try (InputStream tar = store.open(digest)) {
      call.exchange().getResponseHeaders().set("Content-Type", "application/x-tar");
      call.sendHeaders(200, store.sizeBytes(digest));
      try (OutputStream out = call.exchange().getResponseBody()) {
        tar.transferTo(out);
      }
    }
  }

  private static Map<String, Object> stored(Digest digest, long sizeBytes) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("digest", digest.toString());
    view.put("sizeBytes", sizeBytes);
    return view;
  }

  private static Digest digest(Call call) {
    String value = call.pathParam("digest");
    Digest digest;
    try {
      digest = Digest.parse(value);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest("the context digest in the URL is invalid: " + e.getMessage());
    }
    if (!Digest.SHA256.equals(digest.algorithm())) {
      throw ApiException.badRequest(
          "contexts are stored by sha256; use /v1/contexts/sha256:<64 hex>, not "
              + digest.algorithm());
    }
    return digest;
  }

  private static UUID buildId(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "query parameter build='" + value + "' is not a build id; use the id kiln printed");
    }
  }
}
