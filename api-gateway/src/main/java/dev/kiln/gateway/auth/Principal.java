package dev.kiln.gateway.auth;

/** Who a bearer token belongs to: one organisation and one namespace in it. */
public record Principal(String org, String namespace) {}
