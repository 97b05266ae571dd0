package dev.kiln.cli.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.cli.yaml.YamlNode.ScalarType;
import dev.kiln.cli.yaml.YamlNode.YamlList;
import dev.kiln.cli.yaml.YamlNode.YamlMap;
import dev.kiln.cli.yaml.YamlNode.YamlScalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlTreeReaderTest {
  private final YamlTreeReader reader = new YamlTreeReader();

  @Test
  void keepsTheLineOfEveryKeyAndValue() throws Exception {
    YamlMap root =
        (YamlMap)
            reader
                .read(
                    """
                    # comment
                    build:
                      api:
                        context: api
                        depends_on:
                          - base
                    """)
                .orElseThrow();

    YamlNode.Entry build = root.entries().get("build");
    assertThat(build.keyLine()).isEqualTo(2);
    YamlNode.Entry api = ((YamlMap) build.value()).entries().get("api");
    assertThat(api.keyLine()).isEqualTo(3);
    YamlMap fields = (YamlMap) api.value();
    assertThat(fields.entries().get("context").value().line()).isEqualTo(4);
    YamlList dependsOn = (YamlList) fields.entries().get("depends_on").value();
    assertThat(dependsOn.items().get(0).line()).isEqualTo(6);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "v: 1.20       | 1.20  | NUMBER",
        "v: '1.20'     | 1.20  | STRING",
        "v: 007        | 007   | NUMBER",
        "v: true       | true  | BOOLEAN",
        "v: hello      | hello | STRING",
      })
  void scalarsKeepTheirSourceText(String yaml, String text, ScalarType type) throws Exception {
    YamlMap root = (YamlMap) reader.read(yaml).orElseThrow();

    YamlScalar value = (YamlScalar) root.entries().get("v").value();
    assertThat(value.text()).isEqualTo(text);
    assertThat(value.type()).isEqualTo(type);
  }

  @Test
  void readsEmptyValuesAsNull() throws Exception {
    YamlMap root = (YamlMap) reader.read("a:\nb: ~\n").orElseThrow();

    assertThat(((YamlScalar) root.entries().get("a").value()).isNull()).isTrue();
    assertThat(((YamlScalar) root.entries().get("b").value()).isNull()).isTrue();
  }

  @Test
  void anEmptyTextHasNoDocument() throws Exception {
    assertThat(reader.read("# only a comment\n")).isEmpty();
  }

  @Test
  void rejectsADuplicateKeyAtItsSecondLine() {
    assertThatThrownBy(() -> reader.read("a: 1\nb: 2\na: 3\n"))
        .isInstanceOfSatisfying(YamlSyntaxException.class, e -> assertThat(e.line()).isEqualTo(3))
        .hasMessageContaining("key 'a' appears twice (first on line 1)");
  }

  @Test
  void reportsTheLineOfASyntaxError() {
    assertThatThrownBy(() -> reader.read("build:\n  api:\n    context: [a\n  web: x\n"))
        .isInstanceOfSatisfying(
            YamlSyntaxException.class, e -> assertThat(e.line()).isBetween(3, 5));
  }

  @Test
  void reportsABadIndentAtItsLine() {
    assertThatThrownBy(() -> reader.read("build:\n  api:\n    context: a\n   dockerfile: b\n"))
        .isInstanceOfSatisfying(YamlSyntaxException.class, e -> assertThat(e.line()).isEqualTo(4));
  }
}
