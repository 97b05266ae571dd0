package dev.kiln.bench.hash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Generates benchmark trees, deterministic for a seed. File contents are source-like text (words
 * and line breaks), so git's zlib does the work it does on real code; sizes follow an exponential
 * distribution (many small files, a few large ones) as in real repositories.
 */
final class TreeGenerator {

  private static final String[] WORDS =
      ("the of and to in is for on with as by at from this that be are it or an import class"
              + " return public static final void int string if else while new data value file"
              + " path hash build kiln context layer image digest")
          .split(" ");

  private static final int SOURCE_MEAN_BYTES = 2048;
  private static final int SOURCE_MAX_BYTES = 256 * 1024;
  private static final int MODULE_MEAN_BYTES = 512;

  private TreeGenerator() {}

  /**
   * FILES files in 20 top directories of 50 subdirectories each, plus Dockerfile, .dockerignore.
   */
  static void sourceTree(Path root, int files, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Files.createDirectories(root);
    Files.writeString(root.resolve("Dockerfile"), "FROM scratch\nCOPY . /app\n");
    Files.writeString(root.resolve(".dockerignore"), "node_modules\n");
    int dirs = 20 * 50;
    for (int i = 0; i < files; i++) {
      int dir = i % dirs;
      Path parent = root.resolve("src" + dir / 50).resolve("pkg" + dir % 50);
      if (i < dirs) {
        Files.createDirectories(parent);
      }
      String name = "file" + i + (i % 3 == 0 ? ".java" : ".txt");
      Files.write(parent.resolve(name), text(random, size(random, SOURCE_MEAN_BYTES)));
    }
  }

  /** root/node_modules with FILES small files in packages of 100. */
  static void nodeModules(Path root, int files, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < files; i++) {
      Path pkg = root.resolve("node_modules").resolve("pkg" + i / 100).resolve("lib");
      if (i % 100 == 0) {
        Files.createDirectories(pkg);
      }
      Files.write(pkg.resolve("m" + i + ".js"), text(random, size(random, MODULE_MEAN_BYTES)));
    }
  }

  private static int size(SplittableRandom random, int meanBytes) {
    double size = -Math.log(1 - random.nextDouble()) * meanBytes;
    return (int) Math.min(SOURCE_MAX_BYTES, size);
  }

  private static byte[] text(SplittableRandom random, int size) {
    StringBuilder text = new StringBuilder(size + 16);
    while (text.length() < size) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(12) == 0 ? '\n' : ' ');
    }
    text.setLength(size);
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
