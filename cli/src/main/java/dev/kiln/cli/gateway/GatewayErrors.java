package dev.kiln.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/** Turns failed gateway calls into messages that say what to do. */
final class GatewayErrors {
  private final URI baseUrl;
  private final ObjectMapper json;

  GatewayErrors(URI baseUrl, ObjectMapper json) {
    this.baseUrl = baseUrl;
    this.json = json;
  }

  GatewayException transport(String action, IOException e) {
    if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
      return new GatewayException(
          "tried to "
              + action
              + " but the kiln gateway at "
              + baseUrl
              + " is unreachable ("
              + describe(e)
              + "); start it with ./kiln demo or scripts/services.sh up, or point KILN_URL (--url)"
              + " at a running gateway",
          0,
          e);
    }
    if (e instanceof HttpTimeoutException) {
      return new GatewayException(
          "tried to "
              + action
              + " at "
              + baseUrl
              + " but the gateway did not answer in time; retry,"
              + " or check that the gateway is healthy",
          0,
          e);
    }
    return new GatewayException(
        "tried to "
            + action
            + " at "
            + baseUrl
            + " but the connection failed ("
            + describe(e)
            + "); retry, or check the gateway",
        0,
        e);
  }

  GatewayException status(String action, int status, String body) {
    String error = errorMessage(body);
    if (status == 401) {
      return new GatewayException(
          "tried to "
              + action
              + " but the gateway at "
              + baseUrl
              + " rejected the token ("
              + (error.isEmpty() ? "401" : error)
              + "); set KILN_TOKEN (or --token) to a valid kiln token",
          status,
          null);
    }
    if (status >= 400 && status < 500 && isKilnError(body)) {
      // the gateway's 4xx messages already say what to fix
      return new GatewayException(error, status, null);
    }
    if (status >= 400 && status < 500) {
      return new GatewayException(
          "tried to "
              + action
              + " but the server at "
              + baseUrl
              + " answered "
              + status
              + (error.isEmpty() ? "" : " (" + error + ")")
              + " without a kiln error message; is KILN_URL (--url) the address of a kiln gateway?",
          status,
          null);
    }
    return new GatewayException(
        "tried to "
            + action
            + " but the gateway at "
            + baseUrl
            + " answered "
            + status
            + (error.isEmpty() ? "" : ": " + error)
            + (status >= 500 ? "; retry, or check the gateway's log" : ""),
        status,
        null);
  }

  private boolean isKilnError(String body) {
    try {
      JsonNode node = body == null ? null : json.readTree(body);
      return node != null && node.hasNonNull("error");
    } catch (IOException e) {
      return false;
    }
  }

  private String errorMessage(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.hasNonNull("error")) {
        return node.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: show the text itself
    }
    String text = body.strip();
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  /** The first message in the cause chain; the JDK's ConnectException often has none. */
  private static String describe(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        return cause.getMessage();
      }
    }
    return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
  }
}
