package io.ursprung.db.rules;

import java.time.Instant;

/**
 * One alert raised by an {@code ALERT} rule action.
 *
 * @param id the alert's id, increasing in the order alerts were stored
 * @param ruleId the id of the rule that raised it
 * @param actionIndex the action's position in its rule, from 0
 * @param message the rule's message
 * @param host the host of the event
 * @param eventId the event's id
 * @param eventType the event's type, such as {@code process.exec}
 * @param eventTime when the event happened
 * @param pid the process of the event, or null
 * @param path the file of the event, or null
 * @param raisedAt when the alert was stored
 */
public record Alert(
    long id,
    String ruleId,
    int actionIndex,
    String message,
    String host,
    String eventId,
    String eventType,
    Instant eventTime,
    Integer pid,
    String path,
    Instant raisedAt) {}
