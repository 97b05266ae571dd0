package dev.kiln.core.store;

import dev.kiln.core.NotFoundException;
import dev.kiln.core.image.Digest;

/** No context archive is stored under the digest. */
public class ContextNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public ContextNotFoundException(Digest digest) {
    super("no context archive is stored under " + digest + "; upload it first");
  }
}
