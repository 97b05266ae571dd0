package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of a {@code .dockerignore} file, with the semantics BuildKit applies when it receives a
 * context (moby/patternmatcher v0.6 as driven by tonistiigi/fsutil's walker):
 *
 * <ul>
 *   <li>a line starting with '#' is a comment; blank lines are skipped; surrounding whitespace is
 *       trimmed; each pattern is cleaned like a path and a leading '/' is dropped;
 *   <li>a leading '!' re-includes what earlier patterns excluded; the last matching pattern wins;
 *   <li>a pattern matching a directory also matches everything below it, unless a later '!' pattern
 *       matches something there.
 * </ul>
 *
 * <p>A path's verdict depends on its directories' verdicts, computed root first, exactly as the
 * walker sees them; {@link #excludes(String)} folds over the path's directories the same way.
 */
public final class DockerIgnore {

  private static final DockerIgnore NONE = new DockerIgnore(List.of());

  private final List<IgnorePattern> patterns;

  private DockerIgnore(List<IgnorePattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  public static DockerIgnore none() {
    return NONE;
  }

  /** Reads an ignore file of the context, if it is there as a regular file. */
  @FunctionalInterface
  public interface IgnoreFiles {
    /**
     * The contents of the regular file at {@code path} (relative to the context), or empty when
     * there is none (or it is a symlink or a directory).
     */
    Optional<String> read(String path);
  }

  /** Parses the contents of an ignore file; errors name the line. */
  public static DockerIgnore parse(String contents) {
    return parse(contents, ".dockerignore");
  }

  /** Parses the contents of the ignore file {@code fileName}; errors name it and the line. */
  public static DockerIgnore parse(String contents, String fileName) {
    List<IgnorePattern> patterns = new ArrayList<>();
    String text = contents.startsWith("\uFEFF") ? contents.substring(1) : contents;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      // only a '#' in the first column starts a comment, before any trimming
      if (line.startsWith("#")) {
        continue;
      }
      String pattern = GoStrings.trimSpace(line);
      if (pattern.isEmpty()) {
        continue;
      }
      String where = fileName + ":" + (i + 1);
      boolean exclusion = pattern.charAt(0) == '!';
      if (exclusion) {
        pattern = GoStrings.trimSpace(pattern.substring(1));
        if (pattern.isEmpty()) {
          throw new InvalidInputException(
              where + ": a lone '!' re-includes nothing; follow it with a pattern", where);
        }
      }
      pattern = GoStrings.cleanPath(pattern);
      if (pattern.length() > 1 && pattern.charAt(0) == '/') {
        pattern = pattern.substring(1);
      }
      // patternmatcher then trims and cleans each line once more, its '!' included: "a/ /" (a
      // directory "a/ ") ends up as "a", "/ /" as nothing, "!/" as a lone '!'
      String again = GoStrings.trimSpace((exclusion ? "!" : "") + pattern);
      if (again.isEmpty()) {
        continue;
      }
      again = GoStrings.cleanPath(again);
      exclusion = again.charAt(0) == '!';
      if (exclusion && again.length() == 1) {
        throw new InvalidInputException(
            where + ": the pattern re-includes nothing and Docker refuses it; remove the line",
            where);
      }
      pattern = exclusion ? again.substring(1) : again;
      patterns.add(IgnorePattern.compile(pattern, exclusion, where));
    }
    return new DockerIgnore(patterns);
  }

  /**
   * The ignore rules BuildKit would use for a Dockerfile: {@code <dockerfile>.dockerignore} next to
   * it when that file exists, else {@code .dockerignore} at the context root, else none.
   */
  public static DockerIgnore forDockerfile(Path contextDir, String dockerfilePath) {
    return forDockerfile(
        candidate -> {
          Path file = NodeNames.resolve(contextDir, candidate);
          if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
          }
          try {
            // one escape per byte that is not UTF-8, as BuildKit turns each into one U+FFFD
            return Optional.of(ContextNames.decode(Files.readAllBytes(file)));
          } catch (IOException e) {
            throw new KilnException(
                "tried to read the ignore file "
                    + file
                    + " but failed because "
                    + e
                    + "; check that it is readable",
                e);
          }
        },
        dockerfilePath);
  }

  /**
   * The ignore rules for a Dockerfile from a context held elsewhere (a git tree): the same
   * precedence as {@link #forDockerfile(Path, String)}.
   */
  public static DockerIgnore forDockerfile(IgnoreFiles files, String dockerfilePath) {
    String dockerfile = ContextPaths.dockerfile(dockerfilePath);
    for (String candidate : List.of(dockerfile + ".dockerignore", ".dockerignore")) {
      Optional<String> contents = files.read(candidate);
      if (contents.isPresent()) {
        return parse(contents.get(), candidate);
      }
    }
    return NONE;
  }

  /** The patterns as cleaned, with '!' for re-includes. */
  public List<String> patterns() {
    return patterns.stream().map(IgnorePattern::toString).toList();
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /**
   * Whether the path (relative to the context, '/'-separated) is left out of the context. Its
   * directories are evaluated first, as BuildKit's walker does.
   */
  public boolean excludes(String relativePath) {
    String path = GoStrings.cleanPath(relativePath);
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.isEmpty() || path.equals(".") || patterns.isEmpty()) {
      return false;
    }
    Match match = null;
    int from = 0;
    while (true) {
      int slash = path.indexOf('/', from);
      String prefix = slash < 0 ? path : path.substring(0, slash);
      match = match(prefix, match);
      if (slash < 0) {
        return match.excluded();
      }
      from = slash + 1;
    }
  }

  /**
   * Evaluates one path given its parent directory's result (null for a top-level path), like
   * patternmatcher's MatchesUsingParentResults: a pattern that matched the parent matches the
   * child; other patterns are tried only when they could change the verdict so far.
   */
  public Match match(String path, Match parent) {
    String seen = ContextNames.asGoSeesIt(path);
    boolean[] hits = new boolean[patterns.size()];
    boolean excluded = false;
    for (int i = 0; i < hits.length; i++) {
      IgnorePattern pattern = patterns.get(i);
      boolean hit = parent != null && parent.hits[i];
      if (!hit) {
        if (pattern.exclusion() != excluded) {
          continue;
        }
        hit = pattern.matches(path, seen);
      }
      hits[i] = hit;
      if (hit) {
        excluded = !pattern.exclusion();
      }
    }
    return new Match(hits, excluded);
  }

  /**
   * Whether anything below an excluded directory could be re-included, so the walker must look
   * inside. The verdict of a path is set by the last pattern that matched it, and what matched a
   * directory matches all below it; so only a '!' pattern after the directory's last match can
   * change anything, and only if it can match some path below the directory.
   */
  public boolean mayIncludeBelow(String dirPath, Match dirMatch) {
    if (!dirMatch.excluded()) {
      return true;
    }
    int last = -1;
    for (int i = 0; i < dirMatch.hits.length; i++) {
      if (dirMatch.hits[i]) {
        last = i;
      }
    }
    for (int k = last + 1; k < patterns.size(); k++) {
      IgnorePattern pattern = patterns.get(k);
      if (pattern.exclusion() && pattern.canMatchBelow(dirPath)) {
        return true;
      }
    }
    return false;
  }

  /** The verdict for one path plus which patterns matched it, handed down to its children. */
  public static final class Match {
    private final boolean[] hits;
    private final boolean excluded;

    private Match(boolean[] hits, boolean excluded) {
      this.hits = hits;
      this.excluded = excluded;
    }

    public boolean excluded() {
      return excluded;
    }
  }

  @Override
  public String toString() {
    return "DockerIgnore" + patterns();
  }
}
