package dev.kiln.core.image;

import dev.kiln.core.InvalidInputException;
import java.util.regex.Pattern;

/**
 * Validators for the names users type: namespaces, image names and tags. Each returns its input
 * when it is valid and otherwise throws an {@link InvalidInputException} that says what is wrong
 * and what is allowed, naming the field.
 */
public final class Names {

  /** A DNS label: namespaces become parts of registry paths and, in clusters, of host names. */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** One path component of the OCI distribution reference grammar. */
  static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");

  /** The OCI distribution tag grammar; {@code \w} is ASCII-only in Java as in Go. */
  static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  static final int IMAGE_NAME_MAX = 128;

  private Names() {}

  public static String namespace(String namespace) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new InvalidInputException(
          "the namespace '"
              + namespace
              + "' is invalid; use 1 to 63 lowercase letters, digits or '-',"
              + " starting and ending with a letter or digit",
          "namespace");
    }
    return namespace;
  }

  public static String imageName(String imageName) {
    if (imageName == null
        || imageName.length() > IMAGE_NAME_MAX
        || !PATH_COMPONENT.matcher(imageName).matches()) {
      throw new InvalidInputException(
          "the image name '"
              + imageName
              + "' is invalid; use at most 128 lowercase letters and digits, separated by"
              + " single '.', single or double '_', or runs of '-'",
          "image");
    }
    return imageName;
  }

  public static String tag(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new InvalidInputException(
          "the tag '"
              + tag
              + "' is invalid; use 1 to 128 letters, digits, '_', '.' or '-',"
              + " not starting with '.' or '-'",
          "tag");
    }
    return tag;
  }
}
