package io.ursprung.consumer.rules;

import io.ursprung.rules.RuleId;
import io.ursprung.rules.fields.EventFields;
import java.time.Instant;
import java.util.Map;

/**
 * One row of {@code rule_work}: an action of a rule to run for one event.
 *
 * @param id the row's id (0 before it is stored)
 * @param ruleId the rule
 * @param actionIndex the action's position in the rule, from 0
 * @param actionName its keyword
 * @param eventHost the event's host (auditd host, Scale node)
 * @param eventId the event's id
 * @param graphHost the host of the event's rows in the graph (Scale: the cluster)
 * @param eventTime when the event happened
 * @param fields the event's fields, as the rule language names them
 * @param attempts how many times it was tried before
 */
record WorkItem(
    long id,
    RuleId ruleId,
    int actionIndex,
    String actionName,
    String eventHost,
    String eventId,
    String graphHost,
    Instant eventTime,
    Map<String, Object> fields,
    int attempts) {

  /** The fields as the rule language reads them. */
  EventFields eventFields() {
    return fields::get;
  }

  /** A field as text, or null. */
  String text(String name) {
    Object v = fields.get(name);
    return v == null ? null : String.valueOf(v);
  }

  @Override
  public String toString() {
    return "work " + id + " (" + actionName + " of rule " + ruleId + " for " + eventId + ")";
  }
}
