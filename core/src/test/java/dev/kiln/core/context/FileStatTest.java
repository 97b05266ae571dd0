package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatTest {

  @TempDir Path dir;

  @Test
  void readsTheNodeItselfNeverWhatALinkPointsTo() throws IOException {
    Path file = Files.writeString(dir.resolve("file.txt"), "12345");
    Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("file.txt"));
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));

    FileStat fileStat = FileStat.read(file);
    FileStat linkStat = FileStat.read(link);

    assertThat(fileStat.isRegularFile()).isTrue();
    assertThat(fileStat.sizeBytes()).isEqualTo(5);
    assertThat(linkStat.isSymbolicLink()).isTrue();
    assertThat(linkStat.sizeBytes()).isEqualTo("file.txt".length());
    assertThat(linkStat.inode()).isNotEqualTo(fileStat.inode());
    assertThat(FileStat.read(dangling).isSymbolicLink()).isTrue();
    assertThat(FileStat.read(dir).isDirectory()).isTrue();
  }

  @Test
  void readsTheOwnerExecuteBitAndTheTimesInNanoseconds() throws IOException {
    Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-----"));

    FileStat stat = FileStat.read(script);

    assertThat(stat.ownerExecutable()).isTrue();
    assertThat(stat.mode() & 0777).isEqualTo(0740);
    assertThat(stat.mtimeNanos())
        .isEqualTo(Files.getLastModifiedTime(script).to(TimeUnit.NANOSECONDS));
    assertThat(stat.ctimeNanos()).isGreaterThanOrEqualTo(stat.mtimeNanos());
  }

  @Test
  void aMissingNodeIsNamedByTheJdksException() {
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> FileStat.read(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
  }

  /**
   * statx is only called where native access is enabled, as the kiln launcher enables it; a JVM of
   * its own checks that it reads exactly what the JDK reads, and leaves the JDK the names it must.
   */
  @Test
  void statxReadsWhatTheJdkReadsAndLeavesItTheNamesOnlyItCanSpell() throws Exception {
    assumeTrue("Linux".equals(System.getProperty("os.name")), "statx is Linux's");
    Path file = Files.writeString(dir.resolve("file.txt"), "content");
    Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path subdir = Files.createDirectories(dir.resolve("sub dir"));
    // made from bytes, so that this test's own locale does not matter
    Path accented =
        Files.writeString(Path.of(URI.create(subdir.toUri() + "%C3%A9%20%C3%BC.txt")), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("file.txt"));
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));
    Path empty = Files.createFile(dir.resolve("empty"));
    Path rawName = Path.of(URI.create(dir.toUri() + "bad%FF"));
    Files.writeString(rawName, "raw");

    List<String> lines =
        runChild(
            List.of(
                file.toUri().toString(),
                script.toUri().toString(),
                subdir.toUri().toString(),
                accented.toUri().toString(),
                link.toUri().toString(),
                dangling.toUri().toString(),
                empty.toUri().toString(),
                rawName.toUri().toString(),
                dir.resolve("missing").toUri().toString(),
                "relative:file.txt"));

    assertThat(lines)
        .containsExactly(
            "available",
            "file.txt statx same",
            "run.sh statx same",
            "sub dir statx same",
            "é ü.txt statx same",
            "link statx same",
            "dangling statx same",
            "empty statx same",
            "bad\uFFFD jdk",
            "missing jdk",
            "file.txt jdk");
  }

  private List<String> runChild(List<String> paths) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FileStatRoutes.class.getName());
    command.addAll(paths);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    // the JDK decodes file names in the locale's encoding, and statx is only used under UTF-8
    builder.environment().put("LC_ALL", "C.UTF-8");
    Process child = builder.redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    return output.lines().toList();
  }
}
