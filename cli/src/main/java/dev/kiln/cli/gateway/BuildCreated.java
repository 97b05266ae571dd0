package dev.kiln.cli.gateway;

/** The answer of {@code POST /v1/builds}. */
public record BuildCreated(
    String id, long sequence, String state, String imageRef, String cacheRef) {}
