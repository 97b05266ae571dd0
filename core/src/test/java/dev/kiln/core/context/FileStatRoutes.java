package dev.kiln.core.context;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Run by {@link FileStatTest} in a JVM with native access: for each file URI (or {@code
 * relative:NAME}), prints the name and which way {@link FileStat} read it, "statx same" when statx
 * read exactly what the JDK's attribute map reads.
 */
public final class FileStatRoutes {

  private FileStatRoutes() {}

  public static void main(String[] args) throws IOException {
    System.out.println(FileStat.Statx.available() ? "available" : "unavailable");
    for (String arg : args) {
      Path path =
          arg.startsWith("relative:")
              ? Path.of(arg.substring("relative:".length()))
              : Path.of(URI.create(arg));
      FileStat fromStatx = FileStat.Statx.read(path);
      String route = fromStatx == null ? "jdk" : "statx";
      if (fromStatx != null) {
        route += fromStatx.equals(FileStat.readUnixView(path)) ? " same" : " differs";
      }
      System.out.println(path.getFileName() + " " + route);
    }
  }
}
