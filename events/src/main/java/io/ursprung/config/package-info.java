/**
 * Configuration shared by every Ursprung service: each key is declared once in a {@link
 * io.ursprung.config.ConfigDef} (name, type, default, validator, description) and everything else —
 * parsing, the {@code URSPRUNG_*} environment variable names, validation, help text and the
 * Markdown reference tables in {@code docs/} — is derived from that declaration.
 *
 * <p>Precedence, lowest to highest: declared default, properties file, environment variable,
 * explicit command-line override. A bad configuration never falls back silently: {@link
 * io.ursprung.config.ConfigDef#parse} collects every problem and throws one {@link
 * io.ursprung.config.ConfigException} that lists them all.
 */
package io.ursprung.config;
