/**
 * The Ursprung rule language: {@code condition -> action [; action]...}, one rule per line.
 *
 * <p>{@link io.ursprung.rules.RuleFileLoader} and {@link io.ursprung.rules.RuleParser} turn rule
 * files into a {@link io.ursprung.rules.RuleSet} of {@link io.ursprung.rules.Rule}s, whose {@link
 * io.ursprung.rules.Condition}, {@link io.ursprung.rules.Action} and {@link
 * io.ursprung.rules.Target} are plain records; a bad file is rejected with every error as {@code
 * file:line:column: message}. {@link io.ursprung.rules.RuleMatcher} compiles conditions once and
 * tests events against them; {@link io.ursprung.rules.RuleReloader} swaps rule sets only when the
 * new file is valid. Executing actions is not this package's job: executors implement {@link
 * io.ursprung.rules.Action.Visitor}. The language reference is {@code docs/rules.md}.
 */
package io.ursprung.rules;
