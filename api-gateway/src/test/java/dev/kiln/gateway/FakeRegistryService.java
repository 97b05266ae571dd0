package dev.kiln.gateway;

import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.registry.v1.RetagRequest;
import dev.kiln.registry.v1.RetagResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A registry-service gRPC server on loopback that records Retag calls and accepts them. */
public final class FakeRegistryService implements AutoCloseable {
  private final List<RetagRequest> retags = new CopyOnWriteArrayList<>();
  private final Server server;

  public FakeRegistryService() {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new RegistryGrpc.RegistryImplBase() {
                  @Override
                  public void retag(RetagRequest request, StreamObserver<RetagResponse> response) {
                    retags.add(request);
                    response.onNext(
                        RetagResponse.newBuilder()
                            .setDigest(request.getExpectedDigest())
                            .setMediaType("application/vnd.oci.image.manifest.v1+json")
                            .build());
                    response.onCompleted();
                  }
                })
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  public List<RetagRequest> retags() {
    return retags;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
