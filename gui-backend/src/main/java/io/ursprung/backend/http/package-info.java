/**
 * HTTP plumbing shared by the REST resources: the one error shape, typed parameter parsing that
 * reports every bad parameter at once, the route registry checked against the OpenAPI document,
 * bearer-token authentication, login rate limiting and request metrics.
 */
package io.ursprung.backend.http;
