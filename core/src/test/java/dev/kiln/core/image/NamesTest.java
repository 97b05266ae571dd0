package dev.kiln.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "cindy", "team-42", "0", "a1-b2-c3"})
  void acceptsDnsLabelNamespaces(String namespace) {
    assertThat(Names.namespace(namespace)).isEqualTo(namespace);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"-a", "a-", "Cindy", "a_b", "a.b", "a/b", "ünï"})
  void rejectsOtherNamespaces(String namespace) {
    assertThatThrownBy(() -> Names.namespace(namespace))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("namespace")
        .hasMessageContaining("lowercase letters, digits or '-'")
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).hasValue("namespace"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "api", "my-app", "my--app", "my_app", "my__app", "my.app", "a1"})
  void acceptsOnePathComponentAsImageName(String name) {
    assertThat(Names.imageName(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {"Api", "a/b", "-a", "a-", "a___b", "a..b", "a._b", ".a", "a.", "_a", "a b", "a:b"})
  void rejectsOtherImageNames(String name) {
    assertThatThrownBy(() -> Names.imageName(name))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("image name")
        .hasMessageContaining("lowercase letters and digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kiln", "latest", "v1.2.3", "_x", "A-b_C.d", "0"})
  void acceptsTags(String tag) {
    assertThat(Names.tag(tag)).isEqualTo(tag);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {".a", "-a", "a:b", "a/b", "a b", "ü"})
  void rejectsOtherTags(String tag) {
    assertThatThrownBy(() -> Names.tag(tag))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tag");
  }

  @Test
  void allows128CharacterImageNamesAndTagsButNotMore() {
    assertThat(Names.imageName("a".repeat(128))).hasSize(128);
    assertThat(Names.tag("a".repeat(128))).hasSize(128);
    assertThatThrownBy(() -> Names.imageName("a".repeat(129)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Names.tag("a".repeat(129))).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void allows63CharacterNamespacesButNotMore() {
    assertThat(Names.namespace("a".repeat(63))).hasSize(63);
    assertThatThrownBy(() -> Names.namespace("a".repeat(64)))
        .isInstanceOf(InvalidInputException.class);
  }
}
