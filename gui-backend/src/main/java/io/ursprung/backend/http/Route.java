package io.ursprung.backend.http;

/**
 * A registered route, as the OpenAPI check sees it.
 *
 * @param method GET, POST, PUT, DELETE
 * @param path with {@code {name}} path parameters
 * @param access who may call it
 */
public record Route(String method, String path, Access access) {}
