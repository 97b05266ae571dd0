package dev.kiln.bench.hash;

import dev.kiln.core.context.ContextScan;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.hash.BuildInputs;
import dev.kiln.core.hash.cache.StatCache;
import dev.kiln.core.hash.cache.StatCaches;
import dev.kiln.core.image.BuildHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * The benchmark's Java side: generates trees and hashes a context the way {@code kiln hash} does,
 * printing how long each step took. bench/hash/run.sh times whole processes; the steps say where
 * the time went.
 *
 * <pre>
 * tree DIR FILES SEED          a source-like tree of FILES files, with a Dockerfile and a
 *                              .dockerignore that ignores node_modules
 * node-modules DIR FILES SEED  DIR/node_modules with FILES small files
 * hash DIR [CACHE_DIR]         walk + hash DIR (with a stat cache in CACHE_DIR); prints the hash
 *                              on stdout, the steps and the peak RSS on stderr
 * </pre>
 */
public final class HashBench {

  private HashBench() {}

  public static void main(String[] args) throws IOException {
    switch (args.length > 0 ? args[0] : "") {
      case "tree" ->
          TreeGenerator.sourceTree(
              Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
      case "node-modules" ->
          TreeGenerator.nodeModules(
              Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
      case "hash" -> hash(Path.of(args[1]), args.length > 2 ? Path.of(args[2]) : null);
      default -> {
        System.err.println("usage: HashBench tree|node-modules|hash ... (see the class comment)");
        System.exit(2);
      }
    }
  }

  /** As the CLI's LocalContext does it; "walk" includes loading the stat cache. */
  private static void hash(Path context, Path cacheDir) throws IOException {
    long start = System.nanoTime();
    StatCaches caches =
        cacheDir == null ? StatCaches.disabled() : StatCaches.in(cacheDir, Clock.systemUTC());
    StatCache cache = caches.open(context);
    DockerIgnore ignore = DockerIgnore.forDockerfile(context, "Dockerfile");
    ContextScan scan = new ContextWalker().scan(context, ignore, "Dockerfile");
    long walked = System.nanoTime();

    BuildHash hash =
        new BuildHasher().hashDirectory(scan, BuildInputs.of("Dockerfile", "bench/kiln"), cache);
    long hashed = System.nanoTime();

    cache.save();
    long saved = System.nanoTime();

    System.out.println(hash);
    System.err.printf(
        Locale.ROOT,
        "entries=%d walk=%.3fs hash=%.3fs cache-save=%.3fs peak-rss=%s%n",
        scan.entries().size(),
        seconds(walked - start),
        seconds(hashed - walked),
        seconds(saved - hashed),
        peakRss());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** VmHWM: the most resident memory this process ever had. */
  private static String peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return line.substring("VmHWM:".length()).strip().replace(" ", "");
      }
    }
    return "unknown";
  }
}
