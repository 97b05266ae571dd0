package dev.kiln.bench.registry;

import dev.kiln.registry.RegistryService;
import dev.kiln.registry.v1.ExistsRequest;
import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.registry.v1.RetagRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Exists and Retag through the registry-service's gRPC API beside a bare java.net.http loop making
 * the same registry calls, against one private docker-registry, in one run. Iterations alternate
 * between the two paths so both see the same machine load. Bounded by iteration counts and a wall
 * clock budget; prints a table with p50, p99 and the p99 ratio.
 *
 * <p>Arguments: {@code [existsIterations] [retagIterations] [budgetSeconds]}.
 */
public final class RegistryBenchmark {

  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private RegistryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int existsIterations = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int retagIterations = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Duration budget = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 240);
    int warmup = 300;

    try (LocalRegistry registry = LocalRegistry.start()) {
      String host = registry.host();
      RawRegistryCalls raw = new RawRegistryCalls(host);
      List<String> blobs = pushImage(raw);

      RegistryService service =
          new RegistryService(
              new RegistryService.Config(
                  new InetSocketAddress("127.0.0.1", 0),
                  Set.of(host),
                  Optional.empty(),
                  Duration.ofSeconds(30)));
      service.start();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", service.port()).usePlaintext().build();
      try {
        RegistryGrpc.RegistryBlockingStub stub = RegistryGrpc.newBlockingStub(channel);
        ExistsRequest exists =
            ExistsRequest.newBuilder().setReference(host + "/bench/src:v1").build();
        RetagRequest retag =
            RetagRequest.newBuilder()
                .setSource(host + "/bench/src:v1")
                .setTarget(host + "/bench/dst:grpc")
                .build();
        // the first retag mounts the blobs; after it both paths do the same four calls
        stub.retag(retag);
        raw.retag("bench/src", "v1", "bench/dst", "raw", blobs);

        Instant end = Instant.now().plus(budget);
        Runnable rawExists = () -> raw.exists("bench/src", "v1");
        Runnable grpcExists = () -> deadlined(stub).exists(exists);
        Runnable rawRetag = () -> raw.retag("bench/src", "v1", "bench/dst", "raw", blobs);
        Runnable grpcRetag = () -> deadlined(stub).retag(retag);

        Samples[] existsSamples = measure(rawExists, grpcExists, warmup, existsIterations, end);
        Samples[] retagSamples = measure(rawRetag, grpcRetag, warmup / 3, retagIterations, end);

        System.out.println();
        System.out.printf("%-8s %-10s %7s %9s %9s%n", "call", "path", "n", "p50 ms", "p99 ms");
        row("Exists", "raw HTTP", existsSamples[0]);
        row("Exists", "gRPC", existsSamples[1]);
        row("Retag", "raw HTTP", retagSamples[0]);
        row("Retag", "gRPC", retagSamples[1]);
        System.out.println();
        ratio("Exists", existsSamples);
        ratio("Retag", retagSamples);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        service.close();
      }
    }
  }

  private static RegistryGrpc.RegistryBlockingStub deadlined(RegistryGrpc.RegistryBlockingStub s) {
    return s.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** Warms both paths up, then alternates them; stops early when the wall clock budget ends. */
  private static Samples[] measure(
      Runnable raw, Runnable grpc, int warmup, int iterations, Instant end) {
    for (int i = 0; i < warmup; i++) {
      raw.run();
      grpc.run();
    }
    Samples rawSamples = new Samples(iterations);
    Samples grpcSamples = new Samples(iterations);
    for (int i = 0; i < iterations && Instant.now().isBefore(end); i++) {
      boolean rawFirst = i % 2 == 0;
      time(rawFirst ? raw : grpc, rawFirst ? rawSamples : grpcSamples);
      time(rawFirst ? grpc : raw, rawFirst ? grpcSamples : rawSamples);
    }
    return new Samples[] {rawSamples, grpcSamples};
  }

  private static void time(Runnable call, Samples samples) {
    long start = System.nanoTime();
    call.run();
    samples.add(System.nanoTime() - start);
  }

  private static void row(String call, String path, Samples samples) {
    System.out.printf(
        "%-8s %-10s %7d %9.3f %9.3f%n",
        call, path, samples.count(), samples.percentileMillis(50), samples.percentileMillis(99));
  }

  private static void ratio(String call, Samples[] samples) {
    double p99 = samples[1].percentileMillis(99) / samples[0].percentileMillis(99);
    double p50 = samples[1].percentileMillis(50) / samples[0].percentileMillis(50);
    System.out.printf(
        "%-8s gRPC/raw: p50 %.2fx, p99 %.2fx (goal p99 <= 2x: %s)%n",
        call, p50, p99, p99 <= 2.0 ? "met" : "NOT met");
  }

  /** One OCI image (config and one layer) as bench/src:v1; returns its blob digests. */
  private static List<String> pushImage(RawRegistryCalls raw) throws Exception {
    byte[] layer = "kiln registry benchmark layer".getBytes(StandardCharsets.UTF_8);
    String layerDigest = sha256(layer);
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\""
                + layerDigest
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    String configDigest = sha256(config);
    raw.pushBlob("bench/src", layerDigest, layer);
    raw.pushBlob("bench/src", configDigest, config);
    String manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%d},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"%s\",\"size\":%d}]}")
            .formatted(OCI_MANIFEST, configDigest, config.length, layerDigest, layer.length);
    raw.pushManifest("bench/src", "v1", OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    return List.of(configDigest, layerDigest);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
