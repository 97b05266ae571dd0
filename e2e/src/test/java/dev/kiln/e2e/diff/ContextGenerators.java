package dev.kiln.e2e.diff;

import dev.kiln.core.context.ContextNames;
import dev.kiln.e2e.diff.GeneratedContext.Kind;
import dev.kiln.e2e.diff.GeneratedContext.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random build contexts: names with spaces, dots, punctuation and non-ASCII letters, nesting, empty
 * directories, executable files, symlinks (relative, climbing inside the context, absolute,
 * dangling), and ignore files whose patterns are drawn from the tree's own paths (exact, rooted,
 * with a trailing slash, {@code *}, {@code ?}, leading, inner and trailing {@code **}, classes,
 * padded with spaces), about a third of them negated, with comments and blank lines.
 */
final class ContextGenerators {

  /**
   * No '*', '?', '[', ']', '\\', '{', '}' or '|': names holding them would give patterns kiln
   * refuses on purpose where Docker's reading of them is accidental (see DockerIgnore). U+DCFF and
   * U+DC80 are the bytes 0xff and 0x80, which are not UTF-8 however they are combined here
   * (ContextNames); ignore files hold them as they are, and both read each as U+FFFD.
   */
  private static final String NAME_CHARS = "abcxy01 ._-éß日#!+($=@%,^\uDCFF\uDC80";

  private ContextGenerators() {}

  static Arbitrary<GeneratedContext> contexts() {
    return specs()
        .list()
        .ofMinSize(1)
        .ofMaxSize(14)
        .map(ContextGenerators::build)
        .flatMap(
            nodes -> {
              List<String> paths = nodes.stream().map(Node::path).toList();
              Arbitrary<List<String>> rules = line(paths).list().ofMaxSize(6);
              Arbitrary<List<String>> dockerfileRules =
                  Arbitraries.frequencyOf(
                      Tuple.of(6, Arbitraries.just(List.<String>of())),
                      Tuple.of(1, line(paths).list().ofMinSize(1).ofMaxSize(3)));
              return Combinators.combine(rules, dockerfileRules)
                  .as(
                      (ignore, dockerfileIgnore) ->
                          new GeneratedContext(nodes, ignore, dockerfileIgnore));
            });
  }

  /** One leaf to create: its path components, kind, content and, for links, a target choice. */
  private record Spec(List<String> components, Kind kind, String content, int climb) {}

  private static Arbitrary<Spec> specs() {
    Arbitrary<List<String>> components = names().list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<Kind> kinds =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.just(Kind.FILE)),
            Tuple.of(2, Arbitraries.just(Kind.EXECUTABLE)),
            Tuple.of(2, Arbitraries.just(Kind.DIRECTORY)),
            Tuple.of(2, Arbitraries.just(Kind.SYMLINK)));
    Arbitrary<String> contents = Arbitraries.strings().alpha().ofMaxLength(12);
    return Combinators.combine(components, kinds, contents, Arbitraries.integers().between(-1, 3))
        .as(Spec::new);
  }

  private static Arbitrary<String> names() {
    return Arbitraries.strings()
        .withChars(NAME_CHARS)
        .ofMinLength(1)
        .ofMaxLength(5)
        .filter(name -> !name.equals(".") && !name.equals(".."));
  }

  /** Creates parents on the way; a spec that would go below a file or replace a node is dropped. */
  private static List<Node> build(List<Spec> specs) {
    Map<String, Kind> kinds = new HashMap<>();
    List<Node> nodes = new ArrayList<>();
    for (Spec spec : specs) {
      List<String> parts = spec.components();
      String path = "";
      boolean blocked = false;
      List<Node> parents = new ArrayList<>();
      for (int i = 0; i < parts.size() - 1 && !blocked; i++) {
        path = path.isEmpty() ? parts.get(i) : path + "/" + parts.get(i);
        Kind existing = kinds.get(path);
        blocked = existing != null && existing != Kind.DIRECTORY;
        if (existing == null) {
          parents.add(new Node(path, Kind.DIRECTORY, ""));
        }
      }
      String leaf = path.isEmpty() ? parts.getLast() : path + "/" + parts.getLast();
      if (blocked
          || kinds.containsKey(leaf)
          || parents.stream().anyMatch(p -> p.path().equals(leaf))) {
        continue;
      }
      for (Node parent : parents) {
        kinds.put(parent.path(), Kind.DIRECTORY);
        nodes.add(parent);
      }
      String data = spec.kind() == Kind.SYMLINK ? target(parts, spec) : spec.content();
      kinds.put(leaf, spec.kind());
      nodes.add(new Node(leaf, spec.kind(), data));
    }
    return List.copyOf(nodes);
  }

  /**
   * A symlink target kiln accepts (it refuses links that climb out or loop): an absolute path, the
   * link's own top-level directory reached by climbing to the root, or a name that no generated
   * node has ('~' is not in {@link #NAME_CHARS}), so resolving it never passes through a link.
   */
  private static String target(List<String> parts, Spec spec) {
    if (spec.climb() < 0) {
      return "/etc/" + parts.getLast();
    }
    int depth = parts.size() - 1;
    int climb = Math.min(spec.climb(), depth);
    boolean toOwnDirectory = climb == depth && depth > 0 && spec.content().isEmpty();
    return "../".repeat(climb) + parts.getFirst() + (toOwnDirectory ? "" : "~");
  }

  private static Arbitrary<String> line(List<String> paths) {
    Arbitrary<String> fromPath =
        Combinators.combine(Arbitraries.of(paths), Arbitraries.integers().between(0, 9))
            .as(ContextGenerators::pattern);
    Arbitrary<String> fixed =
        Arbitraries.of(
            "*", "**", "*/*", "Dockerfile", ".dockerignore", "# comment", "", "**/*x", "a*", "*.*");
    Arbitrary<String> pattern = Arbitraries.frequencyOf(Tuple.of(4, fromPath), Tuple.of(1, fixed));
    return Combinators.combine(pattern, Arbitraries.integers().between(0, 99))
        .as((p, roll) -> roll < 35 && !p.isBlank() && !p.startsWith("#") ? "!" + p : p);
  }

  private static String pattern(String path, int template) {
    int slash = path.lastIndexOf('/');
    String dir = slash < 0 ? "" : path.substring(0, slash + 1);
    String last = path.substring(slash + 1);
    String first = path.split("/")[0];
    return switch (template) {
      case 0 -> path;
      case 1 -> "/" + path;
      case 2 -> path + "/";
      case 3 -> dir + "*";
      case 4 -> "**/" + last;
      case 5 -> first + "/**";
      case 6 -> dir + "?" + rest(last);
      // a class starting with '-' is refused by kiln (Docker's meaning of it is accidental), and
      // a byte that is not UTF-8 in a class is refused by both
      case 7 ->
          last.startsWith("-") || ContextNames.hasRawBytes(last.substring(0, 1))
              ? path
              : dir + "[" + last.substring(0, last.offsetByCodePoints(0, 1)) + "x]" + rest(last);
      case 8 -> first + "/**/" + last;
      default -> "  " + path + "  ";
    };
  }

  private static String rest(String name) {
    return name.substring(name.offsetByCodePoints(0, 1));
  }
}
