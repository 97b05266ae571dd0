package dev.kiln.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerConfigCredentialStoreTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} for {1}")
  @CsvSource({
    "registry.example.com, registry.example.com",
    "https://registry.example.com, registry.example.com",
    "https://registry.example.com/v1/, registry.example.com",
    "http://127.0.0.1:5100, 127.0.0.1:5100",
    "https://index.docker.io/v1/, docker.io",
    "https://index.docker.io/v1/, registry-1.docker.io",
    "REGISTRY.example.com, registry.EXAMPLE.com",
  })
  void findsAnEntryWrittenInAnyOfDockersSpellings(String key, String host) throws IOException {
    DockerConfigCredentialStore store =
        write("{\"auths\":{\"" + key + "\":{\"auth\":\"" + base64("ci:p:w") + "\"}}}");

    Credentials found = store.lookup(host).orElseThrow();

    assertThat(found.username()).isEqualTo("ci");
    assertThat(found.password()).isEqualTo("p:w");
  }

  @Test
  void readsUsernameAndPasswordFieldsAndLeavesOtherHostsAnonymous() throws IOException {
    DockerConfigCredentialStore store =
        write("{\"auths\":{\"a.example\":{\"username\":\"u\",\"password\":\"p\"}}}");

    assertThat(store.lookup("a.example")).contains(new Credentials("u", "p"));
    assertThat(store.lookup("b.example")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a credential helper | {\"credHelpers\":{\"a.example\":\"ecr-login\"}}"
            + " | docker-credential-ecr-login",
        "a credential store | {\"credsStore\":\"desktop\",\"auths\":{\"a.example\":{}}}"
            + " | docker-credential-desktop",
        "an identity token | {\"auths\":{\"a.example\":{\"identitytoken\":\"x\"}}}"
            + " | identity token",
        "a broken auth value | {\"auths\":{\"a.example\":{\"auth\":\"bm9jb2xvbg==\"}}}"
            + " | not base64 of user:pass",
      })
  void entriesKilnCannotUseAreReportedWhenTheirHostIsAsked(String name, String json, String hint)
      throws IOException {
    DockerConfigCredentialStore store = write(json);

    assertThatThrownBy(() -> store.lookup("a.example"))
        .isInstanceOfSatisfying(
            AuthenticationFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(AuthenticationFailedException.Reason.UNSUPPORTED))
        .hasMessageContaining(hint)
        .hasMessageContaining("KILN_REGISTRY_USERNAME");
    assertThat(store.lookup("other.example")).isEmpty();
  }

  @Test
  void inlineCredentialsWinOverAHelperKilnCannotRun() throws IOException {
    DockerConfigCredentialStore store =
        write(
            "{\"auths\":{\"a.example\":{\"auth\":\""
                + base64("u:p")
                + "\"}},\"credHelpers\":{\"a.example\":\"gcloud\"}}");

    assertThat(store.lookup("a.example")).contains(new Credentials("u", "p"));
  }

  @Test
  void aMissingFileIsAnEmptyStoreAndABrokenOneFailsAtLoad() throws IOException {
    assertThat(DockerConfigCredentialStore.load(dir.resolve("absent.json")).lookup("a"))
        .isEqualTo(Optional.empty());

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"auths\":");
    assertThatThrownBy(() -> DockerConfigCredentialStore.load(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(broken.toString())
        .hasMessageContaining("KILN_DOCKER_CONFIG");
  }

  private DockerConfigCredentialStore write(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return DockerConfigCredentialStore.load(file);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
