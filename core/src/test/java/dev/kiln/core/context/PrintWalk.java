package dev.kiln.core.context;

import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.hash.BuildInputs;
import dev.kiln.core.hash.cache.StatCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Walks and hashes a context and describes the result by bytes, in this JVM or in a child JVM
 * started under another locale (the JVM takes its file name encoding from the locale at startup).
 */
final class PrintWalk {

  private PrintWalk() {}

  public static void main(String[] args) {
    System.out.print(describe(Path.of(args[0])));
  }

  static String describe(Path context) {
    ContextScan scan = new ContextWalker().scan(context, DockerIgnore.none(), "Dockerfile");
    StringBuilder out = new StringBuilder();
    for (ContextEntry entry : scan.entries()) {
      out.append(HexFormat.of().formatHex(ContextNames.encode(entry.path())));
      if (entry.linkTarget() != null) {
        out.append(" -> ")
            .append(HexFormat.of().formatHex(ContextNames.encode(entry.linkTarget())));
      }
      out.append('\n');
    }
    BuildInputs inputs = BuildInputs.of("Dockerfile", "acme/kiln");
    out.append(new BuildHasher().hashDirectory(scan, inputs, StatCache.disabled()).hex());
    return out.append('\n').toString();
  }

  static String inChildJvm(Path context, String locale) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            PrintWalk.class.getName(),
            context.toAbsolutePath().toString());
    builder.environment().put("LC_ALL", locale);
    builder.environment().put("LANG", locale);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("the child JVM walking " + context + " failed");
    }
    return new String(output, StandardCharsets.UTF_8);
  }
}
