package dev.kiln.hashsvc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.context.ContextPacker;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.context.PackResult;
import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.store.DirectoryContextStore;
import dev.kiln.events.v1.BuildArg;
import dev.kiln.events.v1.BuildParams;
import dev.kiln.events.v1.BuildRequested;
import dev.kiln.events.v1.ContextRef;
import dev.kiln.events.v1.GitContext;
import dev.kiln.events.v1.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestHasherTest {
  @TempDir Path dir;

  private DirectoryContextStore store;
  private RequestHasher hasher;
  private Path context;

  @BeforeEach
  void setUp() throws Exception {
    store = new DirectoryContextStore(dir.resolve("store"));
    hasher =
        new RequestHasher(
            store,
            new BuildHasher(),
            Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC));
    context = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY app.txt /\n");
    Files.writeString(context.resolve("app.txt"), "hello\n");
  }

  @Test
  void serverHashOfTheUploadedArchiveEqualsTheClientHashOfTheDirectory() throws Exception {
    BuildRequested request = request().setContext(upload()).build();
    List<ContextEntry> entries =
        new ContextWalker()
            .walk(context, DockerIgnore.forDockerfile(context, "Dockerfile"), "Dockerfile");
    String clientHash =
        new BuildHasher()
            .hashDirectory(context, entries, RequestHasher.inputsOf(request))
            .toString();

    RequestHasher.Result result = hasher.hash(request);

    assertThat(result.failed()).isNull();
    assertThat(result.hashed().getVerified()).isTrue();
    assertThat(result.hashed().getHash()).isEqualTo(clientHash);
    assertThat(result.hashed().getRequest()).isEqualTo(request);
  }

  @Test
  void requestWithoutContextPassesTheClientHashOnUnverified() {
    String clientHash = "ab".repeat(32);

    RequestHasher.Result result = hasher.hash(request().setClientHash(clientHash).build());

    assertThat(result.hashed().getHash()).isEqualTo(clientHash);
    assertThat(result.hashed().getVerified()).isFalse();
  }

  @Test
  void malformedClientHashFailsTheBuild() {
    RequestHasher.Result result = hasher.hash(request().setClientHash("not-a-hash").build());

    assertThat(result.hashed()).isNull();
    assertThat(result.failed().getOutcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.failed().getRequestId()).isEqualTo("r-1");
  }

  @Test
  void missingStoredContextFailsWithTheDigest() {
    String digest = "sha256:" + "0".repeat(64);
    BuildRequested request =
        request().setContext(ContextRef.newBuilder().setTarDigest(digest)).build();

    RequestHasher.Result result = hasher.hash(request);

    assertThat(result.failed().getError()).contains(digest);
  }

  @Test
  void archiveWithoutTheNamedDockerfileFailsNamingIt() throws Exception {
    BuildRequested request =
        request()
            .setParams(BuildParams.newBuilder().setDockerfile("build/Dockerfile.prod"))
            .setContext(upload())
            .build();

    RequestHasher.Result result = hasher.hash(request);

    assertThat(result.failed().getError()).contains("build/Dockerfile.prod");
  }

  @Test
  void gitContextsAreRefusedClearly() {
    BuildRequested request =
        request()
            .setContext(
                ContextRef.newBuilder()
                    .setGit(GitContext.newBuilder().setUrl("https://git.example/x.git")))
            .build();

    assertThat(hasher.hash(request).failed().getError()).contains("git contexts");
  }

  @Test
  void argsAndCacheScopeReachTheHashInputs() {
    BuildRequested request =
        request()
            .setParams(
                BuildParams.newBuilder()
                    .setDockerfile("Dockerfile")
                    .addArgs(BuildArg.newBuilder().setName("B").setValue("2"))
                    .addArgs(BuildArg.newBuilder().setName("A").setValue("1")))
            .build();

    var inputs = RequestHasher.inputsOf(request);

    assertThat(inputs.args())
        .containsExactly(java.util.Map.entry("A", "1"), java.util.Map.entry("B", "2"));
    assertThat(inputs.cacheScope()).isEqualTo("acme/kiln");
  }

  private ContextRef upload() throws Exception {
    List<ContextEntry> entries =
        new ContextWalker()
            .walk(context, DockerIgnore.forDockerfile(context, "Dockerfile"), "Dockerfile");
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    PackResult packed = new ContextPacker().pack(context, entries, tar);
    store.put(
        packed.tarDigest(), new ByteArrayInputStream(tar.toByteArray()), ContextLimits.DEFAULT);
    return ContextRef.newBuilder().setTarDigest(packed.tarDigest().toString()).build();
  }

  private static BuildRequested.Builder request() {
    return BuildRequested.newBuilder()
        .setRequestId("r-1")
        .setOrg("acme")
        .setNamespace("cindy")
        .setImage("api")
        .setTag("kiln")
        .setSequence(1)
        .setCacheNamespace("kiln")
        .setRegistry("127.0.0.1:5100")
        .setSmartBuilds(true)
        .setParams(BuildParams.newBuilder().setDockerfile("Dockerfile"));
  }
}
