/**
 * The {@code ursprung} command: one Picocli entry point whose subcommands start every service. Each
 * service module contributes its own subcommand class; this package only assembles them.
 */
package io.ursprung.cli;
